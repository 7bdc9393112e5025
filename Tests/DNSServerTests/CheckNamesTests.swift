import Foundation
import Testing
import TestSupport

/// `check-names` in named-checkzone, named-checkconf -z and the server, each run side by side
/// with Debian's BIND 9.18 tools on the same files where BIND has a tool for it.
@Suite("check-names", .serialized)
struct CheckNamesTests {
    /// Bad names for each rule: owners of A, AAAA and MX, MB owners (mailbox), and names in NS,
    /// MX, SRV, SOA (host and mailbox), RP and MINFO data. The zone also has names that stay
    /// valid: wildcards, underscores where BIND allows them, gc._msdcs and a root MX target.
    static let zone = """
        $TTL 3600
        @\tIN SOA ns_1 bad\\.admin 1 3600 600 86400 300
        \tIN NS ns_1
        \tIN MX 10 mail_x
        ns_1\tIN A 192.0.2.1
        bad_host\tIN A 192.0.2.2
        *.wild\tIN A 192.0.2.3
        *.wild\tIN MX 10 ok
        -lead\tIN AAAA 2001:db8::1
        trail-\tIN MX 10 .
        _sip._tcp\tIN SRV 0 0 5060 sip_1
        _ok._tcp\tIN SRV 0 0 5060 ok
        ok\tIN A 192.0.2.4
        txt_ok\tIN TXT "underscores are fine here"
        rp\tIN RP a.b_c txt_ok
        rp2\tIN RP first_label.example.com. txt_ok
        minfo\tIN MINFO a.b_1 a.b_2
        a.mb_x\tIN MB ok
        gc._msdcs\tIN A 192.0.2.5
        x.gc._msdcs\tIN A 192.0.2.6

        """

    static let reverseZone = """
        $TTL 3600
        @\tIN SOA ns1.example.com. hostmaster.example.com. 1 3600 600 86400 300
        \tIN NS ns1.example.com.
        1\tIN PTR host_1.example.com.
        2\tIN PTR good.example.com.

        """

    struct Output: Equatable, CustomStringConvertible {
        var status: Int32
        var text: String
        var description: String { "exit status \(status)\n\(text)" }
    }

