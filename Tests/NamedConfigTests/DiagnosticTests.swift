import Testing

@testable import NamedConfig

@Suite struct DiagnosticTests {
    /// Each invalid input with the single error it must produce: line and full message.
    static let errorCases: [(text: String, line: Int, message: String)] = [
        (
            "options {\n\tlisen-on { any; };\n};", 2,
            "unknown option 'lisen-on'; check the spelling against named.conf(5)"
        ),
        ("\nzonee \"a\" { type primary; };", 2, "unknown option 'zonee'; check the spelling against named.conf(5)"),
        (
            "zone \"a\" {\n\ttype primary;\n\tfil \"a\";\n};", 3,
            "unknown option 'fil'; check the spelling against named.conf(5)"
        ),
        ("zone \"a\" { file \"x\"; };", 1, "zone 'a': type not present; add type primary; (or secondary, hint, ...)"),
        (
            "zone \"a\" { type primary; };", 1,
            "zone 'a': missing 'file' entry; add file \"a.zone\"; (the zone file, relative to 'directory')"
        ),
        (
            "zone \"a\" { type secondary; };", 1,
            "zone 'a': missing 'primaries' entry; add primaries { ADDRESS; }; naming the primary server"
        ),
        (
            "zone \"a\" { type primary; file \"a\"; };\nzone \"A.\" { type primary; file \"b\"; };", 2,
            "zone 'A.': already exists, previous definition at named.conf:1; remove one of them"
        ),
        ("zone \"a\" { type authoritative; };", 1, "zone 'a': 'authoritative' is not a valid zone type; write primary or secondary"),
        (
            "options {\n allow-query { 10.0.0.300; };\n};", 2,
            "'10.0.0.300' in 'allow-query' is not a valid IP address or prefix; write an address such as 192.0.2.1 or 2001:db8::1, or a prefix such as 10.0.0.0/8"
        ),
        (
            "options { allow-query { 10.0.0.1/8; }; };", 1,
            "'10.0.0.1/8' in 'allow-query' has address bits set past the /8 prefix length; write 10.0.0.0/8"
        ),
        (
            "options { allow-transfer { 2001:db8::/129; }; };", 1,
            "'2001:db8::/129' in 'allow-transfer' has an invalid prefix length; use /0 to /32 for IPv4 or /0 to /128 for IPv6"
        ),
        (
            "options { tcp-clients abc; };", 1,
            "'abc' is not a valid number for 'tcp-clients'; write a whole number from 1 to 4294967295"
        ),
        (
            "options { listen-on port 99999 { any; }; };", 1,
            "'99999' is not a valid number for 'listen-on port'; write a whole number from 0 to 65535"
        ),
        ("options { recursion maybe; };", 1, "'maybe' is not a valid boolean for 'recursion'; write yes or no"),
        (
            "options { notify sometimes; };", 1,
            "'sometimes' is not a valid value for 'notify'; write yes, no, explicit or primary-only"
        ),
        (
            "options { minimal-responses always; };", 1,
            "'always' is not a valid value for 'minimal-responses'; write yes, no, no-auth or no-auth-recursive"
        ),
        (
            "options { allow-query { trusted; }; };", 1,
            "undefined acl 'trusted'; define it with acl \"trusted\" { ... }; or correct the name"
        ),
        ("acl any { 10.0.0.0/8; };", 1, "acl 'any' redefines a built-in acl; choose another name"),
        ("options { directory \"/a\"; };\noptions { directory \"/b\"; };", 2, "'options' redefined; merge it into the options statement at named.conf:1"),
        (
            "key \"k\" { algorithm hmac-sha256; };", 1,
            "key 'k' is missing 'secret'; add secret \"BASE64\"; as made by tsig-keygen"
        ),
        (
            "zone \"a\" { type primary; file \"a\"; allow-update { key \"nokey\"; }; };", 1,
            "key 'nokey' in 'allow-update' is not defined; define it with key \"nokey\" { algorithm ...; secret ...; };"
        ),
        (
            "zone \"a\" { type secondary; primaries { 192.0.2.1 port 70000; }; };", 1,
            "'70000' is not a valid number for 'primaries port'; write a whole number from 0 to 65535"
        ),
        (
            "zone \"a\" { type secondary; primaries { upstream; }; };", 1,
            "undefined server list 'upstream' in 'primaries'; define it with primaries \"upstream\" { ADDRESS; }; or write an address"
        ),
        (
            "logging {\n channel c { syslog; stderr; };\n};", 2,
            "channel 'c' has more than one destination; keep one of file, syslog, stderr or null"
        ),
        (
            "logging { category queries { nowhere; }; };", 1,
            "category 'queries': undefined channel 'nowhere'; define it with channel nowhere { ... };"
        ),
        (
            "controls { inet 127.0.0.1 port 953; };", 1,
            "controls inet is missing 'allow'; add allow { 127.0.0.1; }"
        ),
        (
            "view \"v\" { match-clients { any; }; };\nzone \"a\" { type primary; file \"a\"; };", 2,
            "zone 'a' is outside any view: when using 'view' statements, all zones must be in views; move it into a view"
        ),
    ]

