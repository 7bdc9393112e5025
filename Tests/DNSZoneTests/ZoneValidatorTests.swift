import Testing
@testable import DNSWire
@testable import DNSZone

func validate(_ body: String) throws -> (records: [ResourceRecord], diagnostics: [ZoneDiagnostic]) {
    let parsed = try parse(body)
    return ZoneValidator.validate(origin: exampleOrigin, records: parsed.records, file: "zone.db")
}

/// Each case: zone text, the expected diagnostic message and its severity.
let validatorCases: [(String, String, ZoneDiagnostic.Severity)] = [
    ("$TTL 1\n@ NS ns\nns A 1.1.1.1\n", "has 0 SOA records", .error),
    ("$TTL 1\n@ SOA ns hm 1 2 3 4 5\nns A 1.1.1.1\n", "has no NS records", .error),
    (header + "ns CNAME x\n", "ns.example.com: CNAME and other data", .error),
    (header + "@ NS ns2\n", "NS 'ns2.example.com' has no address records (A or AAAA)", .error),
    (header + "@ MX 10 c\nc CNAME ns\n", "example.com/MX 'c.example.com' is a CNAME (illegal)", .warning),
    (header + "_s._tcp SRV 0 0 1 c\nc CNAME ns\n", "_s._tcp.example.com/SRV 'c.example.com' is a CNAME (illegal)", .warning),
    (header + "sub NS ns.sub\n", "sub.example.com/NS 'ns.sub.example.com' has no REQUIRED GLUE address records (A or AAAA)", .warning),
    (header + "@ SOA ns hm 2 2 3 4 5\n", "example.com: multiple RRs of singleton type", .error),
    (header + "x SOA ns hm 2 2 3 4 5\n", "SOA record not at top of zone (x.example.com)", .error),
]

@Test func validatorDiagnostics() throws {
    for (text, message, severity) in validatorCases {
        let result = try validate(text)
        let match = result.diagnostics.first { $0.message == message }
        #expect(match != nil, "\(message) not in \(result.diagnostics.map(\.message))")
        #expect(match?.severity == severity, "\(message)")
    }
}

@Test func validatorMergesDuplicatesAndTTLs() throws {
    let result = try validate(header + "x 10 A 1.1.1.1\ny A 1.1.1.2\nx 20 A 1.1.1.1\nx 30 A 1.1.1.3\n")
    let x = result.records.filter { $0.owner == name("x.example.com.") }
    #expect(x.count == 2)
    #expect(x.map(\.ttl) == [20, 20])
    #expect(result.diagnostics.isEmpty)
}

@Test func validatorDropsOutOfZoneAndClassMismatch() {
    let records = [
        ResourceRecord(owner: name("example.com."), type: .soa, ttl: 1, rdata: try! RDataText.parse(
            type: .soa, fields: "ns.example.com. hm.example.com. 1 2 3 4 5".split(separator: " ").map { PresentationField(text: String($0)) }, origin: nil)),
        ResourceRecord(owner: name("example.com."), type: .ns, ttl: 1, rdata: name("ns.example.net.").wire),
        ResourceRecord(owner: name("other.org."), type: .a, ttl: 1, rdata: [1, 2, 3, 4]),
        ResourceRecord(owner: name("x.example.com."), type: .a, rrClass: .chaos, ttl: 1, rdata: [1, 2, 3, 4]),
        ResourceRecord(owner: name("y.example.com."), type: .a, ttl: 0x8000_0000, rdata: [1, 2, 3, 4]),
    ]
    let result = ZoneValidator.validate(origin: name("example.com."), records: records, file: "f")
    #expect(result.records.count == 3)
    #expect(result.records.last?.ttl == 0)
    #expect(result.diagnostics.map(\.message) == [
        "ignoring out-of-zone data (other.org)",
        "x.example.com: class 'CH' != zone class 'IN'",
        "y.example.com/A: TTL 2147483648 > MAXTTL, setting TTL to 0",
    ])
    #expect(result.diagnostics.map(\.severity) == [.warning, .error, .warning])
}

@Test func singletonMessagesFollowOwnerOrder() throws {
    // b gets its CNAME before a does, but a appears first: a's message comes first, as in BIND.
    let result = try validate(header + "a A 192.0.2.1\nb CNAME ns\nb A 192.0.2.2\na CNAME ns\n")
    #expect(result.diagnostics.map(\.message) == ["a.example.com: CNAME and other data", "b.example.com: CNAME and other data"])
}
