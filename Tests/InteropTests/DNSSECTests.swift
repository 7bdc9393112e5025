import Foundation
import Testing

/// Queries for each signed zone in `SignedZones`, in the syntax of `QuerySpec`. Most set DO
/// (`+dnssec`) and clear RD (`+norec`), so that positive answers carry the zone's NS RRset
/// and its signature in the authority section.
enum DNSSECQueries {
    static func forZone(_ zone: String) -> [String] {
        let signed = [
            // Positive answers, the apex keys, and signatures in every section.
            "\(zone) SOA", "\(zone) NS", "\(zone) MX", "\(zone) DNSKEY", "\(zone) DNSKEY +rec",
            "\(zone) NSEC3PARAM", "host.\(zone) A", "host.\(zone) AAAA", "ns2.\(zone) AAAA",
            "MixedCase.\(zone) A", "MIXEDCASE.\(zone) A",
            // NXDOMAIN: the name and the wildcard at the closest encloser do not exist.
            "nothere.\(zone) A", "a.b.nothere.\(zone) TXT", "x.host.\(zone) A", "x.ent.\(zone) A",
            // NODATA, at a name, at empty non-terminals, and for a type that is not there.
            "host.\(zone) MX", "ent.\(zone) A", "b.ent.\(zone) TXT", "optent.\(zone) A", "wild.\(zone) A",
            "host.\(zone) NSEC3", "\(zone) DS",
            // Wildcards: answer, NODATA, a CNAME to a wildcard, the wildcard name itself.
            "foo.wild.\(zone) A", "foo.wild.\(zone) TXT", "a.b.wild.\(zone) A", "foo.wild.\(zone) AAAA",
            "exact.wild.\(zone) TXT", "*.wild.\(zone) A", "wc.\(zone) A", "wc.\(zone) AAAA",
            "x.*.wild.\(zone) A",
            // A synthesized owner: the labels for `*` lower-cased, the rest as in the zone.
            "FOO.WILD.\(zone) A", "X.WILDCASE.\(zone) A", "a.B.WildCase.\(zone) TXT", "WILDCASE.\(zone) A",
            // Delegations: signed (DS in authority), unsigned (NSEC or NSEC3 proof), opt-out.
            "www.signed.\(zone) A", "signed.\(zone) NS", "signed.\(zone) DS", "ns.signed.\(zone) A",
            "www.unsigned.\(zone) A", "unsigned.\(zone) DS", "unsigned.\(zone) NS",
            "www.x.optent.\(zone) A", "x.optent.\(zone) DS",
            // CNAME chains and DNAME synthesis: the synthesized CNAME carries no RRSIG.
            "c1.\(zone) A", "c1.\(zone) MX", "x.dn.\(zone) A", "y.dn.\(zone) A", "dn.\(zone) DNAME",
            "x.dn.\(zone) CNAME", "zz.x.dn.\(zone) ANY", "c1.\(zone) ANY",
            // NXDOMAIN for type SOA gets an SOA with TTL 0; NODATA for type SOA does not.
            "nothere.\(zone) SOA", "host.\(zone) SOA",
            // Type RRSIG, NSEC and ANY, which return DNSSEC records with or without DO.
            "host.\(zone) RRSIG", "\(zone) RRSIG", "foo.wild.\(zone) RRSIG", "ent.\(zone) RRSIG",
            "nothere.\(zone) RRSIG", "host.\(zone) NSEC", "host.\(zone) ANY", "\(zone) ANY", "foo.wild.\(zone) ANY",
            // Types that may sit beside a CNAME: the CNAME is not followed.
            "c2.\(zone) NSEC", "c2.\(zone) RRSIG", "c2.\(zone) TYPE25", "c2.\(zone) NSEC3",
            // Sizes: TC when the signature does not fit, minimal answers at 512 octets, an
            // additional section that loses a signature but sets no TC, and TCP.
            "full.\(zone) TXT", "full.\(zone) TXT +tcp", "nothere.\(zone) A +bufsize=512",
            "host.\(zone) A +bufsize=512", "\(zone) NS +bufsize=512", "www.unsigned.\(zone) A +bufsize=512",
            "host.\(zone) A +bufsize=513", "host.\(zone) A +bufsize=540", "nothere.\(zone) A +tcp",
            "foo.wild.\(zone) AAAA +tcp",
        ].map { "\($0) +norec +dnssec" }
        let withoutDO = [
            "host.\(zone) A +norec", "nothere.\(zone) A +norec", "foo.wild.\(zone) A +norec",
            "www.unsigned.\(zone) A +norec", "www.signed.\(zone) A +norec", "host.\(zone) RRSIG +norec",
            "host.\(zone) RRSIG +noedns", "host.\(zone) ANY +norec", "host.\(zone) NSEC +norec",
            "\(zone) DNSKEY +norec", "full.\(zone) TXT +norec", "host.\(zone) A +norec +bufsize=512",
            "\(zone) NS +norec +noedns", "host.\(zone) A +norec +noedns", "\(zone) AXFR +tcp",
            "FOO.WILD.\(zone) A +norec", "zz.x.dn.\(zone) ANY +norec", "nothere.\(zone) SOA +norec",
            "c2.\(zone) RRSIG +norec", "c2.\(zone) NSEC +norec",
        ]
        return signed + withoutDO
    }

