import CNetShim
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
    /// The working directory at startup, before `directory` is applied, for status output.
    public var startDirectory: String?

    public init() {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        if getcwd(&buffer, buffer.count) != nil {
            startDirectory = String(cString: buffer)
        }
    }
}

/// A zone as loaded, with what a reload needs to know about its file.
struct LoadedZone {
    var configuration: ZoneConfiguration
    var origin: DomainName
    var path: String
    var zone: Zone
    var modificationTime: timespec?
    /// Wall-clock time of the load, seconds since the epoch.
    var loadedAt: Int
}

/// The two ends of a reload.
public enum ReloadPhase: Sendable {
    case started, finished
}

/// Outcome of a reload, for rndc and the log.
public struct ReloadReport: Sendable {
    public var succeeded: Bool
    /// The error lines, each with the file and line that caused it.
    public var messages: [String]
}

/// The zones that a configuration reload reads again.
public enum ReloadScope: Sendable {
    /// `rndc reload` and SIGHUP: every zone whose file changed, plus new zones.
    case changedZones
    /// `rndc reconfig`: only zones that are new or whose file name changed.
    case newZones
}

/// The result of `rndc reload ZONE`.
public enum ZoneReloadOutcome: Sendable {
    case upToDate
    case reloaded(serial: UInt32)
    case failed([String])
    case notFound(String)
}

/// The server: configuration, zones, workers and listeners.
///
/// State changes run on `controlQueue`. Reloads are serialized on `reloadQueue` and parse
/// files there, so `controlQueue` is held only for the swap. The query path only ever sees whole
/// `ServerSnapshot`s handed to the workers.
public final class NamedServer: @unchecked Sendable {
    public let settings: ServerSettings
    /// The working directory when named started; a relative `directory` option is taken from it.
    private let startDirectory: String = {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        return getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : "/"
    }()
    /// Told when a reload starts and ends, for systemd's RELOADING=1 and READY=1.
    public var reloadObserver: (@Sendable (ReloadPhase) -> Void)?
    public let log: Logger
    let controlQueue = DispatchQueue(label: "named.control")
    private let reloadQueue = DispatchQueue(label: "named.reload")
    var configuration = NamedConfiguration()
    private(set) var loadedZones: [DomainName: LoadedZone] = [:]
    /// The errors of the last failed load of each zone that has one.
    private(set) var zoneErrors: [DomainName: [String]] = [:]
    private var snapshot = ServerSnapshot(zones: [])
    /// The cookie secret when named.conf sets no `cookie-secret`: random, and kept across
    /// reloads so that cookies issued before a reload stay valid.
    private let randomCookieSecret = CookieSecret.random()
    private var workers: [Worker] = []
    private var udpListeners: [UDPListener] = []
    private var tcpListeners: [TCPListener] = []
    private var boundSockets: [(udp: Bool, fd: Int32, address: SocketAddress)] = []
    private let tcpConnections = TCPConnectionCount()
    public private(set) var startTime = timespec()
    /// When the configuration was last loaded, seconds since the epoch.
    public private(set) var lastConfigured = 0
    /// Called on `reloadQueue` after each configuration that loaded, to apply its logging,
    /// control channels and statistics channels.
    public var configurationApplied: (@Sendable (NamedConfiguration) -> Void)?

    public init(settings: ServerSettings, log: Logger) {
        self.settings = settings
        self.log = log
        clock_gettime(CLOCK_REALTIME, &startTime)
    }

    public var zoneCount: Int { controlQueue.sync { loadedZones.count } }

    /// The configuration in service.
    public var currentConfiguration: NamedConfiguration { controlQueue.sync { configuration } }

    // MARK: - Loading

    /// Reads named.conf. Throws `ConfigError` (every line already formatted) when it has errors.
    func readConfiguration() throws -> NamedConfiguration {
        warnIfReplacedOnHost(settings.configPath)
        let loaded = try ConfigLoader.load(path: settings.configPath)
        for diagnostic in loaded.diagnostics {
            log.warning(diagnostic.description, category: LogCategoryName.config)
        }
        for file in loaded.files where file != settings.configPath {
            warnIfReplacedOnHost(file)
        }
        return loaded.configuration
    }

