import Testing

@testable import NamedConfig

/// Configurations in the shape RHEL and Fedora bind administrators run, written for these tests
/// (see Fixtures/README.md), loaded with the files they include set up under a root directory.
@Suite struct SeedConfigTests {
    @Test func authoritativeWithIncludes() throws {
        let root = try Fixtures.rhelRoot(configName: "authoritative.conf")
        let loaded = try ConfigLoader.load(path: "/etc/named.conf", rootDirectory: root.path)
        let configuration = loaded.configuration

        #expect(configuration.options.directory == "/var/named")
        #expect(configuration.options.listenOn.first?.port == 53)
        #expect(configuration.options.listenOn.first?.addresses.description == "{ 127.0.0.1; 198.51.100.10; }")
        #expect(configuration.options.listenOnV6.first?.port == 53)
        #expect(configuration.options.listenOnV6.first?.addresses.description == "{ ::1; 2001:db8:40::10; }")
        #expect(configuration.options.statisticsFile == "/var/named/data/stats.txt")
        #expect(configuration.options.pidFile == "/run/named/named.pid")
        #expect(configuration.options.allowQuery?.description == "{ localhost; 198.51.100.0/24; }")
        #expect(configuration.zones.map(\.name) == [
            ".", "corp.example", "100.51.198.in-addr.arpa", "localhost", "localhost.localdomain",
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
            "1.0.0.127.in-addr.arpa", "0.in-addr.arpa",
        ])
        #expect(configuration.zones[0].type == .hint)
        let corp = configuration.zones[1]
        #expect(corp.type == .primary)
        #expect(corp.file == "corp.example.db")
        #expect(corp.allowUpdate?.description == "{ none; }")
        #expect(configuration.zones.dropFirst().allSatisfy { $0.type == .primary })
        #expect(configuration.logging.channels.first?.name == "debug_log")
        #expect(configuration.logging.channels.first?.destination == .file(path: "data/named.run", versions: nil, size: nil))
        #expect(configuration.logging.channels.first?.severity == .dynamic)
        #expect(loaded.files == ["/etc/named.conf", "/etc/named.rfc1912.zones", "/etc/named.root.key"])

        // One warning per ignored statement, each at its own line: dump-file, memstatistics-file,
        // recursion, dnssec-enable, dnssec-validation, bindkeys-file, managed-keys-directory,
        // session-keyfile, the hint zone and trust-anchors.
        let warnings = loaded.diagnostics.map { "\($0.file):\($0.line)" }
        #expect(warnings == [
            "/etc/named.conf:9", "/etc/named.conf:11", "/etc/named.conf:15", "/etc/named.conf:17",
            "/etc/named.conf:18", "/etc/named.conf:20", "/etc/named.conf:21", "/etc/named.conf:24",
            "/etc/named.conf:34", "/etc/named.root.key:5",
        ])
        #expect(loaded.diagnostics.allSatisfy { $0.severity == .warning })
        #expect(loaded.diagnostics[3].message.hasPrefix("option 'dnssec-enable' no longer exists"))
    }

    @Test func viewsWithMatchClients() throws {
        let root = try Fixtures.rhelRoot(configName: "views.conf")
        let loaded = try ConfigLoader.load(path: "/etc/named.conf", rootDirectory: root.path)
        let configuration = loaded.configuration

        #expect(configuration.views.map(\.name) == ["loopback", "office", "world"])
        #expect(configuration.views[0].matchClients.description == "{ localhost; }")
        #expect(configuration.views[1].matchClients.description == "{ localnets; }")
        #expect(configuration.views[2].matchClients.description == "{ any; }")
        #expect(configuration.views[2].recursion == false)
        #expect(configuration.zones.allSatisfy { $0.view != nil })

        let officeZones = configuration.zones.filter { $0.view == "office" }.map(\.name)
        #expect(officeZones.contains("lan.example"))
        #expect(officeZones.contains("localhost"))
        let loopbackZones = configuration.zones.filter { $0.view == "loopback" }
        #expect(loopbackZones.count == 6)
        let secondary = try #require(configuration.zones.first { $0.name == "branch.lan.example" })
        #expect(secondary.type == .secondary)
        #expect(secondary.primaries == [RemoteServer(address: .loopbackV4)])
        let dynamic = try #require(configuration.zones.first { $0.name == "dhcp.lan.example" })
        #expect(dynamic.allowUpdate?.description == "{ key \"dhcp-updater\"; }")

        #expect(loaded.files.contains("/etc/crypto-policies/back-ends/bind.config"))
        #expect(loaded.diagnostics.allSatisfy { $0.severity == .warning })
        #expect(loaded.diagnostics.contains { $0.message.hasPrefix("key 'dhcp-updater': secret is not valid base64") })
    }

    @Test func cachingNameserver() throws {
        let root = try Fixtures.rhelRoot(configName: "caching-nameserver.conf")
        let loaded = try ConfigLoader.load(path: "/etc/named.conf", rootDirectory: root.path)
        let configuration = loaded.configuration

        #expect(configuration.options.listenOn.first?.addresses.description == "{ 127.0.0.1; }")
        #expect(configuration.options.allowQuery?.description == "{ localhost; }")
        #expect(configuration.zones.count == 6)
        #expect(configuration.zones.filter { $0.type == .primary }.count == 5)
        #expect(configuration.zones.last?.name == "0.in-addr.arpa")
        #expect(configuration.zones.last?.location == SourceLocation(file: "/etc/named.rfc1912.zones", line: 28))
        #expect(loaded.diagnostics.map(\.line) == [8, 10, 12, 22])
    }
}
