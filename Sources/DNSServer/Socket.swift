import NamedConfig
import Glibc

/// A failed system call, with the call's name and what it was doing.
public struct SystemCallError: Error, Sendable, CustomStringConvertible {
    public var call: String
    public var detail: String
    public var errno: Int32

    public init(_ call: String, _ detail: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.detail = detail
        self.errno = errno
    }

    public var description: String {
        "\(call)(\(detail)) failed: \(String(cString: strerror(errno)))"
    }
}

/// An IPv4 or IPv6 socket address with its port.
public struct SocketAddress: Sendable, CustomStringConvertible {
    public var storage: sockaddr_storage
    public var length: socklen_t

    public init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// Parses a numeric IPv4 or IPv6 address (no host names) and pairs it with `port`.
    public init?(host: String, port: UInt16) {
        var storage = sockaddr_storage()
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return nil }
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: address) { raw.copyMemory(from: $0) }
            }
            self.init(storage: storage, length: socklen_t(MemoryLayout<sockaddr_in6>.size))
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: address) { raw.copyMemory(from: $0) }
            }
            self.init(storage: storage, length: socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }

    public var family: Int32 { Int32(storage.ss_family) }

    public var port: UInt16 {
        withUnsafeBytes(of: storage) { raw in
            UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
        }
    }

    /// The address in BIND's log form, `127.0.0.1#53`.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        var copy = storage
        let text: String = withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout<sockaddr_storage>.size) { bytes in
                let offset = family == AF_INET6 ? 8 : 4
                guard inet_ntop(family, bytes + offset, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
                return String(cString: buffer)
            }
        }
        return "\(text)#\(port)"
    }

    /// The client address for access checks.
    public var clientAddress: IPAddress {
        Self.clientAddress(of: storage)
    }

    static func clientAddress(of storage: sockaddr_storage) -> IPAddress {
        withUnsafeBytes(of: storage) { raw in
            if Int32(storage.ss_family) == AF_INET6 {
                let high = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                let low = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
                if high == 0 && low >> 32 == 0xFFFF {
                    // An IPv4 client on a dual-stack socket (::ffff:a.b.c.d): match IPv4 access lists.
                    return .v4(UInt32(truncatingIfNeeded: low))
                }
                return .v6(high, low)
            }
            return .v4(UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        }
    }

    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}

/// Thin wrappers over the socket calls the listeners use. Each throws `SystemCallError`
/// naming the call and the address.
enum Sockets {
    static func setOption(_ fd: Int32, _ level: Int32, _ option: Int32, _ value: Int32, _ name: String) throws {
        var value = value
        guard setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SystemCallError("setsockopt", name)
        }
    }

    static func setNonBlocking(_ fd: Int32) throws {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw SystemCallError("fcntl", "O_NONBLOCK")
        }
    }

    /// Opens a non-blocking UDP socket bound to `address`. With `reusePort`, several sockets
    /// can bind the same address and the kernel spreads datagrams across them (SO_REUSEPORT).
    static func udpSocket(boundTo address: SocketAddress, reusePort: Bool) throws -> Int32 {
        let fd = socket(address.family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SystemCallError("socket", "UDP \(address)") }
        do {
            try prepare(fd, address: address, reusePort: reusePort)
            try bind(fd, address)
            try setNonBlocking(fd)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Opens a non-blocking listening TCP socket bound to `address`.
    static func tcpListener(boundTo address: SocketAddress, backlog: Int32 = 128) throws -> Int32 {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SystemCallError("socket", "TCP \(address)") }
        do {
            try prepare(fd, address: address, reusePort: false)
            try bind(fd, address)
            guard listen(fd, backlog) == 0 else { throw SystemCallError("listen", "\(address)") }
            try setNonBlocking(fd)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    private static func prepare(_ fd: Int32, address: SocketAddress, reusePort: Bool) throws {
        try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")
        if reusePort {
            try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT")
        }
        // An IPv6 address still in duplicate address detection when named starts (common in
        // containers) could not be bound otherwise. Best effort: older kernels lack it for IPv6.
        _ = try? setOption(fd, Int32(IPPROTO_IP), IP_FREEBIND, 1, "IP_FREEBIND")
        if address.family == AF_INET6 {
            // Keep IPv6 sockets to IPv6 so that IPv4 listeners can bind the same port.
            try setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1, "IPV6_V6ONLY")
        }
    }

    /// The address a socket is bound to (getsockname(2)).
    static func localAddress(_ fd: Int32) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return SocketAddress(storage: storage, length: length)
    }

    private static func bind(_ fd: Int32, _ address: SocketAddress) throws {
        let result = address.withSockaddr { Glibc.bind(fd, $0, $1) }
        guard result == 0 else { throw SystemCallError("bind", "\(address)") }
    }
}