    /// Logs a hint when `path` is a file whose directory entry is gone although the file can
    /// still be opened (link count 0). In a container this is the single-file bind mount whose
    /// host copy an editor replaced with a new file: the container keeps reading the old one.
    func warnIfReplacedOnHost(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_nlink == 0 else { return }
        log.warning("'\(path)' was deleted or replaced after it was mounted, so named still reads the old "
                    + "copy: the editor on the host wrote a new file instead of changing this one. Mount the "
                    + "directory that holds the file instead of the file itself, or save it in place "
                    + "(vim: set backupcopy=yes), then restart the container",
                    category: LogCategoryName.config)
    }

    /// Loads named.conf and every primary zone for the first time. Zones that fail to load are
    /// logged and left out, as BIND does; a configuration error is thrown.
    public func loadInitial() throws {
        log.notice("loading configuration from '\(settings.configPath)'", category: LogCategoryName.config)
        let configuration = try readConfiguration()
        try reloadQueue.sync {
            try changeDirectory(configuration)
            let result = loadZones(configuration, previous: [:], scope: nil)
            controlQueue.sync {
                self.configuration = configuration
                loadedZones = result.zones
                zoneErrors = result.errors
                lastConfigured = Self.now()
                snapshot = buildSnapshot()
            }
            configurationApplied?(configuration)
        }
        Self.returnFreeMemory()
        log.notice("all zones loaded")
    }

    private func changeDirectory(_ configuration: NamedConfiguration) throws {
        var directory = configuration.options.directory
        guard !directory.isEmpty else { return }
        if !directory.hasPrefix("/") {
            // Relative to where named started, not to the directory an earlier load chose.
            directory = startDirectory + "/" + directory
        }
        guard chdir(directory) == 0 else {
            throw SystemCallError("chdir", directory)
        }
        log.info("the working directory is now '\(directory)'", category: LogCategoryName.config)
    }

    /// Hands memory freed by loading (parsed records, an old zone after a reload) back to the
    /// kernel. glibc keeps freed heap pages otherwise, and a large zone leaves more of them
    /// than the zone store itself takes. Runs on `ZoneLoader.cleanupQueue` after the parsed
    /// records queued there are freed, so the caller does not wait for it.
    static func returnFreeMemory() {
        ZoneLoader.cleanupQueue.async { _ = cns_malloc_trim() }
    }

