import Foundation
import Testing
@testable import DNSWire
@testable import DNSZone

/// Runs Debian's BIND 9.18 `named-checkzone -D` on a zone and returns its standard output.
func bindDump(zone: String, file: String) throws -> String {
    try run(bindCheckzonePath, commonCheckzoneOptions + ["-D", "-o", "-", zone, file]).stdout
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

/// Every type with a text form here, with several records per RRset written out of order and
/// mixed case. Escaped names (`\.`, `\DDD`) sort differently in canonical order than as text.
/// RRSIGs cover several types at one name, some with no RRset there, and NSEC3 owners come
/// last in BIND's dump.
let everyTypeZone = ##"""
    $TTL 1h
    $ORIGIN Example.COM.
    @ IN SOA ns1 Host\.Master 2024010101 6h 1h 1W 1d
      NS ns2.example.net.
      NS NS1
      RRSIG SOA 8 2 3600 20300101000000 20240101000000 12345 example.com. AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
      RRSIG NS 8 2 3600 20300101000000 20240101000000 12345 example.com. BwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
      RRSIG NS 13 2 3600 20300101000000 20240101000000 54321 example.com. CwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
      RRSIG DNSKEY 8 2 3600 20300101000000 20240101000000 12345 example.com. DwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
      RRSIG NSEC 8 2 3600 20300101000000 20240101000000 12345 example.com. EwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
      RRSIG MX 8 2 3600 20300101000000 20240101000000 12345 example.com. FwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
      RRSIG TYPE65280 8 2 3600 20300101000000 20240101000000 12345 example.com. GwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
      RRSIG A 8 2 3600 20300101000000 20240101000000 12345 example.com. HwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
      MX 20 Mail
      MX 10 mail
      A 192.0.2.1
      TYPE65280 \# 2 0102
      NSEC \000.example.com. A NS SOA MX RRSIG NSEC DNSKEY TYPE65280
      DNSKEY 257 3 8 AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh/RStIoO8g0NfnfL2MTJRkxoXbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/Efucp2gaDX6RS6CXpoY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpzW5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIcGOYl7OyQdXfZ57relSQageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulqQxA+Uk1ihz0=
      DNSKEY 256 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==
      NSEC3PARAM 1 0 10 AABBCCDD
      CDS 12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE78F3D0F4A5B1C2D3E4F5A6B7
      CDNSKEY 257 3 8 AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
      ZONEMD 2024010101 1 1 ( 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
            0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF )
      CSYNC 2024010101 3 A NS AAAA
      TXT "v=spf1 -all"
      SPF "v=spf1 -all"
      CAA 0 issue "letsencrypt.org"
      CAA 128 tbs "Unknown"
      CAA 0 iodef "mailto:ops@example.com"
    \000 NSEC ns1 RRSIG NSEC
         RRSIG NSEC 8 3 3600 20300101000000 20240101000000 12345 example.com. AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    ns1 A 192.0.2.53
    NS1 A 192.0.2.54
    ns1 AAAA 2001:db8::53
    mail 300 IN A 192.0.2.25
    Mail AAAA 2001:DB8:0:0:0:0:0:25
    _sip._tcp SRV 20 5 5060 mail
    _sip._tcp SRV 10 5 5060 Mail
    _sip._tcp SRV 10 60 5060 ns1
    _sip._udp NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp
    naptr NAPTR 100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .
    naptr NAPTR 90 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .
    sshfp SSHFP 4 2 ( 123456789abcdef67890123456789abcdef67890123456789abcdef123456789 )
    sshfp SSHFP 1 1 DC5A8B9E66A44A4C85DD0A8C4B0E5B1D46E30D20
    _443._tcp.www TLSA 3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6
    smimea._smimecert SMIMEA 3 0 0 ( 308201A2 3082010B )
    ds DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
    ds DS 12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE78F3D0F4A5B1C2D3E4F5A6B7
    ds NS ns.ds
    ns.ds A 192.0.2.99
    dname DNAME example.net.
    loc LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m
    loc LOC 42 21 54 N 71 06 18 W -24m 30m
    hinfo HINFO "PC Intel" "Linux"
    rp RP mbox.example.com. txt.example.com.
    afsdb AFSDB 1 afs1
    afsdb AFSDB 2 afs2.example.net.
    cert CERT PGP 0 0 ( mQGiBDnY2vURBACaSeuh6ZxHq1axOcwhvWm8wVBQ )
    cert CERT 1 12345 RSASHA256 AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29
    openpgpkey OPENPGPKEY mQINBFit2jsBEADrbl5vjVxYeAE0g0IDYCBpHirv1Sjlqxx5gjtPhb2YhvyDMXjq
    uri URI 10 1 "ftp://ftp1.example.com/public"
    uri URI 10 1 "http://www.example.com/path"
    svc SVCB 1 . alpn="h2,h3" port=8443 ipv4hint=192.0.2.1,192.0.2.2 ech=AEn+DQBFKwAgACABWIHUGj4u+PIggYXcR5JF0gYk3dCRioBW8uJq9H4mKAAIAAEAAQABAANAEnB1YmxpYy50bHMtZWNoLmRldgAA ipv6hint=2001:db8::1,2001:db8::2 mandatory=alpn,ipv4hint no-default-alpn key7=/dns-query{?dns} key65000="x\"y"
    svc SVCB 0 svc.example.net.
    svc SVCB 2 svc2 port=53 key666
    https HTTPS 1 . alpn=h3,h2 port=443
    https HTTPS 0 www.example.net.
    www CNAME Mail
    a\.b TXT "dot inside a label"
    \065bc A 192.0.2.8
    A\.B TXT "escaped dot"
    \200 TXT "octet 200"
    z\008 TXT "control octet"
    *.wild A 192.0.2.11
    - TXT "dash"
    a A 192.0.2.13
    txt TXT "hello world" foo "a\"b\\c\010" ""
    txt TXT "second"
    txt TXT a b c
    unk TYPE65280 \# 30 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d
    unk TYPE65280 \# 0
    gen A \# 4 C0000202
    gen CLASS1 TXT "class one"
    gen 600 CLASS1 AAAA \# 16 20010db8000000000000000000000001
    ptr PTR ptr.example.org.
    2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S NSEC3 1 1 10 AABBCCDD 35MTHGPGCU1QG68FAB165KLNSNK3DPVL A RRSIG
    2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S RRSIG NSEC3 8 3 3600 20300101000000 20240101000000 12345 example.com. AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    35MTHGPGCU1QG68FAB165KLNSNK3DPVL NSEC3 1 1 10 AABBCCDD 2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S NS SOA MX RRSIG DNSKEY NSEC3PARAM
    35MTHGPGCU1QG68FAB165KLNSNK3DPVL RRSIG NSEC3 8 3 3600 20300101000000 20240101000000 12345 example.com. AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    b.ds A 192.0.2.14
    dns1 A 10.0.0.1
    dns1 RRSIG A 8 3 3600 20300101000000 20240101000000 12345 example.com. AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    dns1 RRSIG A 8 3 3600 20300101000000 20240101000000 1234 example.com. AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    dns1 NSEC dns1 A RRSIG NSEC
    dns1 RRSIG NSEC 8 3 3600 20300101000000 20240101000000 12345 example.com. AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    dns1 RRSIG TYPE1234 8 3 3600 20300101000000 20240101000000 12345 example.com. AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    dns1 RRSIG AAAA 8 3 3600 20300101000000 20240101000000 12345 example.com. AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    dns1 TYPE1234 \# 1 00
    kx KX 10 kx.example.net.
    minfo MINFO rmail emailbx.example.net.
    mb MB mail
    mg MG mail
    mr MR mail
    eui EUI48 00-11-22-33-44-Ab
    eui EUI64 00-11-22-33-44-55-66-77
    nid NID 10 0014:4fff:ff20:ee64
    nid NID 20 0:0:0:1
    l32 L32 10 10.1.2.0
    l64 L64 10 2001:0DB8:1140:1000
    lp LP 20 l64
    lp LP 10 l64-subnet1.example.com.
    dhcid DHCID ( AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA= )
    dhcid DHCID AAEBOSD+XR3Os/0LozeXVqcNc7FwCfQdWL3b/NaiUDlW2No=
    key KEY 256 3 8 AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    key KEY 256 3 253 B2V4YW1wbGUDY29tAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd
    rt RT 10 relay
    rt RT 5 relay.example.net.
    x25 X25 "311061700956"
    isdn ISDN "150862028003217" "004"
    isdn ISDN "150862028003217"
    avc AVC "app-name:WOLFGANG|app-class:OAM|business=yes"
    ninfo NINFO "hello" "world"
    ta TA 12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE78F3D0F4A5B1C2D3E4F5A6B7
    dlv DLV 12345 8 1 2BB183AF5F22588179A53B0A98631FAD1A292118
    talink TALINK prev next.example.net.
    hip HIP 2 200100107B1A74DF365639CC39F1D578 AwEAAbdxyhNuSutc5EMzxTs9LBPCIkOFH8cIvM4p9+LrV4e19WzK00+CI6zBCQTdtWsuxKbWIy87UOoJTwkUs7lBu+Upr1gsNrut79ryra+bSRGQb1slImA8YVJyuIDsj7kwzG7jnERNqnWxZ48AWkskmdHaVDP4BcelrTI3rMXdXF5D rvs1.example.com. rvs2

    """##

/// RRSIG RRsets that BIND's loader builds from one batch of lines or merges from several, and
/// owners spelled differently in different lines.
let signatureBatchZone = #"""
    $TTL 1h
    @ SOA ns hm 1 2 3 4 5
    @ NS ns
    ns A 192.0.2.1
    b RRSIG A 8 2 3600 20340101000000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7
    h A 192.0.2.4
    b RRSIG A 8 2 3600 20350101000000 20240101000000 2 example.com. AwEAAagAIKlVZrpC6Ia7
    C RRSIG A 8 2 3600 20340101000000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7
    c RRSIG A 8 2 3600 20350101000000 20240101000000 2 example.com. AwEAAagAIKlVZrpC6Ia7
    d RRSIG A 8 2 3600 20340101000000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7
    h A 192.0.2.5
    d RRSIG MX 8 2 3600 20350101000000 20240101000000 2 example.com. AwEAAagAIKlVZrpC6Ia7
    e RRSIG A 8 2 3600 20340101000000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7
    h A 192.0.2.6
    e RRSIG A 8 2 3600 20340101000000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7
    k RRSIG A 8 2 3600 20340101000000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7
    k A 192.0.2.6
    k RRSIG A 8 2 3600 20330101000000 20240101000000 4 example.com. AwEAAagAIKlVZrpC6Ia7
    m RRSIG A 8 2 3600 20300101000000 20240101000000 1 example.com. AwEAAagAIKlVZrpC6Ia7
    m RRSIG A 8 2 3600 20290101000000 20240101000000 2 example.com. AwEAAagAIKlVZrpC6Ia7
    w RRSIG A 8 2 3600 4294967000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7
    Q A 192.0.2.2
    q TXT "lower written"
    z A 192.0.2.3
    q TXT "later"
    Q MX 1 ns
    35MTHGPGCU1QG68FAB165KLNSNK3DPVL A 192.0.2.9
    35MTHGPGCU1QG68FAB165KLNSNK3DPVL NSEC3 1 1 10 - 35MTHGPGCU1QG68FAB165KLNSNK3DPVL A

    """#

/// The root zone, whose apex is the origin of the top of BIND's tree, with names that branch
/// below an empty `net.` and a first record with TTL 0.
let rootZone = """
    $TTL 86400
    . SOA a.root-servers.net. nstld.verisign-grs.com. 2024010101 1800 900 604800 86400
    . NS a.root-servers.net.
    example. 0 TXT "zero ttl"
    com. NS a.gtld-servers.net.
    a.gtld-servers.net. A 192.0.2.30
    a.root-servers.net. A 198.41.0.4
    arpa. NS a.root-servers.net.

    """

/// Names whose nodes in BIND's tree split in different places: wildcards (their parent is a
/// node), names that share a suffix with no records of its own, a long owner, mixed case in a
/// shared suffix, and $GENERATE.
let treeShapeZone = """
    $TTL 1h
    @ SOA ns hm 1 2 3 4 5
    @ NS ns
    ns A 192.0.2.1
    * TXT "apex wildcard"
    *.a.b TXT "deep wildcard"
    x.a.b TXT "sibling"
    q.r.s.t.u A 192.0.2.1
    p.r.s.t.u A 192.0.2.2
    v.t.u A 192.0.2.3
    t.u A 192.0.2.4
    a-very-long-owner-name-beyond-columns A 192.0.2.5
    Mixed.Case.Sub A 192.0.2.6
    other.case.sub A 192.0.2.7
    $GENERATE 1-3 host$ A 10.0.0.$

    """

/// A zone file for a parameterized test, shown in test output by its label.
struct TestZone: Sendable, CustomTestStringConvertible {
    var label: String
    var name: String
    var text: String

    init(_ label: String, _ name: String, _ text: String) {
        self.label = label
        self.name = name
        self.text = text
    }

    var testDescription: String { label }
}

/// `named-checkzone -D -o -` of the built program and of BIND on the same file, in both styles:
/// the same exit status and byte-identical standard output.
@Test(arguments: [
    TestZone("example", "example.com", exampleZone), TestZone("reverse", "1.0.10.in-addr.arpa", reverseZone),
    TestZone("mixed", "example.com", mixedZone), TestZone("every type", "example.com", everyTypeZone),
    TestZone("signature batches", "example.com", signatureBatchZone),
    TestZone("every type, zone name in mixed case", "Example.COM", everyTypeZone),
    TestZone("root", ".", rootZone), TestZone("tree shapes", "example.com", treeShapeZone),
], ["full", "relative"])
func checkzoneDumpMatchesBIND(zone: TestZone, style: String) throws {
    let directory = try ZoneDirectory()
    let path = try directory.write("zone.db", zone.text)
    let arguments = commonCheckzoneOptions + ["-D", "-s", style, "-o", "-", zone.name, path]
    let bind = try run(bindCheckzonePath, arguments)
    let ours = try run(checkzonePath, arguments)

    #expect(bind.status == 0, "BIND rejected the zone: \(bind.stderr)")
    #expect(ours.status == bind.status, "ours: \(ours.stderr)")
    #expect(!bind.stdout.isEmpty, "BIND's named-checkzone printed nothing")
    let expectedLines = bind.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    let ourLines = ours.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(ourLines.count == expectedLines.count)
    for (index, line) in zip(ourLines, expectedLines).enumerated() where line.0 != line.1 {
        Issue.record("line \(index + 1) differs:\n ours: \(line.0)\n BIND: \(line.1)")
    }
    #expect(ours.stdout == bind.stdout)
}

@Test func checkzoneStyleOption() throws {
    let directory = try ZoneDirectory()
    let path = try directory.write("zone.db", exampleZone)
    let plain = try run(checkzonePath, commonCheckzoneOptions + ["-D", "-o", "-", "example.com", path])
    let full = try run(checkzonePath, commonCheckzoneOptions + ["-D", "-s", "full", "-o", "-", "example.com", path])
    let relative = try run(checkzonePath, commonCheckzoneOptions + ["-D", "-s", "relative", "-o", "-", "example.com", path])
    let invalid = try run(checkzonePath, commonCheckzoneOptions + ["-D", "-s", "short", "-o", "-", "example.com", path])

    #expect(full.status == 0)
    #expect(full.stdout == plain.stdout)
    #expect(relative.status == 0)
    #expect(relative.stdout.hasPrefix("$ORIGIN .\n$TTL 86400\t; 1 day\nexample.com\t\tIN SOA\tdns1.example.com. hostmaster.example.com. (\n"))
    #expect(invalid.status == 1)
    #expect(invalid.stderr == "named-checkzone: invalid -s style 'short': expected full or relative\n")
}

@Test func checkzoneVersionOption() throws {
    let result = try run(checkzonePath, ["-v"])

    #expect(result.status == 0)
    #expect(result.stdout == swiftNamedVersion + "\n")
}

/// RRSIGs covering different types at one name, with different TTLs: BIND keeps an RRSIG RRset
/// per covered type, each with its own TTL and no "TTL set to prior TTL" warning.
let signatureTTLZone = """
    $TTL 1h
    @ SOA ns hm 1 2 3 4 5
    @ NS ns
    ns A 192.0.2.1
    s 300 RRSIG A 8 2 300 20340101000000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7
    s 600 RRSIG MX 8 2 600 20340101000000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7
    t 300 RRSIG A 8 2 300 20340101000000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7
    u A 192.0.2.1
    t 600 RRSIG MX 8 2 600 20340101000000 20240101000000 3 example.com. AwEAAagAIKlVZrpC6Ia7

    """

@Test func checkzoneKeepsSignatureTTLs() throws {
    let directory = try ZoneDirectory()
    let path = try directory.write("zone.db", signatureTTLZone)
    let arguments = commonCheckzoneOptions + ["-D", "-o", "-", "example.com", path]
    let bind = try run(bindCheckzonePath, arguments)
    let ours = try run(checkzonePath, arguments)

    #expect(bind.stdout.contains("s.example.com.\t\t\t\t      600 IN RRSIG\tMX"))
    #expect(ours.stdout == bind.stdout)
    #expect(!ours.stderr.contains("TTL set to prior TTL"))
}

/// Deprecated DS digest types and algorithms at a delegation, and a zone key of a deprecated
/// algorithm: BIND warns about each and calls the zone signed.
let deprecatedSigningZone = """
    $TTL 1h
    @ SOA ns hm 1 2 3 4 5
    @ NS ns
    ns A 192.0.2.1
    sub NS ns.sub
    ns.sub A 192.0.2.2
    sub DS 1 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
    sub DS 2 7 3 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE78F3D0F4A5B1C2D3E4F5A6B7
    @ DNSKEY 257 3 7 AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    @ DNSKEY 256 3 5 AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjF
    @ CDS 1 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
    @ NSEC3PARAM 2 0 1 -
    @ NSEC3PARAM 1 0 1 -

    """

/// named-checkzone without -D on the same file: the same exit status and the same messages.
@Test(arguments: [
    TestZone("example", "example.com", exampleZone), TestZone("reverse", "1.0.10.in-addr.arpa", reverseZone),
    TestZone("every type", "example.com", everyTypeZone), TestZone("deprecated signing", "example.com", deprecatedSigningZone),
    TestZone("signature batches", "example.com", signatureBatchZone),
])
func checkzoneMessagesMatchBIND(zone: TestZone) throws {
    let directory = try ZoneDirectory()
    try directory.write("zone.db", zone.text)
    let arguments = commonCheckzoneOptions + [zone.name, "zone.db"]
    let bind = try run(bindCheckzonePath, arguments, in: directory.path)
    let ours = try run(checkzonePath, arguments, in: directory.path)

    #expect(ours.status == bind.status)
    #expect(ours.stdout == bind.stdout)
    #expect(ours.stderr == bind.stderr)
}

@Test func checkzoneWarnsAboutMXWithoutAddress() throws {
    let directory = try ZoneDirectory()
    try directory.write("zone.db", header + "@ MX 10 Mail\n")
    let arguments = commonCheckzoneOptions + ["example.com", "zone.db"]
    let bind = try run(bindCheckzonePath, arguments, in: directory.path)
    let ours = try run(checkzonePath, arguments, in: directory.path)

    #expect(bind.stdout.contains("zone example.com/IN: example.com/MX 'Mail.example.com' has no address records (A or AAAA)\n"))
    withKnownIssue("ZoneValidator does not check that in-zone MX and SRV targets have addresses") {
        #expect(ours.stdout == bind.stdout)
    }
}
