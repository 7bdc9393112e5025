import Dispatch
import Glibc
import NamedConfig

/// What the control channel does with one command: the response to send, and an action to
/// run once it has been sent (`stop` exits there).
public struct ControlReply: Sendable {
    public var response: ControlProtocol.Response
    public var afterSending: (@Sendable () -> Void)?

    public init(_ response: ControlProtocol.Response, afterSending: (@Sendable () -> Void)? = nil) {
        self.response = response
        self.afterSending = afterSending
    }
}

/// Serves the `controls` Unix sockets on its own serial queue, never on a worker queue.
///
/// Commands run one at a time in arrival order, so a long `reload` delays the next rndc
/// command but never a query.
public final class ControlChannelServer: @unchecked Sendable {
    /// Used when named.conf has no `controls` statement.
    public static let defaultPath = "/run/named/control"

    let queue = DispatchQueue(label: "named.controlchannel")
    private let queueKey = DispatchSpecificKey<Bool>()
    let log: Logger
    let handler: @Sendable (String) -> ControlReply
    /// Open listeners by socket path. Touched only on `queue`.
    private var listeners: [String: DispatchSourceRead] = [:]

    public init(log: Logger, handler: @escaping @Sendable (String) -> ControlReply) {
        self.log = log
        self.handler = handler
        queue.setSpecific(key: queueKey, value: true)
    }

    /// Runs `body` on `queue`, directly when already there: `stop` runs on `queue` and
    /// reaches `closeAll` from there. `getSpecific` sees only the queue the caller runs on, so
    /// code inside another queue's `sync` block must not call this (see `apply`).
    private func onQueue(_ body: () -> Void) {
        if DispatchQueue.getSpecific(key: queueKey) == true {
            body()
        } else {
            queue.sync(execute: body)
        }
    }

    /// Opens the sockets that `controls` lists and closes those it no longer lists. A nil
    /// `controls` (no statement) means the default socket; `inet` channels get a warning.
    ///
    /// The sockets change asynchronously on `queue`, after the command that caused the reload
    /// has been answered.
    public func apply(_ controls: [ControlChannel]?) {
        var wanted: [SocketSettings] = []
        if let controls {
            for channel in controls {
                switch channel {
                case .unix(let control):
                    wanted.append(SocketSettings(path: control.path, permissions: control.permissions,
                                                 owner: control.owner, group: control.group))
                case .inet(let control):
                    let address = control.address.map { "\($0)" } ?? "*"
                    log.warning("controls: inet \(address) port \(control.port) is not served; swift-named accepts rndc "
                                + "only on unix sockets. Use controls { unix \"PATH\" perm 0660 owner 0 group 0; };",
                                category: LogCategoryName.control)
                }
            }
        } else {
            wanted.append(SocketSettings(path: Self.defaultPath, permissions: 0o660, owner: -1, group: -1))
        }
        queue.async { [self, wanted] in
            let paths = Set(wanted.map(\.path))
            for (path, source) in listeners where !paths.contains(path) {
                source.cancel()
                listeners[path] = nil
                unlink(path)
                log.info("stopped the command channel on \(path)", category: LogCategoryName.control)
            }
            for control in wanted where listeners[control.path] == nil {
                do {
                    try open(control)
                } catch {
                    log.error("could not open the command channel \(control.path): \(error)", category: LogCategoryName.control)
                }
            }
        }
    }

    /// Closes every socket and removes the socket files.
    public func closeAll() {
        onQueue {
            for (path, source) in listeners {
                source.cancel()
                unlink(path)
            }
            listeners = [:]
        }
    }

    /// The path and ownership of one socket; -1 leaves owner or group as created.
    struct SocketSettings: Sendable {
        var path: String
        var permissions: Int
        var owner: Int
        var group: Int
    }