    static func now() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now.tv_sec
    }

    /// Loads the primary zones of `configuration` that `scope` selects, reusing the rest from
    /// `previous` (a nil scope loads every zone). A zone that fails keeps its previous version.
    /// Runs off `controlQueue` and changes no server state.
    private func loadZones(_ configuration: NamedConfiguration, previous: [DomainName: LoadedZone],
                           scope: ReloadScope?) -> (zones: [DomainName: LoadedZone], errors: [DomainName: [String]]) {
        var zones: [DomainName: LoadedZone] = [:]
        var errors: [DomainName: [String]] = [:]
        for zoneConfiguration in configuration.zones where zoneConfiguration.view == nil {
            guard let origin = zoneOrigin(zoneConfiguration) else { continue }
            // Other zone types were reported when named.conf was read.
            guard zoneConfiguration.type == .primary else { continue }
            guard let path = zoneConfiguration.file else { continue }
            if let old = previous[origin], old.path == path, !needsLoad(old, scope: scope) {
                var kept = old
                kept.configuration = zoneConfiguration
                zones[origin] = kept
                continue
            }
            switch loadZone(origin: origin, configuration: zoneConfiguration, path: path, previous: previous[origin],
                            primaryCheckNames: configuration.options.checkNamesPrimary) {
            case .success(let loaded):
                zones[origin] = loaded
            case .failure(let failure):
                errors[origin] = failure.lines
                if let old = previous[origin] {
                    zones[origin] = old
                }
            }
        }
        for origin in previous.keys where zones[origin] == nil && errors[origin] == nil {
            log.info("zone \(origin.zoneLabel)/IN: removed from the configuration; no longer served",
                     category: LogCategoryName.general)
        }
        return (zones, errors)
    }

    /// Whether a reload with `scope` reads the zone's file again. A nil scope loads every zone.
    private func needsLoad(_ zone: LoadedZone, scope: ReloadScope?) -> Bool {
        switch scope {
        case nil: return true
        case .newZones: return false
        case .changedZones: return fileChanged(zone)
        }
    }

    private func fileChanged(_ zone: LoadedZone) -> Bool {
        guard let time = ZoneLoader.modificationTime(of: zone.path), let oldTime = zone.modificationTime else {
            return true
        }
        return time.tv_sec != oldTime.tv_sec || time.tv_nsec != oldTime.tv_nsec
    }

    struct ZoneLoadFailure: Error {
        var lines: [String]
    }

    /// Reads one zone file and logs the outcome as BIND does. On failure `previous`, if any,
    /// stays in service.
    /// `primaryCheckNames` is `check-names primary` from `options`, used when the zone sets none.
    private func loadZone(origin: DomainName, configuration: ZoneConfiguration, path: String,
                          previous: LoadedZone?, primaryCheckNames: NamedConfig.CheckNamesMode) -> Result<LoadedZone, ZoneLoadFailure> {
        let label = "zone \(origin.zoneLabel)/\(configuration.dnsClass)"
        let zoneFields = [("ZONE", origin.zoneLabel), ("FILE", path)]
        warnIfReplacedOnHost(path)
        let checkNames = configuration.checkNames ?? primaryCheckNames
        let result = ZoneLoader.load(origin: origin, path: path,
                                     checkNames: DNSZone.CheckNamesMode(rawValue: checkNames.rawValue) ?? .fail)
        for warning in result.warnings {
            log.warning("\(label): \(warning)", category: LogCategoryName.zoneLoad, fields: zoneFields)
        }
        guard let zone = result.zone else {
            var lines: [String] = []
            for error in result.errors {
                log.error(error, category: LogCategoryName.zoneLoad, fields: zoneFields)
                lines.append("\(label): \(error)")
            }
            let reason = result.failureReason.map { ": " + $0 } ?? ""
            log.error("\(label): loading from master file \(path) failed\(reason)", category: LogCategoryName.zoneLoad,
                      fields: zoneFields)
            if let previous {
                log.error("\(label): keeping serial \(previous.zone.serial) in service after the failed load",
                          category: LogCategoryName.zoneLoad, fields: zoneFields)
            } else {
                log.error("\(label): not loaded due to errors.", category: LogCategoryName.zoneLoad, fields: zoneFields)
            }
            return .failure(ZoneLoadFailure(lines: lines.isEmpty ? ["\(label): \(path): load failed"] : lines))
        }
        if let previous, !Self.serial(zone.serial, isGreaterThan: previous.zone.serial) {
            let relation = zone.serial == previous.zone.serial ? "unchanged" : "lower than the served serial"
            log.warning("\(label): zone file '\(path)' changed but its serial \(zone.serial) is \(relation) (\(previous.zone.serial) was served); "
                        + "secondaries will not transfer the new data until the serial is increased",
                        category: LogCategoryName.zoneLoad, fields: zoneFields)
        }
        log.info("\(label): loaded serial \(zone.serial)", category: LogCategoryName.zoneLoad,
                 fields: [("ZONE", origin.zoneLabel), ("SERIAL", "\(zone.serial)")])
        return .success(LoadedZone(configuration: configuration, origin: origin, path: path, zone: zone,
                                   modificationTime: result.modificationTime, loadedAt: Self.now()))
    }

    /// Serial number comparison of RFC 1982 for 32-bit serials.
    static func serial(_ a: UInt32, isGreaterThan b: UInt32) -> Bool {
        a != b && (a &- b) < 0x8000_0000
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
        policy.answerCookie = options.answerCookie
        policy.requireServerCookie = options.requireServerCookie
        policy.noCookieUDPSize = options.noCookieUDPSize
        policy.cookieSecrets = options.cookieSecrets.isEmpty ? [randomCookieSecret] : options.cookieSecrets.map(CookieSecret.init)
        let served = loadedZones.values.map {
            ServedZone(zone: $0.zone, allowQuery: check($0.configuration.allowQuery),
                       allowTransfer: check($0.configuration.allowTransfer), file: $0.path)
        }
        return ServerSnapshot(zones: served, policy: policy, allowQuery: check(options.allowQuery),
                              allowTransfer: check(options.allowTransfer))
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

    /// Takes over sockets that the service manager bound (socket activation) instead of
    /// binding `listen-on` addresses. Each UDP socket is shared by every worker through its
    /// own duplicate descriptor, since SO_REUSEPORT cannot split a socket bound elsewhere.
    public func adoptListeners(udp: [Int32], tcp: [Int32]) throws {
        for fd in udp {
            try Sockets.setNonBlocking(fd)
            Self.enlargeReceiveBuffer(fd)
            let address = Sockets.localAddress(fd)
            boundSockets.append((true, fd, address))
            for _ in 1..<settings.workerCount {
                let copy = dup(fd)
                guard copy >= 0 else { throw SystemCallError("dup", "\(address)") }
                boundSockets.append((true, copy, address))
            }
            log.info("listening on UDP socket \(address) passed by systemd")
        }
        for fd in tcp {
            try Sockets.setNonBlocking(fd)
            let address = Sockets.localAddress(fd)
            boundSockets.append((false, fd, address))
            log.info("listening on TCP socket \(address) passed by systemd")
        }
    }

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
                    // TODO: link-local IPv6 addresses need a scope ID to bind; they are skipped for now.
                    if case .v6(let high, _) = interface.address, high >> 54 == 0x3FA { continue }
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
                    Self.enlargeReceiveBuffer(fd)
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

    /// Receive buffer requested for each UDP socket, in bytes. The kernel caps it at
    /// net.core.rmem_max. The default (about 208 KiB on Linux) holds only a few hundred
    /// datagrams. A worker that is not scheduled for a fraction of a second, say while a reload
    /// parses on a busy machine, would lose the queries that a larger buffer keeps for it.
    static let udpReceiveBufferSize: Int32 = 4 << 20

    static func enlargeReceiveBuffer(_ fd: Int32) {
        var size = udpReceiveBufferSize
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
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

    /// Re-reads named.conf and the zones `scope` selects, then swaps in the new state.
    /// A configuration with errors changes nothing; a zone that fails keeps its old version and
    /// its error lines are returned.
    public func reload(scope: ReloadScope = .changedZones) -> ReloadReport {
        reloadObserver?(.started)
        defer { reloadObserver?(.finished) }
        return reloadQueue.sync {
            let configuration: NamedConfiguration
            do {
                log.info("loading configuration from '\(settings.configPath)'", category: LogCategoryName.config)
                configuration = try readConfiguration()
            } catch {
                let lines = "\(error)".split(separator: "\n").map(String.init)
                for line in lines {
                    log.error(line, category: LogCategoryName.config)
                }
                log.error("reloading configuration failed: the running configuration and zones stay in service",
                          category: LogCategoryName.config)
                return ReloadReport(succeeded: false, messages: lines)
            }
            do {
                try changeDirectory(configuration)
            } catch {
                log.error("reloading configuration failed: \(error); check the directory option",
                          category: LogCategoryName.config)
                return ReloadReport(succeeded: false, messages: ["\(error)"])
            }
            let previous = controlQueue.sync { loadedZones }
            let result = loadZones(configuration, previous: previous, scope: scope)
            controlQueue.sync {
                self.configuration = configuration
                loadedZones = result.zones
                zoneErrors = result.errors
                lastConfigured = Self.now()
                installSnapshot()
            }
            configurationApplied?(configuration)
            log.info("reloading configuration succeeded", category: LogCategoryName.config)
            let failures = result.errors.keys.sorted { $0.description < $1.description }.flatMap { result.errors[$0]! }
            if scope == .changedZones {
                log.info(failures.isEmpty ? "reloading zones succeeded" : "reloading zones failed")
            }
            Self.returnFreeMemory()
        log.notice("all zones loaded")
            return ReloadReport(succeeded: failures.isEmpty, messages: failures)
        }
    }

    /// Builds a snapshot from the current state and hands it to every worker. Call on `controlQueue`.
    private func installSnapshot() {
        snapshot = buildSnapshot()
        for worker in workers {
            worker.install(snapshot)
        }
    }

    /// Reloads one zone if its file changed since it was loaded.
    public func reloadZone(_ name: String, dnsClass: String?) -> ZoneReloadOutcome {
        reloadObserver?(.started)
        defer { reloadObserver?(.finished) }
        return reloadQueue.sync {
            guard let (origin, zoneConfiguration) = configuredZone(name, dnsClass: dnsClass) else {
                return .notFound(name)
            }
            let (previous, primaryCheckNames) = controlQueue.sync { (loadedZones[origin], configuration.options.checkNamesPrimary) }
            guard let path = zoneConfiguration.file, zoneConfiguration.type == .primary else {
                return .failed(["zone \(origin.zoneLabel)/\(zoneConfiguration.dnsClass) is of type \(zoneConfiguration.type.rawValue), which swift-named does not load from a file"])
            }
            if let previous, previous.path == path, !fileChanged(previous) {
                return .upToDate
            }
            switch loadZone(origin: origin, configuration: zoneConfiguration, path: path, previous: previous,
                            primaryCheckNames: primaryCheckNames) {
            case .success(let loaded):
                controlQueue.sync {
                    loadedZones[origin] = loaded
                    zoneErrors[origin] = nil
                    installSnapshot()
                }
                return .reloaded(serial: loaded.zone.serial)
            case .failure(let failure):
                controlQueue.sync { zoneErrors[origin] = failure.lines }
                return .failed(failure.lines)
            }
        }
    }

    /// The top-level zone statement named `name` (with or without the final dot) and class.
    func configuredZone(_ name: String, dnsClass: String?) -> (DomainName, ZoneConfiguration)? {
        guard let origin = try? DomainName(parsing: name.hasSuffix(".") ? name : name + ".") else { return nil }
        let zones = controlQueue.sync { configuration.zones }
        for zone in zones where zone.view == nil && zone.dnsClass == (dnsClass?.uppercased() ?? "IN") {
            if let candidate = try? DomainName(parsing: zone.name.hasSuffix(".") ? zone.name : zone.name + "."),
                candidate == origin
            {
                return (origin, zone)
            }
        }
        return nil
    }

    /// Returns once every worker queue has run an empty block: a liveness check for the watchdog.
    public func waitForWorkers() {
        let workers = controlQueue.sync { self.workers }
        for worker in workers {
            worker.runAndWait {}
        }
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

    /// The loaded version of a zone and the errors of its last failed load.
    func zoneState(_ origin: DomainName) -> (loaded: LoadedZone?, errors: [String]?) {
        controlQueue.sync { (loadedZones[origin], zoneErrors[origin]) }
    }

    /// Serials of the loaded zones, for status lines.
    public func zoneSummaries() -> [(name: String, serial: UInt32)] {
        controlQueue.sync {
            loadedZones.values.map { ($0.origin.zoneLabel, $0.zone.serial) }.sorted { $0.name < $1.name }
        }
    }

    /// Every worker's counters, summed. Each worker's are read on its own queue.
    public func statistics() -> WorkerStatistics {
        let workers = controlQueue.sync { self.workers }
        var total = WorkerStatistics()
        for worker in workers {
            total.add(worker.readStatistics())
        }
        return total
    }

    /// The counters with the facts that the statistics outputs print.
    public func serverStatistics(version: String) -> ServerStatistics {
        let counters = statistics()
        let zones = zoneSummaries().map { ZoneStatisticsEntry(name: $0.name, serial: $0.serial) }
        return ServerStatistics(counters: counters, bootTime: startTime.tv_sec,
                                configTime: controlQueue.sync { lastConfigured }, currentTime: Self.now(),
                                version: version, tcpClients: openTCPConnections, zones: zones)
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
