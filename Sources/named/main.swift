import CNetShim
import DNSServer
import DNSWire
import Systemd
import Dispatch
import Glibc
import Synchronization

/// `named`: the swift-named authoritative server, with BIND's command-line options.

// Block the stop and reload signals in this thread before any other thread exists, so that
// every thread inherits the mask: a signal sent during start-up then stays pending until the
// main thread reads it from a signalfd, instead of being lost or killing named.
var handledSignals = sigset_t()
sigemptyset(&handledSignals)
for number in [SIGTERM, SIGINT, SIGHUP] {
    sigaddset(&handledSignals, number)
}
pthread_sigmask(SIG_BLOCK, &handledSignals, nil)

let usage = """
    usage: named [-4|-6] [-c conffile] [-f|-g] [-n number_of_workers] [-p port] [-u username] [-v|-V]
      -c FILE   read the configuration from FILE (default /etc/named.conf)
      -f        run in the foreground
      -g        run in the foreground and log to standard error with timestamps
      -p PORT   listen on PORT instead of the ports in listen-on and listen-on-v6
      -4, -6    use only IPv4 or only IPv6
      -n COUNT  number of worker queues (default: one per CPU)
      -u USER   switch to USER after binding the sockets
      -v, -V    print the version and exit

    """

let version = swiftNamedVersion

/// The `-V` text: the version line, then the system and the toolchain, as BIND's `named -V` lists them.
func versionDetails() -> String {
    var system = utsname()
    uname(&system)
    func field<T>(_ value: T) -> String {
        withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
    #if compiler(>=6.3)
    let compiler = "Swift 6.3 or later"
    #elseif compiler(>=6.2)
    let compiler = "Swift 6.2"
    #else
    let compiler = "Swift 6.0 or 6.1"
    #endif
    return """
        \(version) (authoritative-only; reads BIND 9.18 named.conf and zone files)
        running on \(field(system.sysname)) \(field(system.machine)) \(field(system.release)) \(field(system.version))
        compiled by \(compiler)
        linked to libsystemd (journald logging and sd_notify)
        default paths: configuration /etc/named.conf, command channel \(ControlChannelServer.defaultPath)
        """
}

func fail(_ message: String) -> Never {
    let line = "named: \(message)\n"
    _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    exit(1)
}

var settings = ServerSettings()
var foreground = false
var logWithTimestamps = false
var userName: String?

var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    func value() -> String {
        guard !arguments.isEmpty else { fail("option '\(argument)' needs a value\n\(usage)") }
        return arguments.removeFirst()
    }
    switch argument {
    case "-c": settings.configPath = value()
    case "-f": foreground = true
    case "-g":
        foreground = true
        logWithTimestamps = true
    case "-p":
        let text = value()
        guard let port = UInt16(text), port > 0 else { fail("invalid port '\(text)': expected 1 to 65535") }
        settings.portOverride = port
    case "-4":
        settings.useIPv6 = false
    case "-6":
        settings.useIPv4 = false
    case "-n":
        let text = value()
        guard let count = Int(text), count >= 1, count <= 256 else {
            fail("invalid worker count '\(text)': expected 1 to 256")
        }
        settings.workerCount = count
    case "-u": userName = value()
    case "-v":
        print(version)
        exit(0)
    case "-V":
        print(versionDetails())
        exit(0)
    case "-h", "--help":
        print(usage, terminator: "")
        exit(0)
    case "-t":
        // A chroot that silently did not happen would mislead; the container is the isolation.
        fail("option -t (chroot) is not supported: run named without -t, in a container or with systemd's RootDirectory=")
    case "-d", "-S", "-L", "-M", "-E", "-X":
        // Accepted for compatibility with BIND's unit files; their values are not used yet.
        _ = value()
    case "-s":
        break
    default:
        fail("unknown option '\(argument)'\n\(usage)")
    }
}
// named changes into `directory`, so a relative -c path is made absolute now, or reloads
// would look for the file in the wrong place.
if !settings.configPath.hasPrefix("/") {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    if getcwd(&buffer, buffer.count) != nil {
        settings.configPath = String(cString: buffer) + "/" + settings.configPath
    }
}
if !settings.useIPv4 && !settings.useIPv6 {
    fail("-4 and -6 cannot be used together")
}

let forceStandardError = logWithTimestamps
let standardError = StandardErrorSink(timestamps: logWithTimestamps)
/// Under systemd (JOURNAL_STREAM names our standard error), messages go to the journal with
/// their priority and fields; -g keeps them on standard error, as BIND does.
let defaultSink: any LogSink = !forceStandardError && Journal.isConnectedToJournal() ? JournalSink() : standardError
let log = Logger(sinks: [defaultSink])
let notifier = SystemdNotifier()
log.notice("starting \(version)")
log.notice("running as: named \(CommandLine.arguments.dropFirst().joined(separator: " "))")

