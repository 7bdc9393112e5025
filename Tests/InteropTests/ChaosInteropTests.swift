import Foundation
import Glibc
import Testing

/// The built-in CHAOS zones with `version`, `hostname` and `server-id` set, where swift-named
/// must answer exactly as BIND 9.18 does, text included.
@Suite("CHAOS identities against BIND 9.18", .serialized)
struct ChaosInteropTests {
    static let queries = [
        "version.bind CH TXT +norec", "version.bind CH ANY", "hostname.bind CH TXT +norec",
        "hostname.bind CH ANY", "id.server CH TXT +norec", "id.server CH ANY", "authors.bind CH TXT",
        "authors.bind CH ANY +norec",
    ].map(QuerySpec.init)

    func expectSameAnswers(_ options: [String]) throws {
        try withServerPair(zones: Fixtures.all, otherFlavor: .swiftNamed, extraOptions: options) { bind, ours in
            for result in compareAnswers(Self.queries, reference: bind, other: ours) {
                #expect(!result.differs, "with \(options.joined(separator: " ")):\n\(result)")
            }
        }
    }

    @Test("version text, hostname none, server-id text")
    func configuredText() throws {
        try expectSameAnswers(["version \"custom 1.0\";", "hostname none;", "server-id \"ns-test\";"])
    }

    @Test("version none, server-id hostname")
    func hiddenVersion() throws {
        try expectSameAnswers(["version none;", "server-id hostname;"])
    }

    /// With `allow-query` closed to 127.0.0.1, every zone refuses, so the servers are awaited
    /// by polling until they answer at all instead of until a zone answers.
    @Test("allow-query in options covers CHAOS")
    func allowQuery() throws {
        let referenceDirectory = try makeTemporaryDirectory(prefix: "chaos-bind")
        defer { try? FileManager.default.removeItem(atPath: referenceDirectory) }
        let otherDirectory = try makeTemporaryDirectory(prefix: "chaos-other")
        defer { try? FileManager.default.removeItem(atPath: otherDirectory) }
        let options = ["allow-query { 192.0.2.1; };"]
        let bind = try ServerProcess.start(label: "BIND", executable: bindExecutable, flavor: .bind, zones: Fixtures.all,
                                           in: referenceDirectory, extraOptions: options)
        defer { bind.stop() }
        let ours = try ServerProcess.start(label: "swift-named", executable: try BuiltProducts.path(of: "named"),
                                           flavor: .swiftNamed, zones: Fixtures.all, in: otherDirectory, extraOptions: options)
        defer { ours.stop() }
        for server in [bind, ours] {
            var answered = false
            for _ in 0..<100 where !answered {
                if case .response = exchange(QuerySpec("test SOA"), port: server.port) { answered = true } else { usleep(100_000) }
            }
            #expect(answered, "\(server.label) did not answer within 10 seconds:\n\(server.log)")
        }
        // BIND rate-limits REFUSED answers from its CHAOS view to 3 a second, so three queries.
        let queries = ["version.bind CH TXT", "hostname.bind CH TXT +norec", "id.server CH ANY"].map(QuerySpec.init)
        for result in compareAnswers(queries, reference: bind, other: ours) {
            guard case .response(let reference) = result.reference, case .response(let other) = result.other else {
                Issue.record("no response from one server:\n\(result)")
                continue
            }
            #expect(reference.rcode == "REFUSED", "\(result)")
            #expect(other.rcode == "REFUSED", "\(result)")
            #expect(other.flags == reference.flags, "\(result)")
            #expect(other.question == reference.question, "\(result)")
            // NOTE: BIND also adds Extended DNS Error 18 (Prohibited, RFC 8914) to its OPT
            // record, as it does for class IN; swift-named sends no Extended DNS Errors yet.
            #expect(reference.edns?.contains("option 15=0012") == true, "\(result)")
        }
    }

    @Test("version longer than 255 octets is cut")
    func longVersion() throws {
        try expectSameAnswers(["version \"\(String(repeating: "0123456789", count: 30))\";"])
    }
}
