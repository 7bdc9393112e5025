import DNSWire
import DNSZone
import Dispatch
import Glibc
import NamedConfig

/// Command-line settings of `named` that override or complete named.conf.
public struct ServerSettings: Sendable {
    public var configPath = "/etc/named.conf"
    /// `-p`: the port for every listener instead of the one in named.conf.
    public var portOverride: UInt16?
    /// `-4` / `-6`: use only one address family.
    public var useIPv4 = true
    public var useIPv6 = true
    /// `-n`: number of workers, each with its own queue and UDP sockets.
    public var workerCount = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    public init() {}
}

/// A zone as loaded, with what a reload needs to know about its file.
struct LoadedZone {
    var configuration: ZoneConfiguration
    var origin: DomainName
    var path: String
    var zone: Zone
    var modificationTime: timespec?
}

/// What a reload did, for rndc and the log.
public struct ReloadReport: Sendable {
    public var succeeded: Bool
    public var messages: [String]
}

/// The server: configuration, zones, workers and listeners.
///
/// Loading and reloading run on `controlQueue`; the query path only ever sees whole
/// `ServerSnapshot`s handed to the workers.
public final class NamedServer: @unchecked Sendable {
    public let settings: ServerSettings
    public let log: Logger
    let controlQueue = DispatchQueue(label: "named.control")
    var configuration = NamedConfiguration()
    private var loadedZones: [DomainName: LoadedZone] = [:]
    private var snapshot = ServerSnapshot(zones: [])
    private var workers: [Worker] = []
    private var udpListeners: [UDPListener] = []
    private var tcpListeners: [TCPListener] = []
    private var boundSockets: [(udp: Bool, fd: Int32, address: SocketAddress)] = []
    private let tcpConnections = TCPConnectionCount()
    public private(set) var startTime = timespec()

    public init(settings: ServerSettings, log: Logger) {
        self.settings = settings
        self.log = log
        clock_gettime(CLOCK_REALTIME, &startTime)
    }

    public var zoneCount: Int { controlQueue.sync { loadedZones.count } }

    // MARK: - Loading

    /// Reads named.conf. Throws `ConfigError` (every line already formatted) when it has errors.
    func readConfiguration() throws -> NamedConfiguration {
        let loaded = try ConfigLoader.load(path: settings.configPath)
        for diagnostic in loaded.diagnostics {
            log.warning(diagnostic.description)
        }
        return loaded.configuration
    }

    /// Loads named.conf and every primary zone for the first time. Zones that fail to load are
    /// logged and left out, as BIND does; a configuration error is thrown.
    public func loadInitial() throws {
        log.notice("loading configuration from '\(settings.configPath)'")
        let configuration = try readConfiguration()
        try controlQueue.sync {
            self.configuration = configuration
            if !configuration.options.directory.isEmpty {
                guard chdir(configuration.options.directory) == 0 else {
                    throw SystemCallError("chdir", configuration.options.directory)
                }
            }
            _ = loadZones(configuration, previous: [:], forceAll: true)
            snapshot = buildSnapshot()
        }
        log.notice("all zones loaded")
    }

    /// Loads each primary zone whose file changed since `previous` (or every one with `forceAll`).
    /// A zone that fails keeps its previous version. Returns the error lines.
    private func loadZones(_ configuration: NamedConfiguration, previous: [DomainName: LoadedZone],
                           forceAll: Bool) -> [String] {
        var zones: [DomainName: LoadedZone] = [:]
        var failures: [String] = []
        for zoneConfiguration in configuration.zones where zoneConfiguration.view == nil {
            guard let origin = zoneOrigin(zoneConfiguration) else { continue }
            guard zoneConfiguration.type == .primary else {
                if zoneConfiguration.type != .hint {
                    log.warning("zone \(zoneConfiguration.name)/\(zoneConfiguration.dnsClass): type \(zoneConfiguration.type.rawValue) is not supported yet; zone not loaded")
                }
                continue
            }
            guard let file = zoneConfiguration.file else { continue }
            // The process works in `directory` (as BIND does), so relative paths resolve there.
            let path = file
            let label = "zone \(origin.zoneLabel)/\(zoneConfiguration.dnsClass)"

            if !forceAll, let old = previous[origin], old.path == path,
                let time = ZoneLoader.modificationTime(of: path), let oldTime = old.modificationTime,
                time.tv_sec == oldTime.tv_sec && time.tv_nsec == oldTime.tv_nsec
            {
                var kept = old
                kept.configuration = zoneConfiguration
                zones[origin] = kept
                continue
            }

            let result = ZoneLoader.load(origin: origin, path: path)
            for warning in result.warnings {
                log.warning("\(label): \(warning)", fields: [("ZONE", origin.zoneLabel), ("FILE", path)])
            }
            if let zone = result.zone {
                if let old = previous[origin], zone.serial == old.zone.serial, !forceAll {
                    log.warning("\(label): zone file '\(path)' changed but its serial \(zone.serial) did not increase")
                }
                zones[origin] = LoadedZone(configuration: zoneConfiguration, origin: origin, path: path, zone: zone,
                                           modificationTime: result.modificationTime)
                log.info("\(label): loaded serial \(zone.serial)",
                         fields: [("ZONE", origin.zoneLabel), ("SERIAL", "\(zone.serial)")])
            } else {
                for error in result.errors {
                    log.error("\(label): \(error)", fields: [("ZONE", origin.zoneLabel), ("FILE", path)])
                    failures.append("\(label): \(error)")
                }
                if let old = previous[origin] {
                    log.error("\(label): keeping serial \(old.zone.serial) in service after the failed load")
                    zones[origin] = old
                } else {
                    log.error("\(label): not loaded due to errors.")
                }
            }
        }
        loadedZones = zones
        return failures
    }