if let userName {
    guard let entry = getpwnam(userName) else {
        fail("user '\(userName)' not found: create it or pass another -u")
    }
    LogFileOwner.set(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
}

let server = NamedServer(settings: settings, log: log)

/// Stops serving, removes the sockets and the PID file, and exits with status 0.
@Sendable func shutdown() -> Never {
    _ = try? notifier.stopping()
    log.notice("shutting down")
    server.stop()
    controlChannel.closeAll()
    statisticsChannel.closeAll()
    server.removePIDFile()
    log.notice("exiting")
    exit(0)
}

let controlChannel = ControlChannelServer(log: log) { line in
    ControlCommands(server: server, version: version, shutdown: { shutdown() }).execute(line)
}
let statisticsChannel = StatisticsChannelServer(log: log) {
    server.serverStatistics(version: version)
}

/// Applies the logging statement (unless -g sends everything to standard error, as in BIND).
/// Control and statistics channels open only once the server is serving.
let serving = Mutex(false)
server.configurationApplied = { configuration in
    if forceStandardError {
        if !configuration.logging.channels.isEmpty || !configuration.logging.categories.isEmpty {
            log.info("not using config file logging statement for logging due to -g option")
        }
    } else {
        let routes = LoggingSetup.routes(for: configuration.logging,
                                         defaultSinks: [LogDestination(sink: defaultSink, threshold: .info)])
        log.replaceRoutes(fallback: routes.fallback, byCategory: routes.byCategory)
        for error in routes.errors {
            log.error(error)
        }
    }
    if serving.withLock({ $0 }) {
        controlChannel.apply(configuration.controls)
        statisticsChannel.apply(configuration.statisticsChannels)
    }
}

/// STATUS= text for `systemctl status named`: the zone count and each zone's serial.
@Sendable func serviceStatus() -> String {
    let zones = server.zoneSummaries()
    var text = "serving \(zones.count) zone\(zones.count == 1 ? "" : "s")"
    let listed = zones.prefix(8).map { "\($0.name) \($0.serial)" }
    if !listed.isEmpty {
        text += ": " + listed.joined(separator: ", ") + (zones.count > 8 ? ", ..." : "")
    }
    return text
}

server.reloadObserver = { phase in
    switch phase {
    case .started: _ = try? notifier.reloading(status: "reloading")
    case .finished: _ = try? notifier.ready(status: serviceStatus())
    }
}

do {
    try server.loadInitial()
    let activated = try SocketActivation.listenFileDescriptors()
    if activated.isEmpty {
        try server.bindListeners()
    } else {
        try server.adoptListeners(udp: activated.filter { $0.transport == .udp }.map(\.fileDescriptor),
                                  tcp: activated.filter { $0.transport == .tcp }.map(\.fileDescriptor))
    }
} catch {
    for line in "\(error)".split(separator: "\n") {
        log.error(String(line))
    }
    log.critical("exiting (due to fatal error)")
    exit(1)
}

if let userName {
    do {
        try Privileges.drop(to: userName)
    } catch {
        log.critical("\(error)")
        exit(1)
    }
}

if !foreground {
    // Detach before any Dispatch thread exists; fork(2) keeps only the calling thread.
    guard daemon(1, 0) == 0 else { fail("could not run in the background: \(String(cString: strerror(errno)))") }
}

server.startServing()
server.writePIDFile()
serving.withLock { $0 = true }
let configuration = server.currentConfiguration
controlChannel.apply(configuration.controls)
statisticsChannel.apply(configuration.statisticsChannels)

// The blocked signals wait in a signalfd that the main thread reads below, once everything is
// running. No thread ever unblocks them, so none sent during start-up is lost or kills named.
let signalDescriptor = withUnsafePointer(to: &handledSignals) { cns_signalfd($0) }
guard signalDescriptor >= 0 else { fail("signalfd failed: \(String(cString: strerror(errno)))") }

log.notice("running")
_ = try? notifier.ready(status: serviceStatus())

// WatchdogSec=: ping at half the interval, but only after every worker queue has run a block,
// so that a stuck worker stops the pings and systemd restarts the service.
let watchdogQueue = DispatchQueue(label: "named.watchdog")
var watchdogTimer: DispatchSourceTimer?
if let interval = try? SystemdNotifier.watchdogInterval() {
    let timer = DispatchSource.makeTimerSource(queue: watchdogQueue)
    let half = interval / 2
    let nanoseconds = Int(half.components.seconds) * 1_000_000_000 + Int(half.components.attoseconds / 1_000_000_000)
    timer.schedule(deadline: .now(), repeating: .nanoseconds(max(nanoseconds, 1_000_000)))
    let ping: @Sendable () -> Void = {
        server.waitForWorkers()
        _ = try? notifier.watchdogPing()
    }
    timer.setEventHandler(handler: ping)
    timer.resume()
    watchdogTimer = timer
}

// The main thread handles signals: SIGHUP reloads, SIGTERM and SIGINT stop. dispatchMain() is
// not used because it would unblock them on this thread, where the default action (terminate)
// would then apply to a signal sent before the Dispatch machinery was ready.
while true {
    var descriptor = pollfd(fd: signalDescriptor, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, -1) > 0 else { continue }
    while case let number = cns_read_signal(signalDescriptor), number >= 0 {
        if number == SIGHUP {
            log.info("received SIGHUP: reloading the configuration and changed zones")
            _ = server.reload()
        } else {
            shutdown()
        }
    }
}