    /// Queries for the first NSEC3 owner name of a zone, which BIND 9.18 answers as a name
    /// that does not exist.
    static func forNSEC3Owner(in zone: SignedZone) -> [String] {
        let owner = zone.fixture.text.split(separator: "\n").first { line in
            line.count > 33 && line.prefix(32).allSatisfy { $0.isNumber || ("A"..."V").contains($0) }
                && line.dropFirst(32).first == "."
        }
        guard let owner else { return [] }
        let name = String(owner.prefix(while: { !$0.isWhitespace }))
        return [
            "\(name) NSEC3 +norec +dnssec", "\(name) A +norec +dnssec", "\(name) RRSIG +norec",
            "sub.\(name) A +norec +dnssec",
        ]
    }

    static func all(_ zones: [SignedZone]) -> [QuerySpec] {
        zones.flatMap { forZone($0.fixture.name) + forNSEC3Owner(in: $0) }.map(QuerySpec.init)
    }
}

@Suite("DNSSEC responses against BIND 9.18", .serialized)
struct DNSSECInteropTests {
    @Test("signed zones get BIND's answers")
    func signedZonesMatchBIND() throws {
        let zones = try SignedZones.zones()
        let queries = DNSSECQueries.all(zones)
        #expect(queries.count >= 200)
        try withServerPair(zones: zones.map(\.fixture), otherFlavor: .swiftNamed) { bind, ours in
            let results = compareAnswers(queries, reference: bind, other: ours)
            for difference in results where difference.differs {
                Issue.record("swift-named differs from BIND:\n\(difference)")
            }
            #expect(ours.isRunning, "swift-named exited during the queries; its output:\n\(ours.log)")
        }
    }

    /// The comparison must see signatures and proofs: BIND serving the zones before signing
    /// has to differ on every DO query whose answer BIND signs.
    @Test("harness: unsigned zones differ on DO queries")
    func unsignedZonesDiffer() throws {
        let zones = try SignedZones.zones()
        let queries = ["host", "nothere", "foo.wild", "ent", "www.unsigned"].flatMap { label in
            zones.map { QuerySpec("\(label).\($0.fixture.name) A +norec +dnssec") }
        }
        try withServerPair(zones: zones.map(\.fixture), otherZones: zones.map(\.unsigned), otherFlavor: .bind) {
            signed, unsigned in
            let results = compareAnswers(queries, reference: signed, other: unsigned)
            for result in results {
                #expect(result.differs, "the unsigned zone gave the signed zone's answer to \(result.query.text)")
            }
        }
    }
}

/// Validation of swift-named's answers with delv (bind9-dnsutils), which checks signatures and
/// denial proofs from the zone's key-signing key down, as a validating resolver does.
@Suite("DNSSEC validation with delv", .serialized)
struct DNSSECValidationTests {
    /// Each case: query name label, type, and the line delv prints for a validated result.
    static let cases: [(label: String, type: String, expected: String)] = [
        ("host", "A", "; fully validated"),
        ("nothere", "A", "; negative response, fully validated"),
        ("host", "MX", "; negative response, fully validated"),
        ("ent", "A", "; negative response, fully validated"),
        ("foo.wild", "A", "; fully validated"),
        ("foo.wild", "AAAA", "; negative response, fully validated"),
        ("x.dn", "A", "; fully validated"),
        ("c1", "A", "; fully validated"),
    ]

