import Foundation
import Testing
@testable import DNSWire
@testable import DNSZone

/// Runs Debian's BIND 9.18 `named-checkzone -D` on a zone and returns its standard output.
func bindDump(zone: String, file: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/named-checkzone")
    process.arguments = ["-D", zone, file]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

let mixedZone = """
    $TTL 1h
    @ SOA dns1 hostmaster 2024010101 6h 1h 1W 1d
      NS dns1
      NS dns2.example.net.
      MX 10 Mail
    dns1 A 10.0.1.1
    Caps 300 TXT "hello world" foo "a\\"b\\\\c\\010" ""
    aaaa AAAA 2001:db8:0:0:0:0:0:1
    aaaa AAAA ::ffff:1.2.3.4
    aaaa AAAA 1::
    _sip._tcp SRV 10 5 5060 dns1
    caa CAA 0 issue "letsencrypt.org"
    hinfo HINFO PC Linux
    dn DNAME example.net.
    unk TYPE65280 \\# 30 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d
    n NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp
    ds DS 12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE78F3D0F4A5B1C2D3E4F5A6B7
    k DNSKEY 257 3 8 AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh/RStIoO8g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/Efucp2gaDX6RS6CXpoY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpzW5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIcGOYl7OyQdXfZ57relSQageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulqQxA+Uk1ihz0=
    x 10 A 192.0.2.1
    x 20 A 192.0.2.2
    other.example.org. A 192.0.2.9

    """

@Test(arguments: [("example.com", exampleZone), ("1.0.10.in-addr.arpa", reverseZone), ("example.com", mixedZone)])
func dumpMatchesBIND(zone: String, text: String) throws {
    let directory = try ZoneDirectory()
    let path = try directory.write("zone.db", text)
    let expected = try bindDump(zone: zone, file: path)
    #expect(!expected.isEmpty, "BIND's named-checkzone printed nothing")

    let origin = try DomainName(parsing: zone + ".")
    let parsed = try ZoneFileParser.parse(path: path, origin: origin)
    let checked = ZoneValidator.validate(origin: origin, records: parsed.records, file: path)
    #expect(!checked.diagnostics.contains { $0.severity == .error })
    let ours = ZoneDump.format(checked.records)

    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let ourLines = ours.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(ourLines.count == expectedLines.count)
    for (index, line) in zip(ourLines, expectedLines).enumerated() where line.0 != line.1 {
        Issue.record("line \(index + 1) differs:\n ours: \(line.0)\n BIND: \(line.1)")
    }
    #expect(ours == expected)
}
