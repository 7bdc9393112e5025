import Foundation
import Testing

/// `named-checkconf -z` on zone files the tests write, run side by side with BIND 9.18's
/// named-checkconf from Debian on the same files.
@Suite struct ZoneCheckCommandTests {
    static let goodZone = """
        $TTL 3600
        @\tIN SOA ns1.good.test. hostmaster.good.test. 2024061501 7200 900 1209600 300
        \tIN NS ns1
        ns1\tIN A 192.0.2.53
        www\tIN AAAA 2001:db8::80

        """

    /// Line 5 contains an IPv4 address with an octet above 255.
    static let brokenZone = """
        $TTL 3600
        @\tIN SOA ns1.broken.test. hostmaster.broken.test. 17 7200 900 1209600 300
        \tIN NS ns1
        ns1\tIN A 192.0.2.54
        www\tIN A 192.0.2.256

        """

    static let zoneWithoutNS = """
        $TTL 3600
        @\tIN SOA ns1.nons.test. hostmaster.nons.test. 3 7200 900 1209600 300
        www\tIN A 192.0.2.55

        """

    /// Writes the zone files into `zones/` under a new directory and a named.conf whose
    /// `directory` is that folder, so the relative `file` names resolve only if `directory` is
    /// honoured. The test process works elsewhere.
    static func setUp(zones: [(name: String, file: String, text: String)]) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        var config = "options { directory \"\(directory.path)/zones\"; };\n"
        for zone in zones {
            try directory.write("zones/" + zone.file, zone.text)
            config += "zone \"\(zone.name)\" IN { type master; file \"\(zone.file)\"; allow-update { none; }; };\n"
        }
        let path = try directory.write("named.conf", config)
        return (directory, path)
    }

    @Test func goodZoneLoadsLikeBind() throws {
        let (directory, path) = try Self.setUp(zones: [("good.test", "good.test.db", Self.goodZone)])
        let ours = try run(checkconfPath, ["-z", path])
        let bind = try run(bindCheckconfPath, ["-z", path])

        #expect(ours.status == 0)
        #expect(ours.stdout == "zone good.test/IN: loaded serial 2024061501\n")
        #expect(ours.stderr.isEmpty)
        #expect(bind.status == 0)
        #expect(ours.stdout == bind.stdout)
        withExtendedLifetime(directory) {}
    }

    @Test func brokenZoneFailsLikeBind() throws {
        let (directory, path) = try Self.setUp(zones: [
            ("good.test", "good.test.db", Self.goodZone),
            ("broken.test", "broken.test.db", Self.brokenZone),
        ])
        let ours = try run(checkconfPath, ["-z", path])
        let bind = try run(bindCheckconfPath, ["-z", path])

        #expect(ours.status == 1)
        #expect(bind.status == 1)
        let ourLines = ours.stdout.split(separator: "\n").map(String.init)
        let bindLines = bind.stdout.split(separator: "\n").map(String.init)
        #expect(ourLines.first == "zone good.test/IN: loaded serial 2024061501")
        #expect(ourLines.first == bindLines.first)
        // The wording of the record error is swift-named's own, but its file and line match BIND's.
        #expect(ourLines.count == 3)
        #expect(ourLines.dropFirst().first?.hasPrefix("broken.test.db:5: ") == true, "ours: \(ours.stdout)")
        #expect(ourLines.dropFirst().first?.contains("192.0.2.256") == true)
        #expect(bindLines.contains { $0.contains("broken.test.db:5: ") }, "BIND: \(bind.stdout)")
        #expect(ourLines.last == "zone broken.test/IN: not loaded due to errors.")
        #expect(ourLines.last == bindLines.last)
        #expect(ours.stderr.isEmpty)
        withExtendedLifetime(directory) {}
    }

    @Test func zoneWithoutNSMatchesBind() throws {
        let (directory, path) = try Self.setUp(zones: [("nons.test", "nons.test.db", Self.zoneWithoutNS)])
        let ours = try run(checkconfPath, ["-z", path])
        let bind = try run(bindCheckconfPath, ["-z", path])

        #expect(ours.status == 1)
        #expect(ours.stdout == "zone nons.test/IN: has no NS records\nzone nons.test/IN: not loaded due to errors.\n")
        #expect(bind.status == 1)
        #expect(ours.stdout == bind.stdout)
        withExtendedLifetime(directory) {}
    }

    @Test func missingZoneFileFails() throws {
        let (directory, path) = try Self.setUp(zones: [("good.test", "good.test.db", Self.goodZone)])
        try FileManager.default.removeItem(atPath: directory.path + "/zones/good.test.db")
        let ours = try run(checkconfPath, ["-z", path])
        let bind = try run(bindCheckconfPath, ["-z", path])

        #expect(ours.status == 1)
        #expect(ours.stdout.hasPrefix("good.test.db: cannot open zone file 'good.test.db'"), "ours: \(ours.stdout)")
        #expect(ours.stdout.hasSuffix("zone good.test/IN: not loaded due to errors.\n"))
        #expect(bind.status == 1)
        #expect(bind.stdout.hasSuffix("zone good.test/IN: not loaded due to errors.\n"))
        withExtendedLifetime(directory) {}
    }

    @Test func withoutZOptionZonesAreNotRead() throws {
        let (directory, path) = try Self.setUp(zones: [("broken.test", "broken.test.db", Self.brokenZone)])
        let ours = try run(checkconfPath, [path])
        #expect(ours.status == 0)
        #expect(ours.stdout.isEmpty)
        withExtendedLifetime(directory) {}
    }

    @Test func zonesInViewsAreLoaded() throws {
        let (directory, _) = try Self.setUp(zones: [("good.test", "good.test.db", Self.goodZone)])
        let path = try directory.write(
            "views.conf",
            """
            options { directory "\(directory.path)/zones"; };
            view "inside" { match-clients { localhost; }; zone "good.test" { type primary; file "good.test.db"; }; };
            view "outside" { match-clients { any; }; zone "good.test" { type primary; file "good.test.db"; }; };

            """
        )
        let ours = try run(checkconfPath, ["-z", path])
        let bind = try run(bindCheckconfPath, ["-z", path])

        // The zones are checked as BIND checks them, and each view is reported once as not
        // served yet, since named leaves view zones out.
        let loadedLines = ours.stdout.split(separator: "\n").filter { $0.hasPrefix("zone ") }.map { $0 + "\n" }.joined()
        let viewWarnings = ours.stdout.split(separator: "\n").filter { $0.contains("is not supported yet: its zones are not served") }
        #expect(ours.status == 0)
        #expect(loadedLines == String(repeating: "zone good.test/IN: loaded serial 2024061501\n", count: 2))
        #expect(loadedLines == bind.stdout)
        #expect(viewWarnings.count == 2, "\(ours.stdout)")
        withExtendedLifetime(directory) {}
    }

    @Test func missingDirectoryFails() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "named.conf",
            "options { directory \"\(directory.path)/absent\"; };\nzone \"good.test\" { type primary; file \"good.test.db\"; };\n"
        )
        let ours = try run(checkconfPath, ["-z", path])
        #expect(ours.status == 1)
        #expect(ours.stdout == "\(path): change directory to '\(directory.path)/absent' (options directory) failed: not found; create it or correct 'directory'\n")
        withExtendedLifetime(directory) {}
    }
}