    /// Runs a tool and returns its exit status and standard output, with standard error too
    /// unless `standardErrorToo` is false.
    func run(_ executable: String, _ arguments: [String], in directory: URL, standardErrorToo: Bool = true) throws -> Output {
        let process = Process()
        let command = withoutNetwork(executable, arguments)
        process.executableURL = URL(fileURLWithPath: command.executable)
        process.arguments = command.arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = standardErrorToo ? pipe : FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, text: String(decoding: data, as: UTF8.self))
    }

    var ourCheckzone: String { ServerProcess.productsDirectory.appendingPathComponent("named-checkzone").path }
    var ourCheckconf: String { ServerProcess.productsDirectory.appendingPathComponent("named-checkconf").path }

    @Test("named-checkzone -k matches BIND", arguments: [[], ["-k", "warn"], ["-k", "fail"], ["-k", "ignore"]])
    func checkzoneModes(mode: [String]) throws {
        let directory = try TemporaryDirectory()
        try directory.write("example.zone", Self.zone)
        try directory.write("reverse.zone", Self.reverseZone)
        for (origin, file) in [("example.com", "example.zone"), ("1.0.10.in-addr.arpa", "reverse.zone"), ("example.net", "reverse.zone")] {
            let arguments = ["-i", "none"] + mode + [origin, file]
            let bind = try run("/usr/bin/named-checkzone", arguments, in: directory.url)
            let ours = try run(ourCheckzone, arguments, in: directory.url)
            #expect(ours == bind, "named-checkzone \(arguments.joined(separator: " ")):\nBIND: \(bind)\nswift-named: \(ours)")
        }
    }

    @Test("default mode warns, -k fail fails")
    func checkzoneOutcome() throws {
        let directory = try TemporaryDirectory()
        try directory.write("example.zone", Self.zone)
        let warned = try run(ourCheckzone, ["-i", "none", "example.com", "example.zone"], in: directory.url)
        #expect(warned.status == 0)
        #expect(warned.text.contains("example.zone:6: bad_host.example.com: bad owner name (check-names)\n"))
        #expect(warned.text.contains("example.zone:4: warning: mail_x.example.com: bad name (check-names)\n"))
        #expect(!warned.text.contains(" gc._msdcs.example.com:"), "gc._msdcs is a valid owner:\n\(warned.text)")
        #expect(warned.text.contains("example.zone:20: x.gc._msdcs.example.com: bad owner name (check-names)\n"))

        let failed = try run(ourCheckzone, ["-k", "fail", "example.com", "example.zone"], in: directory.url)
        #expect(failed.status == 1)
        #expect(failed.text.contains("dns_rdata_fromtext: example.zone:2: near 'ns_1': bad name (check-names)\n"))
        #expect(failed.text.hasSuffix("""
            zone example.com/IN: loading from master file example.zone failed: bad name (check-names)
            zone example.com/IN: not loaded due to errors.

            """))
    }

    @Test("named-checkconf -z follows check-names options like BIND")
    func checkconfModes() throws {
        let directory = try TemporaryDirectory()
        try directory.write("example.zone", Self.zone)
        // The check-names option in `options`, if any, and the zone's own clause, if any.
        let configurations = [
            ("", ""),
            ("check-names primary warn;", ""),
            ("check-names master ignore;", ""),
            ("", "check-names warn;"),
        ]
        for (option, zoneClause) in configurations {
            let text = """
                options { directory "\(directory.url.path)"; \(option) };
                zone "example.com" { type primary; file "example.zone"; \(zoneClause) };
                """
            try directory.write("named.conf", text)
            // BIND's named-checkconf also prints VIEW/ZONE/CLASS: REASON on standard error for a
            // zone that fails, which swift-named's does not for any failure, so only standard
            // output is compared.
            let bind = try run("/usr/bin/named-checkconf", ["-z", "named.conf"], in: directory.url, standardErrorToo: false)
            let ours = try run(ourCheckconf, ["-z", "named.conf"], in: directory.url, standardErrorToo: false)
            #expect(ours.status == bind.status, "\(text)\nBIND: \(bind)\nswift-named: \(ours)")
            let checkNamesLines = { (output: Output) in
                output.text.split(separator: "\n").filter { $0.contains("check-names") || $0.contains("not loaded") || $0.contains("loaded serial") }
            }
            #expect(checkNamesLines(ours) == checkNamesLines(bind), "\(text)\nBIND: \(bind)\nswift-named: \(ours)")
        }
    }

    @Test("server refuses to load a primary zone with bad names")
    func serverFailsPrimary() throws {
        let directory = try TemporaryDirectory()
        try directory.write("example.zone", Self.zone)
        try directory.write("good.zone", Self.reverseZone.replacingOccurrences(of: "host_1", with: "host1"))
        let port = freePort()
        try directory.write("named.conf", """
            options { directory "\(directory.url.path)"; listen-on port \(port) { 127.0.0.1; }; listen-on-v6 { none; }; pid-file none; };
            controls { };
            zone "example.com" { type primary; file "example.zone"; };
            zone "example.net" { type primary; file "example.zone"; check-names warn; };
            zone "1.0.10.in-addr.arpa" { type primary; file "good.zone"; };
            """)
        let server = try ServerProcess.swiftNamed(config: directory.url.appendingPathComponent("named.conf").path,
                                                  directory: directory.url, port: port)
        defer { server.stop() }
        try server.waitUntilAnswering("1.0.10.in-addr.arpa")
        let log = server.standardError

        #expect(log.contains("example.zone:2: near 'ns_1': bad name (check-names)"), "\(log)")
        #expect(log.contains("zone example.com/IN: loading from master file example.zone failed: bad name (check-names)"), "\(log)")
        #expect(log.contains("zone example.com/IN: not loaded due to errors."), "\(log)")
        let refused = try Dig.run(["@127.0.0.1", "-p", String(port), "example.com", "SOA", "+time=2", "+tries=1"])
        #expect(refused.contains("status: REFUSED"), "\(refused)")

        #expect(log.contains("example.zone:6: bad_host.example.net: bad owner name (check-names)"), "\(log)")
        #expect(log.contains("zone example.net/IN: loaded serial 1"), "\(log)")
        let served = try Dig.run(["@127.0.0.1", "-p", String(port), "bad_host.example.net", "A", "+short", "+time=2", "+tries=1"])
        #expect(served == "192.0.2.2\n")
    }
}