    private func zoneOrigin(_ zone: ZoneConfiguration) -> DomainName? {
        guard zone.dnsClass == "IN" else {
            log.warning("zone \(zone.name)/\(zone.dnsClass): only class IN is served; zone ignored")
            return nil
        }
        do {
            return try DomainName(parsing: zone.name.hasSuffix(".") ? zone.name : zone.name + ".")
        } catch {
            log.error("\(zone.location): zone '\(zone.name)': invalid name: \(error)")
            return nil
        }
    }

    private func buildSnapshot() -> ServerSnapshot {
        let environment = Interfaces.matchEnvironment(Interfaces.addresses())
        let options = configuration.options
        func check(_ list: AddressMatchList?) -> AccessCheck? {
            guard let list else { return nil }
            return { list.evaluate($0, keyName: nil, environment: environment) }
        }
        var policy = ResponsePolicy()
        policy.minimalResponses = options.minimalResponses
        policy.maxUDPSize = min(4096, max(512, options.maxUDPSize))
        policy.ednsUDPSize = UInt16(min(4096, max(512, options.ednsUDPSize)))
        policy.version = identity(options.version, builtIn: "swift-named")
        policy.hostname = identity(options.hostname, builtIn: Self.hostName())
        policy.serverID = identity(options.serverID, builtIn: Self.hostName())
        let served = loadedZones.values.map {
            ServedZone(zone: $0.zone, allowQuery: check($0.configuration.allowQuery), file: $0.path)
        }
        return ServerSnapshot(zones: served, policy: policy, allowQuery: check(options.allowQuery))
    }

    private func identity(_ setting: IdentitySetting, builtIn: String) -> String? {
        switch setting {
        case .builtIn: return builtIn
        case .hidden: return nil
        case .systemHostname: return Self.hostName()
        case .text(let text): return text
        }
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(cString: buffer)
    }

    // MARK: - Listening

    /// Binds every address that `listen-on` and `listen-on-v6` select, before privileges are dropped.
    public func bindListeners() throws {
        let interfaces = Interfaces.addresses()
        let environment = Interfaces.matchEnvironment(interfaces)
        let options = configuration.options
        var targets: [SocketAddress] = []
        func collect(_ clauses: [ListenOn], v4: Bool) {
            for clause in clauses {
                let port = settings.portOverride ?? clause.port
                for interface in interfaces where interface.address.isV4 == v4 {
                    guard clause.addresses.evaluate(interface.address, keyName: nil, environment: environment),
                        let address = SocketAddress(host: interface.address.socketHost, port: port),
                        !targets.contains(where: { $0.description == address.description })
                    else { continue }
                    targets.append(address)
                }
            }
        }
        if settings.useIPv4 { collect(options.listenOn, v4: true) }
        if settings.useIPv6 { collect(options.listenOnV6, v4: false) }

        for address in targets {
            do {
                for _ in 0..<settings.workerCount {
                    let fd = try Sockets.udpSocket(boundTo: address, reusePort: true)
                    boundSockets.append((true, fd, address))
                }
                let tcp = try Sockets.tcpListener(boundTo: address)
                boundSockets.append((false, tcp, address))
                log.info("listening on \(address.family == AF_INET6 ? "IPv6" : "IPv4") interface, \(address)")
            } catch {
                // An IPv6 address that is not ready (tentative) or a port in use: BIND logs and goes on.
                log.error("could not listen on \(address): \(error)")
            }
        }
        guard !boundSockets.isEmpty else {
            throw SystemCallError("bind", "no listen-on address could be bound", errno: EADDRNOTAVAIL)
        }
    }

