import Foundation
import Testing

@testable import DNSWire
@testable import DNSZone

@Suite("DNSSEC index")
struct DNSSECIndexTests {
    private func sha1Hex(_ bytes: [UInt8]) -> String {
        var hasher = SHA1()
        var digest = [UInt8](repeating: 0, count: SHA1.digestLength)
        bytes.withUnsafeBytes { hasher.update($0) }
        digest.withUnsafeMutableBytes { hasher.finish(into: $0.baseAddress!) }
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Test vectors from FIPS 180-2 appendix A and the empty message; the 1,000,000-octet
    /// message crosses many block boundaries in uneven pieces.
    @Test("SHA-1 of known messages")
    func sha1KnownVectors() {
        #expect(sha1Hex([]) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(sha1Hex(Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(sha1Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        var hasher = SHA1()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 997)
        var remaining = 1_000_000
        while remaining > 0 {
            let count = min(remaining, piece.count)
            piece.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            remaining -= count
        }
        var digest = [UInt8](repeating: 0, count: SHA1.digestLength)
        digest.withUnsafeMutableBytes { hasher.finish(into: $0.baseAddress!) }
        #expect(digest.map { String(format: "%02x", $0) }.joined() == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    /// RFC 5155 appendix A: salt aabbccdd, 12 extra iterations.
    @Test("NSEC3 hashes of RFC 5155's example zone")
    func nsec3HashesMatchRFC() throws {
        let origin = name("example.")
        let text = """
            example. 3600 IN SOA ns1.example. bugs.x.w.example. 1 3600 300 3600000 3600
            example. 3600 IN NSEC3PARAM 1 0 12 aabbccdd
            example. 3600 IN RRSIG SOA 7 1 3600 20150420235959 20051021000000 40430 example. AAAA
            0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 3600 IN NSEC3 1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG

            """
        let zone = try Zone(origin: origin, records: try parse(text, origin: origin).records)
        let index = try #require(zone.dnssec)
        #expect(index.hasNSEC3)
        #expect(index.nsec3Iterations == 12)

        let expected: [(String, String)] = [
            ("example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"),
            ("a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl"),
            ("ai.example.", "gjeqe526plbf1g8mklp59enfd789njgi"),
            ("x.w.example.", "b4um86eghhds6nea196smvmlo4ors995"),
            ("*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"),
        ]
        for (owner, hash) in expected {
            let wire = name(owner).wire.map(asciiLower)
            var digest = [UInt8](repeating: 0, count: SHA1.digestLength)
            wire.withUnsafeBufferPointer { bytes in
                digest.withUnsafeMutableBytes { index.nsec3Hash(bytes, from: 0, into: $0.baseAddress!) }
            }
            #expect(digest == Base32Hex.decode(Array(hash.utf8)), "NSEC3 hash of \(owner)")
        }
        let apexDigest = Base32Hex.decode(Array("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom".utf8))!
        #expect(apexDigest.withUnsafeBytes { index.nsec3Matching($0) } == 0)
        #expect(zone.lookup(name("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example."), type: .nsec3).isNameError)
    }

    @Test("unsigned zone has no index")
    func unsignedZoneHasNoIndex() throws {
        let origin = name("test.")
        let text = "test. 300 IN SOA ns. admin. 1 2 3 4 5\ntest. 300 IN NSEC host.test. SOA NSEC\n"
        let zone = try Zone(origin: origin, records: try parse(text, origin: origin).records)
        #expect(zone.dnssec == nil)
    }

    @Test("canonical order of wire names")
    func canonicalOrderOfNames() throws {
        // RFC 4034 section 6.1's example, in order.
        let names = ["example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.",
                     "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example."]
        let wires = names.map { name($0).wire }
        for (first, second) in zip(wires, wires.dropFirst()) {
            let order = first.withUnsafeBufferPointer { a in
                second.withUnsafeBufferPointer { b in canonicalCompare(a, 0, b, 0) }
            }
            #expect(order < 0, "\(first) sorts before \(second)")
        }
    }
}

extension LookupResult {
    var isNameError: Bool {
        if case .nameError = self { return true }
        return false
    }
}

/// RRSIG records at one owner sign RRsets with different TTLs; BIND 9.18 loads each with its
/// own TTL and prints no warning.
@Test func signaturesKeepTheirOwnTTLs() throws {
    let text = """
        $TTL 3600
        @ SOA ns hm 1 2 3 4 300
        @ NS ns
        ns A 192.0.2.1
        @ 3600 RRSIG SOA 13 2 3600 20800101000000 20240101000000 1 example.com. AAAA
        @ 300 RRSIG NSEC 13 2 300 20800101000000 20240101000000 1 example.com. AAAA
        @ 0 RRSIG NSEC3PARAM 13 2 0 20800101000000 20240101000000 1 example.com. AAAA

        """
    let parsed = try parse(text)
    #expect(!parsed.warnings.contains { $0.message.hasPrefix("TTL set to prior TTL") })
    #expect(parsed.records.filter { $0.type == .rrsig }.map(\.ttl) == [3600, 300, 0])
}
