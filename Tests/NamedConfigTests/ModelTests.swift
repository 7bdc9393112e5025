import Foundation
import Testing

@testable import NamedConfig

@Suite struct ModelTests {
    @Test func defaultsWhenOptionsAbsent() throws {
        let options = try ConfigLoader.load(text: "").configuration.options
        #expect(options.directory == FileManager.default.currentDirectoryPath)
        #expect(options.listenOn.count == 1)
        #expect(options.listenOn.first?.port == 53)
        #expect(options.listenOn.first?.addresses.evaluate(IPAddress("203.0.113.1")!) == true)
        #expect(options.listenOnV6.first?.addresses.evaluate(IPAddress("2001:db8::1")!) == true)
        #expect(options.notify == .explicit)
        #expect(options.minimalResponses == .noAuthRecursive)
        #expect(options.ednsUDPSize == 1232)
        #expect(options.maxUDPSize == 1232)
        #expect(options.allowQuery == nil)
    }

    @Test func optionsAreInterpreted() throws {
        let text = """
            options {
            \tdirectory "/srv/named";
            \tlisten-on port 5353 { 127.0.0.1; 192.0.2.1; };
            \tlisten-on { 10.0.0.1; };
            \tlisten-on-v6 port 5353 { ::1; };
            \tallow-query { any; };
            \tallow-transfer { 192.0.2.2; };
            \trecursion no;
            \tnotify master-only;
            \talso-notify port 5300 { 192.0.2.3; 2001:db8::3 port 53 key "xfer"; };
            \tpid-file "/run/named/named.pid";
            \tstatistics-file "data/stats";
            \tminimal-responses no-auth;
            \tversion none;
            \thostname "ns1.example";
            \tserver-id hostname;
            \tedns-udp-size 4096;
            \tmax-udp-size 1400;
            \ttcp-clients 300;
            };
            key "xfer" { algorithm HMAC-SHA256; secret "c2VjcmV0c2VjcmV0"; };
            """
        let loaded = try ConfigLoader.load(text: text)
        #expect(loaded.diagnostics.isEmpty)
        let options = loaded.configuration.options
        #expect(options.directory == "/srv/named")
        #expect(options.listenOn.map(\.port) == [5353, 53])
        #expect(options.listenOn[0].addresses.description == "{ 127.0.0.1; 192.0.2.1; }")
        #expect(options.listenOnV6.map(\.port) == [5353])
        #expect(options.allowTransfer?.description == "{ 192.0.2.2; }")
        #expect(options.recursion == false)
        #expect(options.notify == .primaryOnly)
        #expect(options.alsoNotify == [
            RemoteServer(address: IPAddress("192.0.2.3")!, port: 5300),
            RemoteServer(address: IPAddress("2001:db8::3")!, port: 53, keyName: "xfer"),
        ])
        #expect(options.pidFile == "/run/named/named.pid")
        #expect(options.statisticsFile == "data/stats")
        #expect(options.minimalResponses == .noAuth)
        #expect(options.version == .hidden)
        #expect(options.hostname == .text("ns1.example"))
        #expect(options.serverID == .systemHostname)
        #expect(options.ednsUDPSize == 4096)
        #expect(options.maxUDPSize == 1400)
        #expect(options.tcpClients == 300)
        #expect(loaded.configuration.keys["xfer"] == KeyConfiguration(name: "xfer", algorithm: "hmac-sha256", secret: "c2VjcmV0c2VjcmV0"))
    }

    @Test func zonesAreInterpreted() throws {
        let text = """
            primaries upstream port 5300 { 192.0.2.10; 192.0.2.11 port 53; };
            zone "example.com" {
            \ttype master;
            \tfile "example.com.zone";
            \tallow-transfer { 192.0.2.0/24; };
            \tnotify yes;
            \talso-notify { 198.51.100.1; };
            };
            zone "1.0.10.in-addr.arpa" CH {
            \ttype slave;
            \tfile "slaves/10.0.1.rev";
            \tmasters { upstream; 192.0.2.12; };
            };
            """
        let zones = try ConfigLoader.load(text: text).configuration.zones
        #expect(zones.count == 2)
        #expect(zones[0].name == "example.com")
        #expect(zones[0].type == .primary)
        #expect(zones[0].dnsClass == "IN")
        #expect(zones[0].file == "example.com.zone")
        #expect(zones[0].notify == .yes)
        #expect(zones[0].alsoNotify == [RemoteServer(address: IPAddress("198.51.100.1")!)])
        #expect(zones[0].allowQuery == nil)
        #expect(zones[0].location.line == 2)
        #expect(zones[1].name == "1.0.10.in-addr.arpa")
        #expect(zones[1].type == .secondary)
        #expect(zones[1].dnsClass == "CH")
        #expect(zones[1].primaries == [
            RemoteServer(address: IPAddress("192.0.2.10")!, port: 5300),
            RemoteServer(address: IPAddress("192.0.2.11")!, port: 53),
            RemoteServer(address: IPAddress("192.0.2.12")!),
        ])
        #expect(zones[1].notify == nil)
    }

    @Test func loggingIsInterpreted() throws {
        let text = """
            logging {
            \tchannel main {
            \t\tfile "/var/log/named.log" versions 3 size 20m;
            \t\tseverity debug 3;
            \t\tprint-time yes;
            \t\tprint-category yes;
            \t\tprint-severity yes;
            \t};
            \tchannel sys { syslog daemon; severity info; };
            \tchannel err { stderr; severity dynamic; };
            \tchannel drop { null; };
            \tcategory default { main; sys; };
            \tcategory lame-servers { null; };
            };
            """
        let logging = try ConfigLoader.load(text: text).configuration.logging
        #expect(logging.channels.map(\.name) == ["main", "sys", "err", "drop"])
        #expect(logging.channels[0].destination == .file(path: "/var/log/named.log", versions: 3, size: 20 << 20))
        #expect(logging.channels[0].severity == .debug(level: 3))
        #expect(logging.channels[0].printTime == "yes")
        #expect(logging.channels[0].printCategory)
        #expect(logging.channels[0].printSeverity)
        #expect(logging.channels[1].destination == .syslog(facility: "daemon"))
        #expect(logging.channels[2].destination == .stderr)
        #expect(logging.channels[2].severity == .dynamic)
        #expect(logging.channels[3].destination == .null)
        #expect(logging.categories.map(\.name) == ["default", "lame-servers"])
        #expect(logging.categories[0].channels == ["main", "sys"])
    }

    @Test func controlsAndStatisticsChannels() throws {
        let text = """
            key "rndc-key" { algorithm hmac-sha256; secret "c2VjcmV0c2VjcmV0"; };
            controls {
            \tinet 127.0.0.1 port 9953 allow { localhost; } keys { "rndc-key"; } read-only yes;
            \tinet * allow { 127.0.0.1; };
            \tunix "/run/named/control" perm 0600 owner 25 group 25 keys { "rndc-key"; };
            };
            statistics-channels {
            \tinet 127.0.0.1 port 8053 allow { 127.0.0.1; };
            \tinet ::1;
            };
            """
        let configuration = try ConfigLoader.load(text: text).configuration
        let controls = try #require(configuration.controls)
        #expect(controls.count == 3)
        guard case .inet(let first) = controls[0], case .inet(let second) = controls[1], case .unix(let socket) = controls[2] else {
            Issue.record("unexpected control channel kinds: \(controls)")
            return
        }
        #expect(first.address == .loopbackV4)
        #expect(first.port == 9953)
        #expect(first.keys == ["rndc-key"])
        #expect(first.readOnly)
        #expect(second.address == nil)
        #expect(second.port == 953)
        #expect(second.keys == nil)
        #expect(socket.path == "/run/named/control")
        #expect(socket.permissions == 0o600)
        #expect(socket.owner == 25)
        #expect(configuration.statisticsChannels.map(\.port) == [8053, 80])
        #expect(configuration.statisticsChannels[1].address == .loopbackV6)
        #expect(configuration.statisticsChannels[1].allow == nil)
    }

    @Test func controlsAbsentIsNil() throws {
        #expect(try ConfigLoader.load(text: "").configuration.controls == nil)
    }

    @Test func viewsHoldTheirZones() throws {
        let text = """
            view "inside" {
            \tmatch-clients { 10.0.0.0/8; };
            \tallow-query { any; };
            \tzone "example.com" { type primary; file "inside.zone"; };
            };
            view "outside" {
            \tzone "example.com" { type primary; file "outside.zone"; };
            };
            """
        let configuration = try ConfigLoader.load(text: text).configuration
        #expect(configuration.views.map(\.name) == ["inside", "outside"])
        #expect(configuration.views[0].matchClients.evaluate(IPAddress("10.1.1.1")!))
        #expect(!configuration.views[0].matchClients.evaluate(IPAddress("192.0.2.1")!))
        #expect(configuration.views[1].matchClients.evaluate(IPAddress("192.0.2.1")!))
        #expect(configuration.zones.map(\.view) == ["inside", "outside"])
        #expect(configuration.zones.map(\.file) == ["inside.zone", "outside.zone"])
    }
}
