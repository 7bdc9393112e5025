import DNSWire
import DNSZone
import Glibc
import NamedConfig

/// The rndc commands: parses a command line from the control channel, runs it against the
/// server and builds the response text that BIND 9.18's named returns for the same command.
public struct ControlCommands: Sendable {
    public let server: NamedServer
    public let version: String
    /// Stops the server and exits the process; called after the response to `stop` or `halt` is sent.
    public let shutdown: @Sendable () -> Void

    public init(server: NamedServer, version: String, shutdown: @escaping @Sendable () -> Void) {
        self.server = server
        self.version = version
        self.shutdown = shutdown
    }

    public func execute(_ line: String) -> ControlReply {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let command = words.first?.lowercased() else {
            return ControlReply(.failure("unknown command", "the request was empty"))
        }
        server.log.info("received control channel command '\(line)'", category: LogCategoryName.control)
        let arguments = Array(words.dropFirst())
        switch command {
        case "reload":
            return ControlReply(arguments.isEmpty ? reload() : reloadZone(arguments))
        case "reconfig":
            return ControlReply(reconfig())
        case "status":
            return ControlReply(status())
        case "zonestatus":
            return ControlReply(withZone(arguments, command: command) { zonestatus($0, $1) })
        case "refresh", "retransfer":
            return ControlReply(withZone(arguments, command: command) { origin, configuration in
                secondaryOnly(command, origin: origin, configuration: configuration)
            })
        case "notify":
            return ControlReply(withZone(arguments, command: command) { origin, configuration in
                notify(origin, configuration)
            })
        case "showzone":
            return ControlReply(withZone(arguments, command: command) { _, configuration in
                .success(showzone(configuration))
            })
        case "stats":
            return ControlReply(stats())
        case "dumpdb":
            return ControlReply(dumpdb())
        case "stop", "halt":
            server.log.notice("stopping command channel", category: LogCategoryName.control)
            return ControlReply(.success(), afterSending: shutdown)
        default:
            server.log.warning("unknown control channel command '\(command)'", category: LogCategoryName.control)
            return ControlReply(.failure("unknown command", "'\(command)' is not a command of this server; run rndc without arguments for the list"))
        }
    }

    // MARK: - Reload

    private func reload() -> ControlProtocol.Response {
        let report = server.reload(scope: .changedZones)
        guard report.succeeded else {
            return .failure("failure", report.messages.joined(separator: "\n"))
        }
        return .success("server reload successful")
    }

    private func reconfig() -> ControlProtocol.Response {
        let report = server.reload(scope: .newZones)
        guard report.succeeded else {
            return .failure("failure", report.messages.joined(separator: "\n"))
        }
        return .success()
    }

    private func reloadZone(_ arguments: [String]) -> ControlProtocol.Response {
        guard arguments.count <= 3 else {
            return .failure("syntax error", "usage: reload [zone [class [view]]]")
        }
        if arguments.count == 3 {
            return .failure("not found", "views are not supported; no matching zone '\(arguments[0])' in view '\(arguments[2])'")
        }
        switch server.reloadZone(arguments[0], dnsClass: arguments.count > 1 ? arguments[1] : nil) {
        case .upToDate:
            return .success("zone reload up-to-date")
        case .reloaded:
            return .success("zone reload successful")
        case .failed(let lines):
            return .failure("failure", lines.joined(separator: "\n"))
        case .notFound(let name):
            return .failure("not found", "no matching zone '\(name)' in any view")
        }
    }

    // MARK: - Status

