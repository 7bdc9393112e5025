import Testing
@testable import DNSWire

/// Splits test input into fields at spaces outside double quotes, as the zone lexer does.
private func fields(_ text: String) -> [PresentationField] {
    var result: [PresentationField] = []
    var current = ""
    var inQuotes = false
    var wasQuoted = false
    var escaped = false
    for char in text {
        if escaped {
            current.append(char)
            escaped = false
        } else if char == "\\" {
            current.append(char)
            escaped = true
        } else if char == "\"" {
            if !inQuotes && !current.isEmpty {
                result.append(PresentationField(text: current))
                current = ""
            }
            if inQuotes {
                result.append(PresentationField(text: current, isQuoted: true))
                current = ""
                wasQuoted = true
            }
            inQuotes.toggle()
        } else if char == " " && !inQuotes {
            if !current.isEmpty { result.append(PresentationField(text: current)) }
            current = ""
            wasQuoted = false
        } else {
            current.append(char)
        }
    }
    if !current.isEmpty && !wasQuoted { result.append(PresentationField(text: current)) }
    return result
}

private let origin = try! DomainName(parsing: "example.com.")

// Expected texts are named-checkzone -D output of BIND 9.18.
@Test(arguments: [
    (RRType.rrsig, "A 8 2 300 20240101000000 1700000000 12345 example.com. AwEAAbcd",
     "A 8 2 300 20240101000000 20231114221320 12345 example.com. AwEAAbcd"),
    (.rrsig, "TYPE65280 13 0 4294967295 20380119031407 20380119031408 0 . AA==",
     "TYPE65280 13 0 4294967295 20380119031407 20380119031408 0 . AA=="),
    (.rrsig, "8 8 2 300 20240101000000 20230101000000 1 @ AAAA", "MG 8 2 300 20240101000000 20230101000000 1 example.com. AAAA"),
    (.nsec, "ns A NS SOA RRSIG NSEC DNSKEY TYPE1234 CAA", "ns.example.com. A NS SOA RRSIG NSEC DNSKEY CAA TYPE1234"),
    (.nsec, "example.com. TYPE0", "example.com. TYPE0"),
    (.nsec, "example.com. A TYPE65535 NS", "example.com. A NS TYPE65535"),
    (.nsec3, "1 1 10 aabbcc 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG", "1 1 10 AABBCC 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG"),
    (.nsec3, "1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR", "1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR"),
    (.nsec3, "2 0 1 - 2T7B4G4VS0", "2 0 1 - 2T7B4G4VS0"),
    (.nsec3param, "1 0 10 AABBCCDD", "1 0 10 AABBCCDD"),
    (.nsec3param, "1 1 0 -", "1 1 0 -"),
    (.smimea, "3 1 1 d2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e4561cb106618e971",
     "3 1 1 D2ABDE240D7CD3EE6B4B28C54DF034B97983A1D16E8A410E4561CB10 6618E971"),
    (.csync, "66 3 A NS AAAA", "66 3 A NS AAAA"),
    (.csync, "0 0", "0 0"),
    (.zonemd, "1 0 0 00112233445566778899AABB", "1 0 0 00112233445566778899AABB"),
    (.zonemd, "1 3 9 00112233445566778899AABB", "1 3 9 00112233445566778899AABB"),
    (.cert, "PGP 0 0 AwEAAQ==", "PGP 0 0 AwEAAQ=="),
    (.cert, "1 12345 RSASHA256 AwEAAQ==", "PKIX 12345 RSASHA256 AwEAAQ=="),
    (.cert, "URI 0 255 AA==", "URI 0 255 AA=="),
    (.loc, "42 21 54 N 71 06 18 W -24m 30m", "42 21 54.000 N 71 6 18.000 W -24.00m 30m 10000m 10m"),
    (.loc, "42 21 43.952 N 71 5 6.344 W -24m 1m 200m 10m", "42 21 43.952 N 71 5 6.344 W -24.00m 1m 200m 10m"),
    (.loc, "32 7 19 S 116 2 25 E 10m", "32 7 19.000 S 116 2 25.000 E 10.00m 1m 10000m 10m"),
    (.loc, "90 S 180 W 42849672.95m 90000000m 90000000m 90000000m", "90 0 0.000 S 180 0 0.000 W 42849672.95m 90000000m 90000000m 90000000m"),
    (.loc, "1 2 N 3 4 5.5 E -100000.00m 0.01m 0.10m 9000000m", "1 2 0.000 N 3 4 5.500 E -100000.00m 0.01m 0.10m 9000000m"),
    (.svcb, "0 foo.example.com.", "0 foo.example.com."),
    (.svcb, "1 . alpn=h2,h3 port=8443 ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1",
     "1 . alpn=\"h2,h3\" port=8443 ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1"),
    (.svcb, "16 foo.example.org. mandatory=alpn,ipv4hint alpn=h2 ipv4hint=192.0.2.1",
     "16 foo.example.org. mandatory=alpn,ipv4hint alpn=\"h2\" ipv4hint=192.0.2.1"),
    (.https, "1 . alpn=\"h3,h2\" no-default-alpn ech=AEP+DQA= key65333=ex1 key667=\"hello\\210qoo\"",
     "1 . alpn=\"h3,h2\" no-default-alpn ech=AEP+DQA= key667=\"hello\\210qoo\" key65333=\"ex1\""),
    (.https, "2 . key65535 port=53", "2 . port=53 key65535"),
    (.https, "1 . alpn=\"f\\\\\\\\oo\\\\,bar,h2\"", "1 . alpn=\"f\\\\\\\\oo\\\\,bar,h2\""),
    (.svcb, "1 . key3=\\000P key1=\\002h2", "1 . alpn=\"h2\" port=80"),
    (.svcb, "1 . dohpath=/q{?dns}", "1 . key7=\"/q{?dns}\""),
    (.hip, "2 200100107b1a74df365639cc39f1d578 AwEAAQ== rvs1.example.com. rvs2", "2 200100107B1A74DF365639CC39F1D578 AwEAAQ== rvs1.example.com. rvs2.example.com."),
])
func dnssecAndServiceRoundTrip(type: RRType, input: String, expected: String) throws {
    let wire = try RDataText.parse(type: type, fields: fields(input), origin: origin)
    #expect(RDataText.format(type: type, rdata: wire) == expected)
    let again = try RDataText.parse(type: type, fields: fields(expected), origin: origin)
    #expect(again == wire)
}

