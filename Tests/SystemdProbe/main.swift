// A child process for SystemdTests. The tests start it with the environment
// and descriptors that systemd would pass (NOTIFY_SOCKET, LISTEN_FDS, ...),
// so the Systemd module reads them the way it does in a real service.
// It prints one line per result on stdout, which the test reads back.

#if canImport(Glibc)
import Glibc
#endif
import Systemd

func report(_ line: String) {
    print(line)
}

func reportResult(_ label: String, _ body: () throws(SystemdError) -> Bool) {
    do {
        report("\(label) \(try body())")
    } catch {
        report("\(label) error \(error)")
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    report("usage: systemd-probe notify|listen-fds|watchdog|journal-stream|journal-send")
    exit(2)
}

switch arguments[1] {
case "notify":
    let notifier = SystemdNotifier()
    report("enabled \(notifier.isEnabled)")
    reportResult("ready") { () throws(SystemdError) in try notifier.ready(status: "serving 3 zones\nsecond line") }
    reportResult("reloading") { () throws(SystemdError) in try notifier.reloading(status: "reloading") }
    reportResult("status") { () throws(SystemdError) in try notifier.status("serving 4 zones") }
    reportResult("watchdog") { () throws(SystemdError) in try notifier.watchdogPing() }
    reportResult("stopping") { () throws(SystemdError) in try notifier.stopping() }

case "listen-fds":
    do {
        let sockets = try SocketActivation.listenFileDescriptors()
        for socket in sockets {
            report(
                "socket \(socket.fileDescriptor) \(socket.name) \(socket.transport) "
                    + "\(socket.family) \(socket.address ?? "-") \(socket.port.map(String.init) ?? "-")")
        }
        report("count \(sockets.count)")
    } catch {
        report("error \(error)")
    }
    for name in ["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"] {
        report("\(name) \(getenv(name).map { String(cString: $0) } ?? "unset")")
    }

case "watchdog":
    do {
        if let interval = try SystemdNotifier.watchdogInterval() {
            report("interval \(interval.components.seconds) \(interval.components.attoseconds)")
        } else {
            report("interval none")
        }
    } catch {
        report("error \(error)")
    }

case "journal-stream":
    report("connected \(Journal.isConnectedToJournal())")

case "journal-send":
    // Run in a private mount namespace with a tmpfs on /run: binds the socket
    // path that libsystemd sends to, sends one entry and prints what arrived.
    let path = "/run/systemd/journal/socket"
    let server = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
    }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(server, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard bound == 0 else {
        report("error bind \(path): \(String(cString: strerror(errno)))")
        exit(1)
    }
    do {
        try Journal.send(
            .warning, "zone example.com/IN: loaded serial 7",
            fields: [("ZONE", "example.com"), ("SERIAL", "7"), ("FILE", "two\nlines")])
        report("sent true")
    } catch {
        report("error \(error)")
        exit(1)
    }
    var buffer = [UInt8](repeating: 0, count: 65536)
    let received = recv(server, &buffer, buffer.count, Int32(MSG_DONTWAIT))
    guard received >= 0 else {
        report("error recv: \(String(cString: strerror(errno)))")
        exit(1)
    }
    // Hex keeps the binary length prefixes of multi-line values intact.
    let hex = buffer[0..<received].map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
    report("datagram " + hex.joined())

default:
    report("unknown action \(arguments[1])")
    exit(2)
}
fflush(nil)
