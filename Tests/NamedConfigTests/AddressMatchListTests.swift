import Testing

@testable import NamedConfig

@Suite struct AddressMatchListTests {
    func list(_ body: String, acls: String = "") throws -> AddressMatchList {
        let loaded = try ConfigLoader.load(text: acls + "\nacl \"under-test\" { \(body) };")
        return try #require(loaded.configuration.acls["under-test"])
    }

    func address(_ text: String) throws -> IPAddress {
        try #require(IPAddress(text))
    }

    @Test func firstMatchWins() throws {
        let acl = try list("!192.0.2.1; 192.0.2.0/24; !192.0.2.0/24;")
        #expect(try !acl.evaluate(address("192.0.2.1")))
        #expect(try acl.evaluate(address("192.0.2.2")))
        #expect(try acl.match(address("192.0.2.1")) == .denied)
        #expect(try acl.match(address("198.51.100.1")) == .noMatch)
        #expect(try !acl.evaluate(address("198.51.100.1")))
    }

    @Test func anyAndNone() throws {
        #expect(try list("any;").evaluate(address("203.0.113.9")))
        #expect(try list("any;").evaluate(address("2001:db8::9")))
        #expect(try !list("none;").evaluate(address("203.0.113.9")))
        #expect(try !list("!any;").evaluate(address("203.0.113.9")))
        #expect(try list("!none; 10.0.0.1;").evaluate(address("10.0.0.1")))
    }

    @Test func ipv6Prefixes() throws {
        let acl = try list("::1; 2001:db8::/32; !2001:db8:1::/48;")
        #expect(try acl.evaluate(address("::1")))
        #expect(try acl.evaluate(address("2001:db8:1::5")))
        #expect(try !acl.evaluate(address("2001:db9::1")))
        #expect(try !acl.evaluate(address("127.0.0.1")))
    }

    @Test func shortenedIPv4Prefix() throws {
        let acl = try list("10/8; 192.168/16;")
        #expect(try acl.evaluate(address("10.200.0.1")))
        #expect(try acl.evaluate(address("192.168.4.4")))
        #expect(try !acl.evaluate(address("192.169.0.1")))
    }

    @Test func nestedListNegation() throws {
        // The outer '!' denies what the nested list allows.
        let acl = try list("!{ 10.0.0.0/8; }; any;")
        #expect(try !acl.evaluate(address("10.1.1.1")))
        #expect(try acl.evaluate(address("11.1.1.1")))
    }

    @Test func innerDenialIsNoMatch() throws {
        // 10.0.0.1 is denied inside the nested list. That counts as no match, so the outer
        // negation does not turn it into an allowance and evaluation reaches the next element.
        let acl = try list("!{ !10.0.0.1; 10.0.0.0/8; }; 10.0.0.1;")
        #expect(try acl.evaluate(address("10.0.0.1")))
        #expect(try !acl.evaluate(address("10.0.0.2")))
        let withoutFallback = try list("!{ !10.0.0.1; 10.0.0.0/8; };")
        #expect(try withoutFallback.match(address("10.0.0.1")) == .noMatch)
    }

    @Test func namedACLs() throws {
        let definitions = """
            acl internal { !10.9.0.0/16; 10.0.0.0/8; };
            acl "blocked" { 10.1.0.0/16; };
            """
        let acl = try list("!blocked; internal;", acls: definitions)
        #expect(try !acl.evaluate(address("10.1.2.3")))
        #expect(try acl.evaluate(address("10.2.2.3")))
        #expect(try !acl.evaluate(address("10.9.0.1")))
    }

    @Test func aclDefinedAfterUse() throws {
        let loaded = try ConfigLoader.load(text: "options { allow-query { later; }; };\nacl later { 192.0.2.0/24; };")
        let allowQuery = try #require(loaded.configuration.options.allowQuery)
        #expect(try allowQuery.evaluate(address("192.0.2.10")))
    }

    @Test func aclLoopIsReported() {
        let found = errors(of: "acl a { b; };\nacl b { a; };")
        #expect(found.contains { $0.message == "acl 'a' refers to itself through its own elements; remove the loop" })
    }

    @Test func localhostAndLocalnets() throws {
        let environment = AddressMatchEnvironment(
            localhost: [try address("192.0.2.7"), .loopbackV4],
            localnets: [IPPrefix(address: try address("192.0.2.0"), length: 24)]
        )
        let localhost = try list("localhost;")
        #expect(try localhost.evaluate(address("192.0.2.7"), environment: environment))
        #expect(try !localhost.evaluate(address("192.0.2.8"), environment: environment))
        #expect(localhost.evaluate(.loopbackV6))
        let localnets = try list("localnets;")
        #expect(try localnets.evaluate(address("192.0.2.8"), environment: environment))
        #expect(try !localnets.evaluate(address("198.51.100.1"), environment: environment))
    }

    @Test func keyElements() throws {
        let keyText = "key \"Transfer-Key\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };"
        let acl = try list("!key other; key \"Transfer-Key\";", acls: keyText + "\nkey other { algorithm hmac-sha256; secret \"b3RoZXI=\"; };")
        #expect(try acl.evaluate(address("192.0.2.1"), keyName: "transfer-key"))
        #expect(try !acl.evaluate(address("192.0.2.1"), keyName: "other"))
        #expect(try !acl.evaluate(address("192.0.2.1")))
    }

    @Test func ipAddressParsing() {
        #expect(IPAddress("192.0.2.1") == .v4(0xC000_0201))
        #expect(IPAddress("::1") == .loopbackV6)
        #expect(IPAddress("::") == .anyV6)
        #expect(IPAddress("2001:db8::") == .v6(0x2001_0db8_0000_0000, 0))
        #expect(IPAddress("::ffff:192.0.2.1") == .v6(0, 0x0000_ffff_c000_0201))
        #expect(IPAddress("1:2:3:4:5:6:7:8") == .v6(0x0001_0002_0003_0004, 0x0005_0006_0007_0008))
        for bad in ["256.0.0.1", "1.2.3", "1.2.3.4.5", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "fe80::1%eth0", "", "a.b.c.d", "1.2.3.04444"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func ipAddressFormatting() {
        #expect(IPAddress("2001:0db8:0000:0000:0000:0000:0000:0001")?.description == "2001:db8::1")
        #expect(IPAddress("2001:db8:0:1:0:0:0:1")?.description == "2001:db8:0:1::1")
        #expect(IPAddress("::")?.description == "::")
        #expect(IPAddress("10.20.30.40")?.description == "10.20.30.40")
    }
}

@Suite struct InterfaceEnvironmentTests {
    @Test func currentInterfacesIncludeLoopback() {
        let environment = AddressMatchEnvironment.currentInterfaces()
        #expect(environment.localhost.contains(.loopbackV4))
        #expect(environment.localnets.contains(IPPrefix(address: .v4(0x7F00_0000), length: 8)))
        let localnets = AddressMatchList([AddressMatchElement(.localnets)])
        #expect(localnets.evaluate(.v4(0x7F00_0005), environment: environment))
        #expect(!localnets.evaluate(.v4(0xC633_6401), environment: environment))
    }
}