    @Test("delv validates every kind of answer")
    func delvValidatesAnswers() throws {
        let zones = try SignedZones.zones()
        try withSwiftNamed(serving: zones.map(\.fixture)) { server, directory in
            for zone in zones {
                let anchor = try writeTrustAnchor(zone, in: directory)
                for (label, type, validated) in Self.cases {
                    // With opt-out, the NSEC3 that covers the next closer name of a wildcard
                    // answer may skip insecure delegations, so a validator cannot rule out an
                    // insecure delegation there (RFC 5155 section 9.2). delv reports BIND's
                    // answer the same way.
                    let optedOut = zone.fixture.name.hasPrefix("optout") && label == "foo.wild" && type == "A"
                    let expected = optedOut ? "; unsigned answer" : validated
                    let output = try delv(port: server.port, anchor: anchor, zone: zone.fixture.name,
                                          name: "\(label).\(zone.fixture.name)", type: type)
                    #expect(output.contains(expected), "delv \(label).\(zone.fixture.name) \(type):\n\(output)")
                }
            }
        }
    }

    /// delv must be able to fail: a record changed after signing has a signature that does
    /// not verify, and a zone served without signatures proves nothing.
    @Test("harness: delv rejects a changed and an unsigned zone")
    func delvRejectsBadData() throws {
        let zones = try SignedZones.zones()
        var changed = zones[0]
        changed.fixture.text = changed.fixture.text.replacingOccurrences(of: "192.0.2.10", with: "192.0.2.99")
        #expect(changed.fixture.text != zones[0].fixture.text)
        var unsigned = zones[1]
        unsigned.fixture = unsigned.unsigned

        try withSwiftNamed(serving: [changed.fixture, unsigned.fixture]) { server, directory in
            for zone in [changed, unsigned] {
                let anchor = try writeTrustAnchor(zone, in: directory)
                // The changed zone still proves NODATA for MX, whose NSEC did not change.
                for type in zone.fixture.name == changed.fixture.name ? ["A"] : ["A", "MX"] {
                    let output = try delv(port: server.port, anchor: anchor, zone: zone.fixture.name,
                                          name: "host.\(zone.fixture.name)", type: type)
                    #expect(!output.contains("fully validated"), "delv host.\(zone.fixture.name) \(type):\n\(output)")
                }
            }
        }
    }

    private func withSwiftNamed(serving zones: [ZoneFixture], body: (ServerProcess, String) throws -> Void) throws {
        let directory = try makeTemporaryDirectory(prefix: "delv")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ServerProcess.start(
            label: "swift-named", executable: try BuiltProducts.path(of: "named"), flavor: .swiftNamed,
            zones: zones, in: directory)
        defer { server.stop() }
        try server.waitUntilServing(zones: zones.map(\.name))
        try body(server, directory)
    }

    /// Writes a `trust-anchors` file with the zone's key-signing key for delv's `-a` option.
    private func writeTrustAnchor(_ zone: SignedZone, in directory: String) throws -> String {
        let fields = zone.keySigningKey.split(separator: " ")
        let path = directory + "/anchor-" + zone.fixture.name
        let text = "trust-anchors {\n  \"\(zone.fixture.name).\" static-key \(fields[0]) \(fields[1]) \(fields[2]) \""
            + fields.dropFirst(3).joined() + "\";\n};\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs delv against the server with `zone` as the root of trust. delv's exit status is
    /// 0 for negative answers too, so callers check its output.
    private func delv(port: UInt16, anchor: String, zone: String, name: String, type: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/delv")
        process.arguments = ["@127.0.0.1", "-p", String(port), "-a", anchor, "+root=\(zone)", name, type]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw HarnessError(description: "cannot start /usr/bin/delv (Debian package bind9-dnsutils): \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
