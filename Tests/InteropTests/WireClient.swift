import Glibc

/// What came back for one query: a datagram or TCP message, nothing before the timeout, or a
/// socket error such as ECONNREFUSED.
enum WireReply: Equatable {
    case message([UInt8])
    case noReply
    case closed
    case socketError(String)
}

/// Raw DNS exchanges with a server on 127.0.0.1, over UDP or TCP, with no DNS library involved.
enum WireClient {
    /// Sends one UDP datagram and waits up to `timeoutMilliseconds` for one datagram back.
    static func udp(port: UInt16, payload: [UInt8], timeoutMilliseconds: Int32 = 2000) -> WireReply {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return .socketError("socket: \(errnoText())") }
        defer { close(fd) }

        // A connected UDP socket only accepts datagrams from the server, and reports ICMP port
        // unreachable as ECONNREFUSED, which tells a dead server from a silent one.
        guard connectLoopback(fd, port: port) else { return .socketError("connect: \(errnoText())") }
        let sent = payload.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard sent == payload.count else { return .socketError("send: \(errnoText())") }

        guard waitReadable(fd, timeoutMilliseconds: timeoutMilliseconds) else { return .noReply }
        var buffer = [UInt8](repeating: 0, count: 65_535)
        let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard received >= 0 else { return .socketError("recv: \(errnoText())") }
        return .message(Array(buffer[0..<received]))
    }

    /// Sends `payload` over a new TCP connection with the two-octet length prefix and reads one
    /// length-prefixed message back.
    static func tcp(port: UInt16, payload: [UInt8], timeoutMilliseconds: Int32 = 3000) -> WireReply {
        let length = UInt16(payload.count)
        let framed = [UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return tcpRaw(port: port, bytes: framed, closeWriteSide: false, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Writes `bytes` as they are (the caller supplies any length prefix), optionally shuts down
    /// the write side, then reads one length-prefixed message, end of stream, or nothing.
    static func tcpRaw(
        port: UInt16, bytes: [UInt8], closeWriteSide: Bool, timeoutMilliseconds: Int32 = 3000
    ) -> WireReply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .socketError("socket: \(errnoText())") }
        defer { close(fd) }

        guard connectLoopback(fd, port: port) else { return .socketError("connect: \(errnoText())") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written > 0 else { return .socketError("write: \(errnoText())") }
            offset += written
        }
        if closeWriteSide { shutdown(fd, Int32(SHUT_WR)) }

        let header: [UInt8]
        switch readExactly(fd, count: 2, timeoutMilliseconds: timeoutMilliseconds) {
        case .message(let bytes): header = bytes
        case let other: return other
        }
        let messageLength = Int(header[0]) << 8 | Int(header[1])
        return readExactly(fd, count: messageLength, timeoutMilliseconds: timeoutMilliseconds)
    }

    private static func readExactly(_ fd: Int32, count: Int, timeoutMilliseconds: Int32) -> WireReply {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: max(count, 1))
        while result.count < count {
            guard waitReadable(fd, timeoutMilliseconds: timeoutMilliseconds) else { return .noReply }
            let wanted = count - result.count
            let received = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, wanted) }
            if received == 0 { return .closed }
            if received < 0 {
                // A reset after the peer closed with unread data is still an end of stream.
                return errno == ECONNRESET ? .closed : .socketError("read: \(errnoText())")
            }
            result += buffer[0..<received]
        }
        return .message(result)
    }

    private static func connectLoopback(_ fd: Int32, port: UInt16) -> Bool {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return status == 0
    }

    private static func waitReadable(_ fd: Int32, timeoutMilliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, timeoutMilliseconds)
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