@Test func nsecBitmapWireForm() throws {
    let wire = try RDataText.parse(type: .nsec, fields: fields(". A MX RRSIG NSEC TYPE1234"), origin: origin)
    // RFC 4034 section 4.3 example layout: window 0 of 6 octets, window 4 of 27 octets.
    #expect(Array(wire.prefix(9)) == [0, 0x00, 0x06, 0x40, 0x01, 0x00, 0x00, 0x00, 0x03])
    #expect(wire[9] == 0x04)
    #expect(wire[10] == 0x1B)
    #expect(wire.last == 0x20)
}

@Test func svcbKeysSortedOnWire() throws {
    let wire = try RDataText.parse(type: .svcb, fields: fields("1 . port=53 alpn=h2"), origin: origin)
    #expect(wire == [0, 1, 0, 0, 1, 0, 3, 2, 0x68, 0x32, 0, 3, 0, 2, 0, 53])
}

@Test func signatureTimeSerialArithmetic() {
    #expect(SignatureTime.text(0xFFFF_FFFF, now: 1_800_000_000) == "19691231235959")
    #expect(SignatureTime.text(0xFFFF_FFFF, now: 4_000_000_000) == "21060207062815")
    #expect(SignatureTime.text(0, now: 1_800_000_000) == "19700101000000")
}

