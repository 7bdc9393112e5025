import DNSServer
import Dispatch
import Glibc

/// `named`: the swift-named authoritative server, with BIND's command-line options.

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

let version = "swift-named 0.1.0"

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
    case "-v", "-V":
        print(version)
        exit(0)
    case "-h", "--help":
        print(usage, terminator: "")
        exit(0)
    case "-d", "-t", "-S", "-L", "-M", "-E", "-X":
        // Accepted for compatibility with BIND's unit files; their values are not used yet.
        _ = value()
    case "-s":
        break
    default:
        fail("unknown option '\(argument)'\n\(usage)")
    }
}
if !settings.useIPv4 && !settings.useIPv6 {
    fail("-4 and -6 cannot be used together")
}

let log = Logger(sinks: [StandardErrorSink(timestamps: logWithTimestamps)])
log.notice("starting \(version)")
log.notice("running as: named \(CommandLine.arguments.dropFirst().joined(separator: " "))")

let server = NamedServer(settings: settings, log: log)
do {
    try server.loadInitial()
    try server.bindListeners()
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

let signalQueue = DispatchQueue(label: "named.signals")
var signalSources: [DispatchSourceSignal] = []
for number in [SIGTERM, SIGINT, SIGHUP] {
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number, queue: signalQueue)
    source.setEventHandler {
        if number == SIGHUP {
            _ = server.reload()
            return
        }
        log.notice("shutting down")
        server.stop()
        server.removePIDFile()
        log.notice("exiting")
        exit(0)
    }
    source.resume()
    signalSources.append(source)
}

log.notice("running")
dispatchMain()
