import Dispatch
import Glibc
import NamedConfig

/// Serves `statistics-channels` over HTTP/1.1 on its own queue: `GET /json/v1` (also
/// `/json/v1/server`) returns BIND-style JSON and `GET /metrics` Prometheus text. Each
/// connection carries one request and is closed after the response.
public final class StatisticsChannelServer: @unchecked Sendable {
    /// Largest request head accepted, in bytes.
    static let maximumRequestLength = 8192
    /// Seconds a client may take to send its request.
    static let requestTimeout = 5

    let queue = DispatchQueue(label: "named.statistics")
    let log: Logger
    let render: @Sendable () -> ServerStatistics
    /// Open listeners by `address#port`, with the access list of each. Touched only on `queue`.
    private var listeners: [String: (source: DispatchSourceRead, allow: AddressMatchList)] = [:]

    public init(log: Logger, render: @escaping @Sendable () -> ServerStatistics) {
        self.log = log
        self.render = render
    }

    /// Opens the listeners that `channels` lists and closes the others.
    public func apply(_ channels: [StatisticsChannel]) {
        queue.sync {
            var wanted: [String: (SocketAddress, AddressMatchList)] = [:]
            for channel in channels {
                let host = channel.address?.description ?? "0.0.0.0"
                guard let address = SocketAddress(host: host, port: channel.port) else {
                    log.error("statistics-channels: invalid address \(host)", category: LogCategoryName.general)
                    continue
                }
                // BIND allows only localhost when the channel has no allow clause.
                let allow = channel.allow ?? AddressMatchList([
                    AddressMatchElement(.prefix(IPPrefix(host: .loopbackV4))), AddressMatchElement(.prefix(IPPrefix(host: .loopbackV6))),
                ])
                wanted[address.description] = (address, allow)
            }
            for (key, listener) in listeners where wanted[key] == nil {
                listener.source.cancel()
                listeners[key] = nil
            }
            for (key, (address, allow)) in wanted {
                if let existing = listeners[key] {
                    listeners[key] = (existing.source, allow)
                    continue
                }
                do {
                    let fd = try Sockets.tcpListener(boundTo: address, backlog: 16)
                    let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
                    source.setEventHandler { [weak self] in self?.acceptPending(fd, key: key) }
                    source.setCancelHandler { close(fd) }
                    listeners[key] = (source, allow)
                    source.resume()
                    log.notice("statistics channel listening on \(address)", category: LogCategoryName.general)
                } catch {
                    log.error("could not open the statistics channel on \(address): \(error)", category: LogCategoryName.general)
                }
            }
        }
    }

    public func closeAll() {
        queue.sync {
            for listener in listeners.values { listener.source.cancel() }
            listeners = [:]
        }
    }

    private func acceptPending(_ listener: Int32, key: String) {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept(listener, $0, &length)
                }
            }
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let peer = SocketAddress.clientAddress(of: storage)
            guard let allow = listeners[key]?.allow, allow.evaluate(peer) else {
                close(client)
                continue
            }
            // The request is read with a timeout on a blocking socket, on this queue: a statistics
            // client that stalls delays other statistics clients, never a query.
            var timeout = timeval(tv_sec: Self.requestTimeout, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let flags = fcntl(client, F_GETFL)
            _ = fcntl(client, F_SETFL, flags & ~O_NONBLOCK)
            serve(client)
            close(client)
        }
    }

    private func serve(_ fd: Int32) {
        guard let head = readRequestHead(fd) else { return }
        let requestLine = head.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            respond(fd, status: "400 Bad Request", type: "text/plain", body: "malformed request line\n")
            return
        }
        guard parts[0] == "GET" || parts[0] == "HEAD" else {
            respond(fd, status: "405 Method Not Allowed", type: "text/plain", body: "only GET is supported\n",
                    extraHeaders: "Allow: GET, HEAD\r\n")
            return
        }
        let path = parts[1].split(separator: "?").first.map(String.init) ?? "/"
        let bodyOnly = parts[0] == "GET"
        switch path {
        case "/metrics":
            respond(fd, status: "200 OK", type: "text/plain; version=0.0.4; charset=utf-8",
                    body: StatisticsOutput.prometheus(render()), sendBody: bodyOnly)
        case "/json", "/json/v1", "/json/v1/server":
            respond(fd, status: "200 OK", type: "application/json",
                    body: StatisticsOutput.json(render()), sendBody: bodyOnly)
        default:
            respond(fd, status: "404 Not Found", type: "text/plain",
                    body: "not found: \(path); the statistics are at /json/v1 and /metrics\n", sendBody: bodyOnly)
        }
    }

    /// Reads up to the blank line that ends the request head. Returns nil on timeout, error or
    /// a head longer than `maximumRequestLength`.
    private func readRequestHead(_ fd: Int32) -> String? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        let terminator: [UInt8] = [13, 10, 13, 10]
        while buffer.count < Self.maximumRequestLength {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            if let range = buffer.firstRange(of: terminator) {
                return String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
            }
        }
        return nil
    }

    private func respond(_ fd: Int32, status: String, type: String, body: String, extraHeaders: String = "",
                         sendBody: Bool = true) {
        let bytes = Array(body.utf8)
        var head = "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(bytes.count)\r\n"
        head += "Server: swift-named\r\nConnection: close\r\n" + extraHeaders + "\r\n"
        _ = writeAllBytes(fd, Array(head.utf8) + (sendBody ? bytes : []))
    }
}
