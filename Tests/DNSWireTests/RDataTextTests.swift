import Testing
@testable import DNSWire

/// Splits test input into fields at spaces outside double quotes.
private func fields(_ text: String) -> [PresentationField] {
    var result: [PresentationField] = []
    var current = ""
    var inQuotes = false
    var wasQuoted = false
    var previous: Character = " "
    for char in text {
        if char == "\"" && previous != "\\" {
            inQuotes.toggle()
            wasQuoted = true
        } else if char == " " && !inQuotes {
            if !current.isEmpty || wasQuoted { result.append(PresentationField(text: current, isQuoted: wasQuoted)) }
            current = ""
            wasQuoted = false
        } else {
            current.append(char)
        }
        previous = char == "\\" && previous == "\\" ? " " : char
    }
    if !current.isEmpty || wasQuoted { result.append(PresentationField(text: current, isQuoted: wasQuoted)) }
    return result
}

private let origin = try! DomainName(parsing: "example.com.")

@Test(arguments: [
    (RRType.a, "192.0.2.1", "192.0.2.1"),
    (.aaaa, "2001:db8:0:0:0:0:0:1", "2001:db8::1"),
    (.aaaa, "::ffff:1.2.3.4", "::ffff:1.2.3.4"),
    (.aaaa, "::1.2.3.4", "::1.2.3.4"),
    (.aaaa, "1:0:0:1:0:0:0:1", "1:0:0:1::1"),
    (.aaaa, "1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"),
    (.aaaa, "::1", "::1"),
    (.aaaa, "::", "::"),
    (.ns, "dns1", "dns1.example.com."),
    (.cname, "www.example.net.", "www.example.net."),
    (.ptr, "@", "example.com."),
    (.dname, "example.net.", "example.net."),
    (.soa, "dns1 hostmaster 2001062501 6h 1H 1W2D 1d", "dns1.example.com. hostmaster.example.com. 2001062501 21600 3600 777600 86400"),
    (.mx, "10 mail", "10 mail.example.com."),
    (.srv, "10 5 5060 sip", "10 5 5060 sip.example.com."),
    (.txt, "\"hello world\" foo \"\"", "\"hello world\" \"foo\" \"\""),
    (.txt, "\"a\\\"b\\\\c\\010\\255\"", "\"a\\\"b\\\\c\\010\\255\""),
    (.spf, "\"v=spf1 -all\"", "\"v=spf1 -all\""),
    (.hinfo, "PC Linux", "\"PC\" \"Linux\""),
    (.caa, "0 issue \"letsencrypt.org\"", "0 issue \"letsencrypt.org\""),
    (.naptr, "100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp", "100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.example.com."),
    (.uri, "10 1 \"ftp://x/\"", "10 1 \"ftp://x/\""),
    (.ds, "1 8 5 d0d5c413 e55dc6a6", "1 8 5 D0D5C413E55DC6A6"),
    (.sshfp, "1 1 D0D5C413E55DC6A635910C19CC66FBE4553AE823", "1 1 D0D5C413E55DC6A635910C19CC66FBE4553AE823"),
    (.dnskey, "257 3 8 AwEAAQ==", "257 3 8 AwEAAQ=="),
    (RRType(rawValue: 65280), "\\# 3 010203", "\\# 3 010203"),
    (RRType(rawValue: 65281), "\\# 0", "\\# 0"),
    (.a, "\\# 4 0a000001", "10.0.0.1"),
])
func rdataRoundTrip(type: RRType, input: String, expected: String) throws {
    let wire = try RDataText.parse(type: type, fields: fields(input), origin: origin)
    #expect(RDataText.format(type: type, rdata: wire) == expected)
    let again = try RDataText.parse(type: type, fields: fields(expected), origin: origin)
    #expect(again == wire)
}

@Test func aRecordWireForm() throws {
    let wire = try RDataText.parse(type: .a, fields: fields("10.0.1.5"), origin: nil)
    #expect(wire == [10, 0, 1, 5])
}