    private func status() -> ControlProtocol.Response {
        let configuration = server.currentConfiguration
        var system = utsname()
        uname(&system)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let zoneCount = server.zoneCount
        let lines = [
            "version: \(version)",
            "running on \(NamedServer.hostName()): \(field(system.sysname)) \(field(system.machine)) \(field(system.release)) \(field(system.version))",
            "boot time: \(StatisticsOutput.httpDate(server.startTime.tv_sec))",
            "last configured: \(StatisticsOutput.httpDate(server.lastConfigured))",
            "configuration file: \(absolutePath(server.settings.configPath))",
            "CPUs found: \(sysconf(Int32(_SC_NPROCESSORS_ONLN)))",
            "worker threads: \(server.settings.workerCount)",
            "UDP listeners per interface: \(server.settings.workerCount)",
            "number of zones: \(zoneCount) (0 automatic)",
            "debug level: 0",
            "xfers running: 0",
            "xfers deferred: 0",
            "soa queries in progress: 0",
            "query logging is OFF",
            "tcp clients: \(server.openTCPConnections)/\(configuration.options.tcpClients)",
            "server is up and running",
        ]
        return .success(lines.joined(separator: "\n"))
    }

    /// `path` made absolute against the directory named was started in. The server changes to
    /// `directory` later, so a relative `-c` path is shown as given when that is unknown.
    private func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : (server.settings.startDirectory.map { $0 + "/" + path } ?? path)
    }

    /// Runs `body` with the zone that `arguments` name (`ZONE [CLASS]`).
    private func withZone(_ arguments: [String], command: String,
                          _ body: (DomainName, ZoneConfiguration) -> ControlProtocol.Response) -> ControlProtocol.Response {
        guard let name = arguments.first else {
            return .failure("syntax error", "\(command): a zone name is required; usage: rndc \(command) ZONE [CLASS]")
        }
        guard let (origin, configuration) = server.configuredZone(name, dnsClass: arguments.count > 1 ? arguments[1] : nil) else {
            return .failure("not found", "no matching zone '\(name)' in any view")
        }
        return body(origin, configuration)
    }

    private func zonestatus(_ origin: DomainName, _ configuration: ZoneConfiguration) -> ControlProtocol.Response {
        let state = server.zoneState(origin)
        var lines = [
            "name: \(origin.zoneLabel)",
            "type: \(configuration.type.rawValue)",
        ]
        if let file = configuration.file {
            lines.append("files: \(file)")
        }
        if let loaded = state.loaded {
            lines.append("serial: \(loaded.zone.serial)")
            lines.append("nodes: \(loaded.zone.sortedNodes.count)")
            lines.append("last loaded: \(StatisticsOutput.httpDate(loaded.loadedAt))")
        } else {
            lines.append("serial: not loaded")
        }
        if let errors = state.errors {
            lines.append("load errors: " + errors.joined(separator: "; "))
        }
        lines += ["secure: no", "dynamic: no", "reconfigurable via modzone: no"]
        return .success(lines.joined(separator: "\n"))
    }

    private func showzone(_ configuration: ZoneConfiguration) -> String {
        var text = "zone \"\(configuration.name)\""
        if configuration.dnsClass != "IN" { text += " \(configuration.dnsClass)" }
        text += " { type \(configuration.type.rawValue);"
        if let file = configuration.file { text += " file \"\(file)\";" }
        if let allow = configuration.allowQuery { text += " allow-query \(allow);" }
        if let allow = configuration.allowTransfer { text += " allow-transfer \(allow);" }
        if let allow = configuration.allowUpdate { text += " allow-update \(allow);" }
        if let notify = configuration.notify { text += " notify \(notify.rawValue);" }
        return text + " };"
    }

    // MARK: - Zone maintenance

    private func secondaryOnly(_ command: String, origin: DomainName, configuration: ZoneConfiguration) -> ControlProtocol.Response {
        switch configuration.type {
        case .secondary, .mirror, .stub:
            return .failure("failure", "\(command): zone \(origin.zoneLabel)/\(configuration.dnsClass) is a \(configuration.type.rawValue) zone, "
                            + "which swift-named does not load yet; zone transfers are not supported")
        default:
            if command == "retransfer" {
                return .failure("failure", "retransfer: inappropriate zone type: \(configuration.type.rawValue); "
                                + "only secondary, mirror and stub zones are transferred from a primary")
            }
            return .failure("failure", "not a secondary, mirror, or stub zone; edit the zone file and run rndc reload \(origin.zoneLabel)")
        }
    }

    private func notify(_ origin: DomainName, _ configuration: ZoneConfiguration) -> ControlProtocol.Response {
        let options = server.currentConfiguration.options
        let mode = configuration.notify ?? options.notify
        guard mode != .no else {
            return .failure("failure", "notify: NOTIFY is disabled for zone \(origin.zoneLabel) (notify no;); set notify explicit; and also-notify")
        }
        guard let zone = server.zoneState(origin).loaded else {
            return .failure("failure", "notify: zone \(origin.zoneLabel) is not loaded")
        }
        let targets = configuration.alsoNotify ?? options.alsoNotify
        // NOTE: with notify yes, BIND also notifies the zone's NS hosts; swift-named sends only
        // to also-notify targets, as with notify explicit.
        let failures = NotifySender.send(zone: zone.zone, to: targets)
        for failure in failures {
            server.log.warning("zone \(origin.zoneLabel)/IN: \(failure)", category: LogCategoryName.notify)
        }
        server.log.info("zone \(origin.zoneLabel)/IN: sending notifies (serial \(zone.zone.serial)) to \(targets.count) servers",
                        category: LogCategoryName.notify)
        return .success("zone notify queued")
    }

    // MARK: - Files

    private func stats() -> ControlProtocol.Response {
        let path = server.currentConfiguration.options.statisticsFile ?? "named.stats"
        let text = StatisticsOutput.statisticsFile(server.serverStatistics(version: version))
        guard appendFile(path, text) else {
            let error = String(cString: strerror(errno))
            server.log.error("could not write the statistics file '\(path)': \(error)", category: LogCategoryName.general)
            return .failure("failure", "could not open '\(path)': \(error); check statistics-file and the directory option")
        }
        server.log.info("dumpstats complete", category: LogCategoryName.general)
        return .success()
    }

    private func dumpdb() -> ControlProtocol.Response {
        let path = server.currentConfiguration.options.dumpFile ?? "named_dump.db"
        var text = ";\n; Start view _default\n;\n"
        for (name, _) in server.zoneSummaries() {
            guard let origin = try? DomainName(parsing: name == "." ? "." : name + "."),
                let loaded = server.zoneState(origin).loaded
            else { continue }
            text += ";\n; Zone dump of '\(name)/IN'\n;\n"
            let records = loaded.zone.sortedNodes.flatMap { node in node.rrsets.flatMap(\.records) }
            text += ZoneDump.format(records)
        }
        text += "; Dump complete\n"
        guard writeFile(path, text) else {
            let error = String(cString: strerror(errno))
            return .failure("failure", "could not write '\(path)': \(error); check dump-file and the directory option")
        }
        server.log.info("dumpdb complete", category: LogCategoryName.general)
        return .success()
    }

    private func appendFile(_ path: String, _ text: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return writeAll(fd, text)
    }

    private func writeFile(_ path: String, _ text: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return writeAll(fd, text)
    }
}

/// Sends NOTIFY (RFC 1996) for a zone over UDP, once per target, without waiting for replies.
enum NotifySender {
    /// Returns one message per target that could not be sent.
    static func send(zone: Zone, to targets: [RemoteServer]) -> [String] {
        var message: [UInt8] = [UInt8.random(in: 0...255), UInt8.random(in: 0...255), 0x24, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        message += zone.origin.wire
        message += [0, 6, 0, 1]
        var failures: [String] = []
        for target in targets {
            let port = target.port ?? 53
            guard let address = SocketAddress(host: target.address.description, port: port) else {
                failures.append("notify to \(target.address)#\(port) failed: invalid address")
                continue
            }
            let fd = socket(address.family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                failures.append("notify to \(address) failed: \(String(cString: strerror(errno)))")
                continue
            }
            let sent = message.withUnsafeBytes { bytes in
                address.withSockaddr { sendto(fd, bytes.baseAddress, bytes.count, 0, $0, $1) }
            }
            if sent < 0 {
                failures.append("notify to \(address) failed: \(String(cString: strerror(errno)))")
            }
            close(fd)
        }
        return failures
    }
}