    @Test(arguments: errorCases.indices)
    func errorMessageAndLine(index: Int) {
        let testCase = Self.errorCases[index]
        let found = errors(of: testCase.text)
        #expect(found.count == 1, "\(testCase.text) gave \(found)")
        #expect(found.first?.line == testCase.line)
        #expect(found.first?.message == testCase.message)
        #expect(found.first?.file == "named.conf")
    }

    @Test func errorThrowsConfigError() {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(text: "options {\n\tbogus yes;\n};\n", file: "/etc/named.conf")
        }
        #expect(error?.description == "/etc/named.conf:2: unknown option 'bogus'; check the spelling against named.conf(5)")
    }

    /// Valid BIND options that swift-named does not act on: one warning each, no error.
    static let warningCases: [(text: String, message: String)] = [
        ("options { recursion yes; };", "'recursion yes' is ignored: swift-named is authoritative-only and never recurses"),
        ("options { dnssec-validation auto; };", "option 'dnssec-validation' is ignored: swift-named is authoritative-only"),
        ("options { managed-keys-directory \"/var/named/dynamic\"; };", "option 'managed-keys-directory' is ignored: swift-named is authoritative-only"),
        ("options { bindkeys-file \"/etc/named.iscdlv.key\"; };", "option 'bindkeys-file' is ignored: swift-named is authoritative-only"),
        ("options { forwarders { 192.0.2.53; }; };", "option 'forwarders' is ignored: swift-named is authoritative-only"),
        ("options { session-keyfile \"/run/named/session.key\"; };", "option 'session-keyfile' is ignored: swift-named does not write this file"),
        ("options { dump-file \"data/cache_dump.db\"; };", "option 'dump-file' is ignored: swift-named does not write this file"),
        ("options { memstatistics-file \"data/mem.txt\"; };", "option 'memstatistics-file' is ignored: swift-named does not write this file"),
        ("options { dnssec-enable yes; };", "option 'dnssec-enable' no longer exists in BIND 9.18; swift-named ignores it, so remove it"),
        ("options { dnssec-lookaside auto; };", "option 'dnssec-lookaside' no longer exists in BIND 9.18; swift-named ignores it, so remove it"),
        ("options { serial-query-rate 20; };", "option 'serial-query-rate' is ignored: swift-named does not implement it"),
        ("zone \".\" IN { type hint; file \"named.ca\"; };", "zone '.': type hint is ignored: swift-named is authoritative-only and does not use root hints"),
        ("zone \"f.test\" { type forward; };", "zone 'f.test': type forward is ignored: swift-named serves only primary zones"),
        ("trust-anchors { \".\" initial-ds 20326 8 2 \"E06D\"; };", "'trust-anchors' is ignored: swift-named is authoritative-only and does not validate DNSSEC"),
        ("managed-keys { \".\" initial-key 257 3 8 \"AwEAAQ==\"; };", "'managed-keys' is ignored: swift-named is authoritative-only and does not validate DNSSEC"),
        ("trusted-keys { \".\" 257 3 8 \"AwEAAQ==\"; };", "'trusted-keys' is ignored: swift-named is authoritative-only and does not validate DNSSEC"),
        ("options { edns-udp-size 8192; };", "'edns-udp-size 8192' is outside 512 to 4096 bytes; using 4096"),
        ("key \"k\" { algorithm hmac-md5; secret \"not base64!\"; };", "key 'k': secret is not valid base64, so the key is unusable; set it to the base64 secret printed by tsig-keygen"),
    ]

    @Test(arguments: warningCases.indices)
    func warningMessage(index: Int) {
        let testCase = Self.warningCases[index]
        let found = diagnostics(of: testCase.text)
        #expect(found.count == 1, "\(testCase.text) gave \(found)")
        #expect(found.first?.severity == .warning)
        #expect(found.first?.message == testCase.message)
        #expect(found.first?.line == 1)
    }

    @Test func warningsDoNotThrow() throws {
        let loaded = try ConfigLoader.load(text: "options {\n recursion yes;\n dnssec-enable yes;\n};\n")
        #expect(loaded.diagnostics.map(\.line) == [2, 3])
        #expect(loaded.diagnostics.allSatisfy { $0.severity == .warning })
    }

    /// Every option name of BIND 9.18's grammar is known, so none is reported as unknown.
    @Test func everyBindOptionNameIsKnown() {
        for name in KnownOptions.options.sorted() {
            let found = errors(of: "options { \(name) placeholder; };")
            #expect(!found.contains { $0.message.hasPrefix("unknown option") }, "\(name): \(found)")
        }
        for name in KnownOptions.zone.sorted() {
            let found = errors(of: "zone \"z\" { type primary; file \"z\"; \(name) placeholder; };")
            #expect(!found.contains { $0.message.hasPrefix("unknown option") }, "\(name): \(found)")
        }
    }
}
