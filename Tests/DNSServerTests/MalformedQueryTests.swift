import Foundation
import TestSupport
import Glibc
import Testing

// Malformed datagrams sent to a running server. Every case is also run against BIND 9.18
// (/usr/sbin/named from Debian), so the expectations below are checked against BIND's
// behaviour on each run, not only written down. What BIND 9.18.49 does, seen on this suite:
//
// | case                                   | BIND 9.18                                   |
// |----------------------------------------|---------------------------------------------|
// | header shorter than 12 octets          | no reply                                    |
// | QR=1 (a response)                      | no reply                                    |
// | compression pointer loop in question   | FORMERR, empty question section, RD copied  |
// | label length 64 (0x40: reserved type)  | FORMERR, empty question section             |
// | name longer than 255 octets            | FORMERR, empty question section             |
// | QDCOUNT 0                              | FORMERR, empty question section             |
// | QDCOUNT 2 with two questions           | FORMERR, empty question section             |
// | QDCOUNT 2 with only one question       | FORMERR, empty question section             |
// | question without QTYPE and QCLASS      | FORMERR, empty question section             |
// | name cut off inside a label            | FORMERR, empty question section             |
// | two OPT records                        | FORMERR with the question                   |
// | random datagrams (seeded)              | no reply (too short, or QR set) or FORMERR  |
// | TCP length prefix beyond the data, EOF | connection closed, no reply                 |
//
// After all of them the server must still answer an ordinary query.

/// Which server a malformed-datagram run targets.
enum MalformedTarget: String, CustomTestStringConvertible, Sendable {
    case bind
    case swiftNamed

    var testDescription: String { self == .bind ? "BIND 9.18" : "swift-named" }
}

/// Helpers for the malformed-datagram tests, in one namespace so that they cannot clash
/// with helpers of other test files in this module.
private enum Probe {
    /// What a malformed datagram must get back.
    enum ExpectedReaction {
        case noReply
        case formatError
    }

    struct MalformedCase {
        var name: String
        var datagram: [UInt8]
        var expected: ExpectedReaction
    }

    static let queryID: UInt16 = 0xABCD

