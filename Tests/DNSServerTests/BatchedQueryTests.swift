import Foundation
import Glibc
import Testing

/// Queries that reach a worker together are read in one recvmmsg batch, and the worker starts
/// the memory reads of all their lookups before it answers the first (`LookupPrefetch`).
/// That step reads every question of the batch, malformed ones included, so these tests
/// check that an answer given inside a full batch is byte for byte the answer the same query
/// gets alone.
@Suite("batched UDP queries")
struct BatchedQueryTests {
    /// A zone with names of several shapes: plain, mixed case, a CNAME, a delegation, a
    /// wildcard and an MX whose target has addresses.
    static let extraRecords = """
        www     IN A     192.0.2.10
        www     IN AAAA  2001:db8::10
        MiXeD   IN A     192.0.2.11
        alias   IN CNAME www
        mail    IN MX    10 mx
        mx      IN A     192.0.2.25
        sub     IN NS    ns.sub
        ns.sub  IN A     192.0.2.54
        *.wild  IN TXT   "wildcard"
        long-label-\(String(repeating: "x", count: 50)) IN A 192.0.2.12
        """

    /// Standard queries, each with its own ID, for names found, names missing, other types,
    /// names outside every zone and malformed questions.
    static func datagrams() -> [[UInt8]] {
        var queries: [[UInt8]] = []
        var id: UInt16 = 0x100
        func add(_ name: String, _ type: UInt16) {
            queries.append(UDPClient.query(id: id, name: name, type: type))
            id += 1
        }
        for name in ["www.example.com", "WWW.EXAMPLE.COM", "mixed.example.com", "alias.example.com",
                     "mail.example.com", "a.b.sub.example.com", "x.wild.example.com", "missing.example.com",
                     "steady.example.com", "example.com", "ns.sub.example.com", "outside.test",
                     "long-label-\(String(repeating: "x", count: 50)).example.com"] {
            for type: UInt16 in [1, 28, 15, 16, 2, 6, 255] {
                add(name, type)
            }
        }
        func header(_ flags: UInt16, questions: UInt16 = 1) -> [UInt8] {
            defer { id += 1 }
            return [UInt8(id >> 8), UInt8(id & 0xFF), UInt8(flags >> 8), UInt8(flags & 0xFF),
                    UInt8(questions >> 8), UInt8(questions & 0xFF), 0, 0, 0, 0, 0, 0]
        }
        let www: [UInt8] = [3] + Array("www".utf8) + [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0]
        // A label of 64 octets, a name cut off inside a label, a compression pointer, two
        // questions, no question, and the NOTIFY and UPDATE opcodes.
        queries.append(header(0) + [64] + Array(repeating: UInt8(ascii: "a"), count: 64) + [0, 0, 1, 0, 1])
        queries.append(header(0) + [7] + Array("exam".utf8))
        queries.append(header(0) + [0xC0, 0x0C, 0, 1, 0, 1])
        queries.append(header(0, questions: 2) + www + [0, 1, 0, 1] + www + [0, 1, 0, 1])
        queries.append(header(0, questions: 0))
        queries.append(header(0x2000) + www + [0, 6, 0, 1])
        queries.append(header(0x2800) + [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0, 0, 6, 0, 1])
        // Class CHAOS, and a question whose type is cut off.
        queries.append(header(0) + www + [0, 16, 0, 3])
        queries.append(header(0) + www + [0])
        return queries
    }

    static func id(of message: [UInt8]) -> UInt16 {
        UInt16(message[0]) << 8 | UInt16(message[1])
    }

    @Test("an answer in a full batch equals the answer alone")
    func batchMatchesSingleQueries() throws {
        let named = try OperatedServer(zoneText: OperatedServer.zone(serial: 1, address: "192.0.2.1",
                                                                     extra: Self.extraRecords))
        let queries = Self.datagrams()
        // More than one batch of 32 (`UDPListener.batchSize`), so that a full batch and a
        // partial one both occur.
        #expect(queries.count > 32, "fewer queries than one batch")

        // Each query alone first. Queries that get no reply (a cut-off question, say) are
        // remembered as such.
        let client = try UDPClient(port: named.port, receiveTimeout: 1)
        var alone: [UInt16: [UInt8]] = [:]
        for query in queries {
            #expect(client.send(query))
            if let reply = client.receive() {
                #expect(Self.id(of: reply) == Self.id(of: query), "reply to another query")
                alone[Self.id(of: query)] = reply
            }
        }
        #expect(alone.count >= queries.count - 3, "too few single queries were answered: \(alone.count)")

        // Then all of them at once while the server is stopped, so that they wait in its socket
        // and the worker reads them in full batches when it runs again. One client socket
        // sends them all, so the kernel hands them to one worker's socket.
        let pid = named.server.process.processIdentifier
        for round in 0..<5 {
            #expect(kill(pid, SIGSTOP) == 0)
            for query in queries {
                #expect(client.send(query))
            }
            #expect(kill(pid, SIGCONT) == 0)
            var batched: [UInt16: [UInt8]] = [:]
            while batched.count < alone.count, let reply = client.receive() {
                batched[Self.id(of: reply)] = reply
            }
            #expect(batched.count == alone.count, "round \(round): \(batched.count) replies, \(alone.count) expected")
            for (id, reply) in batched {
                guard let single = alone[id] else {
                    Issue.record("round \(round): a reply to query \(id), which gets none alone")
                    continue
                }
                #expect(reply == single, "round \(round): the reply to query \(id) differs from its reply alone")
            }
        }
    }
}
