import Testing

@testable import NamedConfig

/// Configurations shipped by Red Hat's bind packages and by a container example, parsed as
/// they are, with the files they include set up under a root directory.
@Suite struct SeedConfigTests {
    @Test func containerNamedConf() throws {
        let root = try Fixtures.rhelRoot(configName: "named-container.conf")
        let loaded = try ConfigLoader.load(path: "/etc/named.conf", rootDirectory: root.path)
        let configuration = loaded.configuration

        #expect(configuration.options.directory == "/var/named")
        #expect(configuration.options.listenOn.first?.port == 53)
        #expect(configuration.options.listenOnV6.first?.addresses.description == "{ ::1; }")
        #expect(configuration.options.pidFile == "/run/named/named.pid")
        #expect(configuration.options.allowQuery?.description == "{ any; }")
        #expect(configuration.zones.map(\.name) == [
            ".", "example.com", "1.0.10.in-addr.arpa", "localhost.localdomain", "localhost",
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
            "1.0.0.127.in-addr.arpa", "0.in-addr.arpa",
        ])
        let example = configuration.zones[1]
        #expect(example.type == .primary)
        #expect(example.file == "example.com.zone")
        #expect(example.allowUpdate?.description == "{ none; }")
        #expect(configuration.logging.channels.first?.destination == .file(path: "data/named.run", versions: nil, size: nil))
        #expect(configuration.logging.channels.first?.severity == .dynamic)
        #expect(loaded.files == ["/etc/named.conf", "/etc/named.rfc1912.zones", "/etc/named.root.key"])

        // One warning per ignored statement, each at its own line.
        let warnings = loaded.diagnostics.map { "\($0.file):\($0.line)" }
        #expect(warnings == [
            "/etc/named.conf:16", "/etc/named.conf:18", "/etc/named.conf:31", "/etc/named.conf:33",
            "/etc/named.conf:34", "/etc/named.conf:37", "/etc/named.conf:39", "/etc/named.conf:42",
            "/etc/named.conf:52", "/etc/named.root.key:2",
        ])
        #expect(loaded.diagnostics.allSatisfy { $0.severity == .warning })
    }

    @Test func rhelSampleWithViews() throws {
        let root = try Fixtures.rhelRoot(configName: "rhel-named.conf.sample")
        let loaded = try ConfigLoader.load(path: "/etc/named.conf", rootDirectory: root.path)
        let configuration = loaded.configuration

        #expect(configuration.views.map(\.name) == ["localhost_resolver", "internal", "external"])
        #expect(configuration.views[1].matchClients.description == "{ localnets; }")
        let internalZones = configuration.zones.filter { $0.view == "internal" }.map(\.name)
        #expect(internalZones.contains("my.internal.zone"))
        #expect(internalZones.contains("localhost"))
        let secondary = try #require(configuration.zones.first { $0.name == "my.slave.internal.zone" })
        #expect(secondary.type == .secondary)
        #expect(secondary.primaries == [RemoteServer(address: .loopbackV4)])
        let dynamic = try #require(configuration.zones.first { $0.name == "my.ddns.internal.zone" })
        #expect(dynamic.allowUpdate?.description == "{ key \"ddns_key\"; }")
        #expect(loaded.files.contains("/etc/crypto-policies/back-ends/bind.config"))
        #expect(loaded.diagnostics.allSatisfy { $0.severity == .warning })
        #expect(loaded.diagnostics.contains { $0.message.hasPrefix("key 'ddns_key': secret is not valid base64") })
    }

    @Test func rhel2007CachingNameserver() throws {
        let root = try Fixtures.rhelRoot(
            configName: "rhel-2007-named.caching-nameserver.conf",
            rfc1912Zones: try Fixtures.text("rhel-2007-named.rfc1912.zones")
        )
        let loaded = try ConfigLoader.load(path: "/etc/named.conf", rootDirectory: root.path)
        let configuration = loaded.configuration
        #expect(configuration.options.listenOn.first?.addresses.description == "{ 127.0.0.1; }")
        #expect(configuration.options.allowQuery?.description == "{ localhost; }")
        #expect(configuration.zones.count == 6)
        #expect(configuration.zones.filter { $0.type == .primary }.count == 5)
        #expect(configuration.zones.last?.location == SourceLocation(file: "/etc/named.rfc1912.zones", line: 35))
    }
}
