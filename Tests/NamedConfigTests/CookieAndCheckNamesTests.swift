import Testing

@testable import NamedConfig

@Suite struct CookieAndCheckNamesTests {
    @Test func cookieDefaults() throws {
        let options = try ConfigLoader.load(text: "").configuration.options
        #expect(options.answerCookie)
        #expect(!options.requireServerCookie)
        #expect(options.cookieAlgorithm == .siphash24)
        #expect(options.cookieSecrets.isEmpty)
        #expect(options.noCookieUDPSize == 4096)
    }

    @Test func noCookieUDPSizeIsClamped() throws {
        for (written, expected) in [(100, 128), (600, 600), (70000, 65535)] {
            let options = try ConfigLoader.load(text: "options { nocookie-udp-size \(written); };").configuration.options
            #expect(options.noCookieUDPSize == expected, "nocookie-udp-size \(written)")
        }
    }

    @Test func cookieOptionsAreInterpreted() throws {
        let text = """
            options {
                answer-cookie no;
                require-server-cookie yes;
                cookie-algorithm siphash24;
                cookie-secret "0123456789abcdef0123456789ABCDEF";
                cookie-secret "ffeeddccbbaa99887766554433221100";
            };
            """
        let loaded = try ConfigLoader.load(text: text)
        #expect(loaded.diagnostics.isEmpty)
        let options = loaded.configuration.options
        #expect(!options.answerCookie)
        #expect(options.requireServerCookie)
        #expect(options.cookieSecrets.count == 2)
        #expect(options.cookieSecrets.first == [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF])
    }

    @Test func cookieSecretErrors() {
        let short = errors(of: "options { cookie-secret \"0123456789abcdef0123456789abcd\"; };")
        #expect(short.map(\.message) == ["cookie-secret must be 128 bits, not 120; write 32 hex digits"])
        let notHex = errors(of: "options { cookie-secret \"0123456789abcdef0123456789abcdeg\"; };")
        #expect(notHex.map(\.message) == ["cookie-secret: invalid hex string '0123456789abcdef0123456789abcdeg'; write 32 hex digits"])
        #expect(notHex.first?.line == 1)
    }

    @Test func cookieAlgorithmValues() {
        let aes = diagnostics(of: "options { cookie-algorithm aes; };")
        #expect(aes.map(\.severity) == [.warning])
        #expect(aes.first?.message.hasPrefix("cookie-algorithm 'aes' is deprecated") == true)
        let unknown = errors(of: "options { cookie-algorithm sha256; };")
        #expect(unknown.map(\.message) == ["'sha256' is not a valid value for 'cookie-algorithm'; write siphash24"])
        let boolean = errors(of: "options { answer-cookie maybe; };")
        #expect(boolean.count == 1)
    }

    @Test func checkNamesDefaults() throws {
        let options = try ConfigLoader.load(text: "").configuration.options
        #expect(options.checkNamesPrimary == .fail)
        #expect(options.checkNamesSecondary == .warn)
        #expect(options.checkNamesResponse == .ignore)
    }

    @Test func checkNamesInOptionsAndZones() throws {
        let text = """
            options {
                check-names master warn;
                check-names slave ignore;
                check-names response fail;
            };
            zone "example.com" { type primary; file "example.com.zone"; check-names ignore; };
            zone "example.net" { type primary; file "example.net.zone"; };
            """
        let loaded = try ConfigLoader.load(text: text)
        #expect(loaded.diagnostics.isEmpty)
        let options = loaded.configuration.options
        #expect(options.checkNamesPrimary == .warn)
        #expect(options.checkNamesSecondary == .ignore)
        #expect(options.checkNamesResponse == .fail)
        #expect(loaded.configuration.zones.map(\.checkNames) == [.ignore, nil])
    }

    @Test func checkNamesErrors() {
        #expect(errors(of: "options { check-names primary warn; check-names master fail; };").map(\.message)
            == ["'check-names' cannot take both 'primary' and 'master'; remove one of them"])
        #expect(errors(of: "options { check-names bogus warn; };").map(\.message)
            == ["'bogus' is not a valid zone type for 'check-names'; write primary, secondary or response"])
        #expect(errors(of: "options { check-names primary bogus; };").map(\.message)
            == ["'bogus' is not a valid mode for 'check-names'; write fail, warn or ignore"])
        #expect(errors(of: "options { check-names warn; };").count == 1)
        #expect(errors(of: "zone \"a\" { type primary; file \"a\"; check-names primary warn; };").map(\.message)
            == ["zone 'a': 'check-names' takes only a mode here; write check-names fail; (or warn, ignore)"])
    }
}