    private func open(_ control: SocketSettings) throws {
        let path = control.path
        guard var address = UnixSocketAddress(path: path) else {
            throw ControlError("the socket path is longer than 107 bytes; choose a shorter path")
        }
        if path == Self.defaultPath {
            // The default directory may be missing outside a packaged install.
            mkdir("/run/named", 0o755)
        }
        try removeStaleSocket(path)

        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemCallError("socket", "AF_UNIX") }
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        guard bound == 0 else {
            let error = SystemCallError("bind", path)
            close(fd)
            throw error
        }
        guard listen(fd, 16) == 0 else {
            let error = SystemCallError("listen", path)
            close(fd)
            unlink(path)
            throw error
        }
        try? Sockets.setNonBlocking(fd)
        setOwnership(control)

        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.acceptPending(fd) }
        source.setCancelHandler { close(fd) }
        listeners[path] = source
        source.resume()
        log.notice("command channel listening on \(path)", category: LogCategoryName.control)
    }

    /// Removes a socket file left by a server that is gone. A socket that accepts connections
    /// belongs to a running server and is left alone.
    private func removeStaleSocket(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw ControlError("\(path) exists and is not a socket; remove it or choose another path in controls")
        }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        guard var address = UnixSocketAddress(path: path) else { return }
        if address.withSockaddr({ connect(probe, $0, $1) }) == 0 {
            throw ControlError("another server is listening on \(path); stop it or choose another path in controls")
        }
        unlink(path)
    }

    /// Applies `perm`, `owner` and `group`. Without an explicit group, the socket gets the
    /// `named` group when that group exists, so members can run rndc without root.
    private func setOwnership(_ control: SocketSettings) {
        let mode = control.permissions >= 0 ? mode_t(control.permissions) : 0o660
        if chmod(control.path, mode) != 0 {
            log.warning("could not set mode \(String(mode, radix: 8)) on \(control.path): \(String(cString: strerror(errno)))",
                        category: LogCategoryName.control)
        }
        var group = control.group >= 0 ? gid_t(control.group) : gid_t.max
        if control.group < 0, let entry = getgrnam("named") {
            group = entry.pointee.gr_gid
        }
        let owner = control.owner >= 0 ? uid_t(control.owner) : uid_t.max
        if owner != uid_t.max || group != gid_t.max, chown(control.path, owner, group) != 0 {
            log.warning("could not set owner \(control.owner) and group \(control.group) on \(control.path): "
                        + "\(String(cString: strerror(errno))); named needs root to change them",
                        category: LogCategoryName.control)
        }
    }

    private func acceptPending(_ listener: Int32) {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK {
                    log.error("command channel accept failed: \(String(cString: strerror(errno)))", category: LogCategoryName.control)
                }
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            try? Sockets.setNonBlocking(client)
            ControlConnection(fd: client, server: self).start()
        }
    }

    /// Runs the command of a complete request and sends the reply. Called on `queue`.
    fileprivate func execute(_ payload: [UInt8], on fd: Int32) {
        let command = String(decoding: payload, as: UTF8.self)
        let reply = handler(command)
        // The response is small; send it with a bounded blocking write.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        var timeout = timeval(tv_sec: ControlProtocol.ioTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if !writeAllBytes(fd, ControlProtocol.frame(reply.response.payload)) {
            log.warning("could not send the response to command '\(command)': \(String(cString: strerror(errno)))",
                        category: LogCategoryName.control)
        }
        reply.afterSending?()
    }
}

/// One rndc connection: reads the request frame, with a deadline, then hands it to the server.
private final class ControlConnection: @unchecked Sendable {
    let fd: Int32
    let server: ControlChannelServer
    private var buffer: [UInt8] = []
    private var source: DispatchSourceRead?
    private var timer: DispatchSourceTimer?
    private var finished = false

    init(fd: Int32, server: ControlChannelServer) {
        self.fd = fd
        self.server = server
    }

    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: server.queue)
        source.setEventHandler { self.readAvailable() }
        source.setCancelHandler { close(self.fd) }
        self.source = source
        let timer = DispatchSource.makeTimerSource(queue: server.queue)
        timer.schedule(deadline: .now() + .seconds(ControlProtocol.ioTimeout))
        timer.setEventHandler {
            self.server.log.warning("command channel client sent no complete request within \(ControlProtocol.ioTimeout) seconds; closing",
                                    category: LogCategoryName.control)
            self.finish()
        }
        self.timer = timer
        source.resume()
        timer.resume()
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !finished {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return }
                finish()
                return
            }
            if count == 0 {
                finish()
                return
            }
            buffer += chunk[0..<count]
            do {
                if let payload = try ControlProtocol.payload(in: buffer) {
                    timer?.cancel()
                    server.execute(payload, on: fd)
                    finish()
                }
            } catch {
                server.log.warning("command channel: \(error); closing the connection", category: LogCategoryName.control)
                finish()
            }
        }
    }

    /// Cancels the sources; the cancel handler closes the socket. The sources' handlers keep
    /// `self` alive until then.
    private func finish() {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        source?.cancel()
        timer = nil
        source = nil
    }
}