    /// Starts the workers and the Dispatch sources on the bound sockets.
    public func startServing() {
        controlQueue.sync {
            let limits = TCPLimits(maxClients: configuration.options.tcpClients, idleTimeout: 30)
            workers = (0..<settings.workerCount).map { Worker(index: $0, snapshot: snapshot, log: log) }
            var udpIndex: [String: Int] = [:]
            for socket in boundSockets {
                let name = socket.address.description
                if socket.udp {
                    let index = udpIndex[name, default: 0]
                    udpIndex[name] = index + 1
                    let listener = UDPListener(fd: socket.fd, address: name, worker: workers[index % workers.count])
                    udpListeners.append(listener)
                    listener.start()
                } else {
                    let listener = TCPListener(fd: socket.fd, address: name, workers: workers, limits: limits,
                                               connections: tcpConnections)
                    tcpListeners.append(listener)
                    listener.start()
                }
            }
        }
    }

    // MARK: - Reload and stop

    /// Re-reads named.conf and every zone file that changed, then swaps in the new state.
    /// A configuration with errors changes nothing; a zone that fails keeps its old version.
    public func reload() -> ReloadReport {
        log.info("received control channel command 'reload'")
        let configuration: NamedConfiguration
        do {
            configuration = try readConfiguration()
        } catch {
            let lines = "\(error)".split(separator: "\n").map(String.init)
            for line in lines {
                log.error(line)
            }
            log.error("reloading configuration failed: the running configuration and zones stay in service")
            return ReloadReport(succeeded: false, messages: lines)
        }
        let failures: [String] = controlQueue.sync {
            self.configuration = configuration
            if !configuration.options.directory.isEmpty && chdir(configuration.options.directory) != 0 {
                log.error("chdir to directory '\(configuration.options.directory)' failed: \(String(cString: strerror(errno)))")
            }
            let failures = loadZones(configuration, previous: loadedZones, forceAll: false)
            snapshot = buildSnapshot()
            for worker in workers {
                worker.install(snapshot)
            }
            return failures
        }
        log.info("reloading configuration succeeded")
        log.info(failures.isEmpty ? "reloading zones succeeded" : "reloading zones failed")
        log.notice("all zones loaded")
        return ReloadReport(succeeded: failures.isEmpty, messages: failures)
    }

    /// Stops reading from every socket.
    public func stop() {
        controlQueue.sync {
            for listener in udpListeners { listener.stop() }
            for listener in tcpListeners { listener.stop() }
            udpListeners = []
            tcpListeners = []
        }
    }

    /// Serials of the loaded zones, for status lines.
    public func zoneSummaries() -> [(name: String, serial: UInt32)] {
        controlQueue.sync {
            loadedZones.values.map { ($0.origin.zoneLabel, $0.zone.serial) }.sorted { $0.name < $1.name }
        }
    }

    public func statistics() -> WorkerStatistics {
        let workers = controlQueue.sync { self.workers }
        var total = WorkerStatistics()
        for worker in workers {
            total.add(worker.readStatistics())
        }
        return total
    }

    public var openTCPConnections: Int { tcpConnections.current }
}

extension DomainName {
    /// The name as BIND prints it in zone log lines: no trailing dot except for the root.
    public var zoneLabel: String {
        let text = description
        return isRoot ? text : String(text.dropLast())
    }
}

extension NamedServer {
    /// Writes the process ID to `pid-file` (BIND's default when unset is /run/named/named.pid).
    /// A failure is logged and the server goes on.
    public func writePIDFile() {
        guard let path = pidFilePath else { return }
        let text = "\(getpid())\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            log.warning("could not write the pid file '\(path)': \(String(cString: strerror(errno))); set pid-file to a writable path or to none")
            return
        }
        _ = text.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    public func removePIDFile() {
        guard let path = pidFilePath else { return }
        unlink(path)
    }

    private var pidFilePath: String? {
        let configured = controlQueue.sync { configuration.options.pidFile }
        if configured == "none" { return nil }
        return configured ?? "/run/named/named.pid"
    }
}
