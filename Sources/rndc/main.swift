import DNSServer
import Glibc

/// `rndc`: sends one command to swift-named over its Unix control socket and prints the result
/// as BIND's rndc does.

let usage = """
    usage: rndc [-c config | -s server] [-p port] [-k key-file] [-y key] [-q] [-r] [-V] command [arguments]

    The socket is the first of: -s PATH or -c PATH when PATH is a Unix socket, the
    RNDC_SOCKET environment variable, \(ControlChannelServer.defaultPath).
    -s localhost, 127.0.0.1 or ::1 and -p use that default; -k and -y are accepted
    for BIND compatibility and ignored, because the socket's file mode controls access.

    commands:
      reload                 reload named.conf and every zone whose file changed
      reload ZONE [CLASS]    reload one zone if its file changed
      reconfig               reload named.conf and load only new zones
      refresh ZONE           refresh a secondary zone (primary zones: see reload)
      retransfer ZONE        transfer a secondary zone again
      notify ZONE            send NOTIFY for a zone to its also-notify servers
      status                 print the server status
      zonestatus ZONE        print a zone's type, file, serial and load time
      showzone ZONE          print a zone's configuration
      stats                  append the statistics to statistics-file (default named.stats)
      dumpdb                 write the zones to dump-file (default named_dump.db)
      stop, halt             stop the server

    """

func standardError(_ text: String) {
    _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
}

func fail(_ message: String) -> Never {
    standardError("rndc: \(message)\n")
    exit(1)
}

func isSocket(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK
}

var socketPath: String?
var quiet = false
var printResult = false
var arguments = Array(CommandLine.arguments.dropFirst())
var words: [String] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    if !words.isEmpty || !argument.hasPrefix("-") {
        words.append(argument)
        continue
    }
    func value() -> String {
        guard !arguments.isEmpty else { fail("option '\(argument)' needs a value\n\(usage)") }
        return arguments.removeFirst()
    }
    switch argument {
    case "-s":
        let server = value()
        if server.contains("/") {
            socketPath = server
        } else if !["localhost", "127.0.0.1", "::1"].contains(server) {
            fail("server '\(server)' is not local: this rndc reaches named only through a Unix socket; "
                 + "run it on the server's host, or pass the socket path with -s PATH")
        }
    case "-c":
        let config = value()
        if isSocket(config) {
            socketPath = config
        }
    case "-p":
        let port = value()
        guard let number = UInt16(port), number > 0 else { fail("invalid port '\(port)': expected 1 to 65535") }
    case "-k", "-y", "-b", "-t":
        _ = value()
    case "-q":
        quiet = true
    case "-r":
        printResult = true
    case "-V":
        break
    case "-h", "--help":
        print(usage, terminator: "")
        exit(0)
    default:
        fail("unknown option '\(argument)'\n\(usage)")
    }
}

guard let command = words.first else {
    standardError(usage)
    exit(1)
}

let path = socketPath ?? getenv("RNDC_SOCKET").map { String(cString: $0) } ?? ControlChannelServer.defaultPath
let response: ControlProtocol.Response
do {
    response = try ControlProtocol.send(words.joined(separator: " "), to: path)
} catch {
    fail("\(error)\nIs named running? The socket is set by the controls statement in named.conf; "
         + "pass it with -s PATH or RNDC_SOCKET.")
}

if response.succeeded {
    if !quiet && !response.text.isEmpty {
        print(response.text)
    }
    if printResult { print("success") }
    exit(0)
}
let lines = response.text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
let result = lines.first.map(String.init) ?? "failure"
standardError("rndc: '\(command)' failed: \(result)\n")
if lines.count > 1 && !lines[1].isEmpty {
    standardError(lines[1] + "\n")
}
if printResult { print(result) }
exit(1)