    static func header(
        id: UInt16 = queryID, flags: UInt16 = 0x0100, questions: UInt16 = 1, answers: UInt16 = 0,
        authorities: UInt16 = 0, additionals: UInt16 = 0
    ) -> [UInt8] {
        [id, flags, questions, answers, authorities, additionals].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    static func wireName(_ labels: [String]) -> [UInt8] {
        labels.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    /// QTYPE SOA, QCLASS IN.
    static let soaInternet: [UInt8] = [0, 6, 0, 1]
    static let exampleQuestion = wireName(["example", "com"]) + soaInternet
    /// An OPT record with a 1232-octet UDP size, EDNS version 0 and no options.
    static let optRecord: [UInt8] = [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]

    static let malformedCases: [MalformedCase] = [
        MalformedCase(
            name: "header shorter than 12 octets", datagram: [0xAB, 0xCD, 0x01, 0x00, 0x00],
            expected: .noReply),
        MalformedCase(
            name: "QR set (a response)", datagram: header(flags: 0x8400) + exampleQuestion,
            expected: .noReply),
        MalformedCase(
            // The pointer at offset 12 points at itself.
            name: "compression loop in the question", datagram: header() + [0xC0, 0x0C] + soaInternet,
            expected: .formatError),
        MalformedCase(
            // A pointer to an offset after itself.
            name: "forward compression pointer", datagram: header() + [0xC0, 0x12] + soaInternet + [0, 0],
            expected: .formatError),
        MalformedCase(
            name: "label of 64 octets",
            datagram: header() + [64] + Array(repeating: UInt8(ascii: "a"), count: 64) + wireName(["com"])
                + soaInternet,
            expected: .formatError),
        MalformedCase(
            name: "name longer than 255 octets",
            datagram: header() + wireName(Array(repeating: String(repeating: "a", count: 63), count: 4) + ["com"])
                + soaInternet,
            expected: .formatError),
        MalformedCase(
            name: "QDCOUNT 0", datagram: header(questions: 0), expected: .formatError),
        MalformedCase(
            name: "QDCOUNT 2 with two questions", datagram: header(questions: 2) + exampleQuestion + exampleQuestion,
            expected: .formatError),
        MalformedCase(
            name: "QDCOUNT 2 with one question", datagram: header(questions: 2) + exampleQuestion,
            expected: .formatError),
        MalformedCase(
            name: "question without QTYPE and QCLASS", datagram: header() + wireName(["example", "com"]) + [0],
            expected: .formatError),
        MalformedCase(
            name: "name cut off inside a label", datagram: header() + [7] + Array("exam".utf8),
            expected: .formatError),
        MalformedCase(
            name: "two OPT records", datagram: header(additionals: 2) + exampleQuestion + optRecord + optRecord,
            expected: .formatError),
    ]

    /// A small deterministic generator (SplitMix64), so a failing random datagram can be rebuilt.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    /// Random datagrams of 0 to 100 octets. Datagram `index` carries `index` as its ID when it is
    /// long enough, so replies can be matched to datagrams.
    static func randomDatagrams(count: Int, seed: UInt64) -> [[UInt8]] {
        var generator = SplitMix64(state: seed)
        return (0..<count).map { index in
            let length = Int.random(in: 0...100, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if length >= 2 {
                bytes[0] = UInt8(index >> 8)
                bytes[1] = UInt8(index & 0xFF)
            }
            return bytes
        }
    }

    // MARK: - Sockets

    static func loopbackAddress(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    static func connectSocket(_ fd: Int32, port: UInt16) -> Bool {
        var address = loopbackAddress(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    /// Sends `datagrams` from one connected UDP socket and collects every reply that arrives until
    /// the socket stays quiet: `firstWaitMilliseconds` for the first reply after the last
    /// datagram, then `quietMilliseconds` between later replies.
    static func sendDatagrams(
        _ datagrams: [[UInt8]], port: UInt16, firstWaitMilliseconds: Int32, quietMilliseconds: Int32 = 100
    ) -> [[UInt8]] {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        precondition(fd >= 0, "socket failed: \(String(cString: strerror(errno)))")
        defer { close(fd) }
        precondition(connectSocket(fd, port: port), "connect to port \(port) failed")

        var replies: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 65_535)
        func drain(waitMilliseconds: Int32) {
            var wait = waitMilliseconds
            while waitReadable(fd, milliseconds: wait) {
                let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if received < 0 { return }
                replies.append(Array(buffer[0..<received]))
                wait = min(wait, quietMilliseconds)
            }
        }
        for datagram in datagrams {
            _ = datagram.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            // Read as we go so that neither side's socket buffer overflows.
            drain(waitMilliseconds: 0)
        }
        // Wait for the first late reply, then only for as long as replies keep coming.
        drain(waitMilliseconds: replies.isEmpty ? firstWaitMilliseconds : quietMilliseconds)
        return replies
    }

    enum StreamEnd: Equatable {
        case closedWithoutReply
        case reply([UInt8])
        case stillOpen
    }

    /// Writes `bytes` on a new TCP connection, shuts down the write side and reports whether the
    /// server closes the connection, replies, or leaves it open past the timeout.
    static func sendOverTCPAndClose(_ bytes: [UInt8], port: UInt16, timeoutMilliseconds: Int32) -> StreamEnd {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket failed: \(String(cString: strerror(errno)))")
        defer { close(fd) }
        precondition(connectSocket(fd, port: port), "TCP connect to port \(port) failed")
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        shutdown(fd, Int32(SHUT_WR))

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while waitReadable(fd, milliseconds: timeoutMilliseconds) {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return received.isEmpty ? .closedWithoutReply : .reply(received) }
            received += buffer[0..<count]
        }
        return received.isEmpty ? .stillOpen : .reply(received)
    }

    // MARK: - Server process

    static let zoneText = """
        $TTL 3600
        @	IN	SOA	ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300
        	IN	NS	ns1.example.com.
        ns1	IN	A	192.0.2.1

        """

    static func namedExecutable(for target: MalformedTarget) throws -> String {
        if target == .bind { return "/usr/sbin/named" }
        var directory = ProcessInfo.processInfo.environment["SWIFT_NAMED_BIN_DIR"] ?? ""
        if directory.isEmpty {
            let executable =
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            directory = URL(fileURLWithPath: executable).deletingLastPathComponent().path
        }
        let path = directory + "/named"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MalformedTestError(
                "\(path) is missing; run `swift build` or set SWIFT_NAMED_BIN_DIR to the directory with `named`")
        }
        return path
    }

    struct MalformedTestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Sends an SOA query for example.com and returns the reply, if any, within the timeout.
    static func querySOA(port: UInt16, id: UInt16, timeoutMilliseconds: Int32) -> [UInt8]? {
        let query = header(id: id, flags: 0) + exampleQuestion
        return sendDatagrams([query], port: port, firstWaitMilliseconds: timeoutMilliseconds).first
    }

    /// Starts the server on one zone in a temporary directory, runs `body` with its port and log,
    /// and stops it (SIGTERM, then SIGKILL after five seconds) whatever `body` does.
    static func withServer(_ target: MalformedTarget, body: (UInt16, () -> String) throws -> Void) throws {
        var template = Array((NSTemporaryDirectory() + "/malformed.XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw MalformedTestError("mkdtemp failed") }
        let directory = String(cString: created)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let port = freePort()
        var options = [
            "directory \"\(directory)\";", "listen-on port \(port) { 127.0.0.1; };", "listen-on-v6 { none; };",
            "recursion no;", "notify no;", "pid-file none;",
        ]
        if target == .bind {
            options += [
                "session-keyfile \"\(directory)/session.key\";", "managed-keys-directory \"\(directory)\";",
                "dnssec-validation no;",
            ]
        }
        let configuration = """
            options {
            \(options.map { "    " + $0 }.joined(separator: "\n"))
            };
            controls { };
            zone "example.com" { type primary; file "example.com.zone"; };

            """
        try zoneText.write(toFile: directory + "/example.com.zone", atomically: true, encoding: .utf8)
        try configuration.write(toFile: directory + "/named.conf", atomically: true, encoding: .utf8)

        let logPath = directory + "/server.log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil),
            let logHandle = FileHandle(forWritingAtPath: logPath)
        else { throw MalformedTestError("cannot create \(logPath)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try namedExecutable(for: target))
        process.arguments = ["-g", "-c", directory + "/named.conf", "-p", String(port)]
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGTERM)
                let deadline = ContinuousClock.now + .seconds(5)
                while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            process.waitUntilExit()
        }
        let log = { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        let deadline = ContinuousClock.now + .seconds(20)
        while querySOA(port: port, id: 1, timeoutMilliseconds: 200) == nil {
            guard process.isRunning else {
                throw MalformedTestError("\(target.testDescription) exited before serving; its output:\n\(log())")
            }
            guard ContinuousClock.now < deadline else {
                throw MalformedTestError("\(target.testDescription) did not answer within 20 s; its output:\n\(log())")
            }
            usleep(100_000)
        }
        try body(port, log)
        #expect(process.isRunning, "\(target.testDescription) exited during the test; its output:\n\(log())")
    }

    static func rcode(of reply: [UInt8]) -> Int { Int(reply[3] & 0x0F) }
    static func replyID(of reply: [UInt8]) -> UInt16 { UInt16(reply[0]) << 8 | UInt16(reply[1]) }
    static func hexDump(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

// MARK: - Tests

@Suite("malformed queries")
struct MalformedQueryTests {
    @Test("each malformed datagram gets FORMERR or no reply", arguments: [MalformedTarget.bind, .swiftNamed])
    func malformedDatagrams(target: MalformedTarget) throws {
        try Probe.withServer(target) { port, log in
            for testCase in Probe.malformedCases {
                // A reply normally comes within a millisecond on loopback. The wait for one that
                // must not come is shorter than the wait for one that must, to keep the test fast.
                let wait: Int32 = testCase.expected == .noReply ? 500 : 2000
                let replies = Probe.sendDatagrams([testCase.datagram], port: port, firstWaitMilliseconds: wait)
                switch testCase.expected {
                case .noReply:
                    #expect(replies.isEmpty, "\(testCase.name): expected no reply, got \(replies.map(Probe.hexDump))")
                case .formatError:
                    guard let reply = replies.first, reply.count >= 12 else {
                        Issue.record("\(testCase.name): expected FORMERR, got \(replies.map(Probe.hexDump))")
                        continue
                    }
                    #expect(replies.count == 1, "\(testCase.name): \(replies.count) replies to one datagram")
                    #expect(Probe.replyID(of: reply) == Probe.queryID, "\(testCase.name): reply ID differs: \(Probe.hexDump(reply))")
                    #expect(reply[2] & 0x80 != 0, "\(testCase.name): QR not set: \(Probe.hexDump(reply))")
                    #expect(Probe.rcode(of: reply) == 1, "\(testCase.name): RCODE \(Probe.rcode(of: reply)), not FORMERR")
                }
            }

            let answer = Probe.querySOA(port: port, id: 2, timeoutMilliseconds: 2000)
            #expect(answer.map(Probe.rcode) == 0, "no NOERROR answer after the malformed datagrams; log:\n\(log())")
        }
    }

    @Test("random datagrams get FORMERR or no reply", arguments: [MalformedTarget.bind, .swiftNamed])
    func randomDatagramsGetFormatError(target: MalformedTarget) throws {
        let datagrams = Probe.randomDatagrams(count: 400, seed: 0x5EED_2024)
        try Probe.withServer(target) { port, log in
            let replies = Probe.sendDatagrams(datagrams, port: port, firstWaitMilliseconds: 1000, quietMilliseconds: 500)
            for reply in replies {
                guard reply.count >= 12 else {
                    Issue.record("reply shorter than a header: \(Probe.hexDump(reply))")
                    continue
                }
                let index = Int(Probe.replyID(of: reply))
                let sent = index < datagrams.count ? Probe.hexDump(datagrams[index]) : "(unknown ID)"
                #expect(reply[2] & 0x80 != 0, "reply without QR to datagram \(index) \(sent)")
                // A query whose header parses but whose opcode is not QUERY gets NOTIMP from BIND.
                #expect(
                    [1, 4].contains(Probe.rcode(of: reply)),
                    "datagram \(index) \(sent) got RCODE \(Probe.rcode(of: reply)): \(Probe.hexDump(reply))")
            }
            #expect(replies.count <= datagrams.count)

            let answer = Probe.querySOA(port: port, id: 2, timeoutMilliseconds: 2000)
            #expect(answer.map(Probe.rcode) == 0, "no NOERROR answer after the random datagrams; log:\n\(log())")
        }
    }

    @Test("TCP length prefix beyond the data, then EOF", arguments: [MalformedTarget.bind, .swiftNamed])
    func tcpShortMessage(target: MalformedTarget) throws {
        let query = Probe.header() + Probe.exampleQuestion
        let declaredLength = UInt16(query.count + 50)
        let bytes = [UInt8(declaredLength >> 8), UInt8(declaredLength & 0xFF)] + query
        try Probe.withServer(target) { port, log in
            let end = Probe.sendOverTCPAndClose(bytes, port: port, timeoutMilliseconds: 3000)
            #expect(end == .closedWithoutReply)

            let answer = Probe.querySOA(port: port, id: 2, timeoutMilliseconds: 2000)
            #expect(answer.map(Probe.rcode) == 0, "no NOERROR answer after the short TCP message; log:\n\(log())")
        }
    }
}