@Test func longHexSplitsLikeBIND() {
    let bytes = [UInt8](repeating: 0xAB, count: 30)
    let text = RDataText.formatGeneric(bytes)
    #expect(text == "\\# 30 " + String(repeating: "AB", count: 28) + " ABAB")
}

@Test(arguments: [
    (RRType.a, "1.1.1", "invalid IPv4 address '1.1.1'"),
    (.a, "1.1.1.256", "invalid IPv4 address '1.1.1.256'"),
    (.aaaa, "1::2::3", "invalid IPv6 address '1::2::3'"),
    (.mx, "70000 mail", "invalid preference '70000'"),
    (.mx, "10", "MX record is missing its exchange name"),
    (.a, "1.2.3.4 5.6.7.8", "unexpected extra text '5.6.7.8'"),
    (.soa, "a b 1 2 3 4 1h30", "invalid minimum '1h30'"),
    (.txt, "\\300", "invalid escape '\\300'"),
    (RRType(rawValue: 65280), "\\# 4 0102", "'\\#' length 4 does not match the 2 octets"),
    (.a, "\\# 3 010203", "'\\#' data '010203' is not valid A RDATA"),
    (.ipseckey, "10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==", "type IPSECKEY has no text format here"),
    (.caa, "0 is-sue \"x\"", "invalid CAA tag 'is-sue'"),
])
func rdataRejections(type: RRType, input: String, expected: String) {
    do {
        _ = try RDataText.parse(type: type, fields: fields(input), origin: origin)
        Issue.record("\(type) '\(input)' was accepted")
    } catch {
        #expect(error.message.contains(expected), "message: \(error.message)")
    }
}

@Test func txtStringOver255OctetsRejected() {
    let long = PresentationField(text: String(repeating: "x", count: 256), isQuoted: true)
    #expect(throws: RDataTextError.self) {
        try RDataText.parse(type: .txt, fields: [long], origin: nil)
    }
}

@Test(arguments: [
    ("300", UInt32(300)), ("1W2D", 777_600), ("1h30m", 5400), ("1d", 86400), ("2s", 2), ("0", 0),
])
func ttlUnits(text: String, seconds: UInt32) {
    #expect(TTLText.parse(text) == seconds)
}

@Test(arguments: ["1h30", "", "h", "1x", "4294967296"])
func ttlRejections(text: String) {
    #expect(TTLText.parse(text) == nil)
}

@Test func namesParseTheSameOnEveryPath() throws {
    let origin = try DomainName(parsing: "Example.COM.")
    let texts = ["a", "ab.c", "host-1.sub", "A.B.C.D", String(repeating: "x", count: 63), String(repeating: "x", count: 64),
                 String(repeating: "a.", count: 120) + "b", ".a", "a..b", "a\\.b", "\\065b", "a.", "@", "."]
    for text in texts {
        let viaString = Result { () throws(DomainNameError) in try DomainName(parsing: text, origin: origin) }
        var copy = text
        let viaAppend: Result<DomainName, DomainNameError> = copy.withUTF8 { bytes in
            var wire: [UInt8] = []
            do {
                try DomainName.appendWire(parsingUTF8: bytes, origin: origin, to: &wire)
                return .success(DomainName(uncheckedWire: wire))
            } catch let error as DomainNameError {
                return .failure(error)
            } catch {
                fatalError("appendWire throws only DomainNameError")
            }
        }
        switch (viaString, viaAppend) {
        case (.success(let a), .success(let b)): #expect(a.wire == b.wire, "\(text)")
        case (.failure(let a), .failure(let b)): #expect(a == b, "\(text)")
        default: Issue.record("'\(text)': \(viaString) versus \(viaAppend)")
        }
    }
    #expect(try DomainName(parsing: "ab.c", origin: origin).wire == [2, 97, 98, 1, 99, 7] + Array("Example".utf8) + [3] + Array("COM".utf8) + [0])
}