@Test(arguments: [
    (RRType.rrsig, "A 8 2 300 2024010100000 20230101000000 1 x. AAAA", "invalid signature expiration '2024010100000'"),
    (.rrsig, "A 8 2 300 20241301000000 20230101000000 1 x. AAAA", "expected a UTC time YYYYMMDDHHmmSS"),
    (.rrsig, "A 8 2 300 20240101000000 20230101000000 1 x AAAA", "invalid signer name 'x'"),
    (.rrsig, "BOGUS 8 2 300 20240101000000 20230101000000 1 x. AAAA", "invalid type covered 'BOGUS'"),
    (.rrsig, "A 8 2 300 20240101000000 20230101000000 1 x.", "missing its signature"),
    (.nsec, "example.com.", "empty type bitmap"),
    (.nsec, "example.com. 1 NS", "invalid type '1' in the NSEC type bitmap"),
    (.nsec3, "1 0 1 - 2T7B4G4V", "a SHA-1 hash (algorithm 1) is 20 octets"),
    (.nsec3, "1 0 1 - 2T", "invalid next hashed owner name '2T'"),
    (.nsec3, "1 0 1 - 2T7B4G4VS", "invalid next hashed owner name"),
    (.nsec3param, "1 0 0 \"\"", "write '-' for an empty salt"),
    (.nsec3param, "1 0 0 ABC", "odd number of hexadecimal digits"),
    (.zonemd, "1 1 1 00", "needs 48 octets"),
    (.zonemd, "1 0 0 AABBCCDDEEFF00112233", "at least 12 octets"),
    (.cert, "BOGUS 0 0 AA==", "invalid certificate type 'BOGUS'"),
    (.loc, "91 N 0 E 0m", "invalid latitude degrees '91'"),
    (.loc, "1 2 N 3 4.5 E 0m", "invalid longitude minutes '4.5'"),
    (.loc, "1 N 3 E 9e9m", "invalid altitude '9e9m'"),
    (.loc, "1 X 3 E 0m", "invalid latitude minutes 'X'"),
    (.loc, "1 N 3 E 0m 1m 1m 90000001m", "invalid vertical precision '90000001m'"),
    (.svcb, "1 . no-default-alpn", "no-default-alpn without alpn"),
    (.svcb, "1 . mandatory=port", "lists 'port', which the record does not contain"),
    (.svcb, "1 . mandatory=mandatory port=1", "lists 'mandatory' itself"),
    (.svcb, "1 . port=1 port=2", "duplicate SvcParam key 'port'"),
    (.svcb, "1 . mandatory=port,port port=2", "key 'port' appears twice"),
    (.svcb, "1 . key1=h2", "invalid value for key1"),
    (.svcb, "1 . key4=", "invalid value for key4"),
    (.svcb, "1 . port=http", "invalid port 'http'"),
    (.svcb, "1 . ipv4hint=192.0.2.1,2001:db8::1", "invalid address '2001:db8::1' in SvcParam ipv4hint"),
    (.svcb, "1 . colour=red", "invalid SvcParam key 'colour'"),
])
func dnssecAndServiceRejections(type: RRType, input: String, expected: String) {
    do {
        _ = try RDataText.parse(type: type, fields: fields(input), origin: origin)
        Issue.record("\(type) '\(input)' was accepted")
    } catch {
        #expect(error.message.contains(expected), "message: \(error.message)")
    }
}

@Test func malformedWirePrintsGeneric() {
    // A type bitmap whose last octet is zero breaks RFC 4034 section 4.1.2.
    let rdata: [UInt8] = [0, 0, 2, 0x40, 0x00]
    #expect(RDataText.format(type: .nsec, rdata: rdata) == "\\# 5 0000024000")
    // SvcParams out of key order.
    let svcb: [UInt8] = [0, 1, 0, 0, 3, 0, 2, 0, 53, 0, 1, 0, 3, 2, 0x68, 0x32]
    #expect(RDataText.format(type: .svcb, rdata: svcb).hasPrefix("\\# 16"))
}
