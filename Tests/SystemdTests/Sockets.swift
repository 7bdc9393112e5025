#if canImport(Glibc)
import Glibc
#endif

/// Real sockets for the tests, closed by the caller.
enum Sockets {
    /// Returns a unique path in the temp directory, with no file at it.
    static func temporaryPath(_ stem: String) -> String {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        let path = "\(directory)/\(stem)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        unlink(path)
        return path
    }

    /// Creates a datagram socket bound at `path` (or at `@name` in the abstract namespace).
    static func boundUnixDatagram(at path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ProbeError.system("socket AF_UNIX", errno) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") {
            bytes[0] = 0
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw ProbeError.system("bind \(path)", code)
        }
        return descriptor
    }

    /// Reads every datagram already queued on `descriptor`, in arrival order.
    static func drainDatagrams(_ descriptor: Int32) -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count < 0 { break }
            messages.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
        return messages
    }

    /// Creates an IP socket bound to `address` on a port the kernel picks, listening when it is TCP.
    static func boundInet(family: Int32, type: Int32, address: String) throws -> (descriptor: Int32, port: UInt16) {
        let descriptor = socket(family, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ProbeError.system("socket", errno) }

        var storage = sockaddr_storage()
        var length: socklen_t
        if family == AF_INET {
            var inet = sockaddr_in()
            inet.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, address, &inet.sin_addr)
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeBytes(of: &inet) { source in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
            }
        } else {
            var inet6 = sockaddr_in6()
            inet6.sin6_family = sa_family_t(AF_INET6)
            inet_pton(AF_INET6, address, &inet6.sin6_addr)
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeBytes(of: &inet6) { source in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
            }
        }

        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            throw ProbeError.system("bind \(address)", code)
        }
        if type == Int32(SOCK_STREAM.rawValue) {
            guard listen(descriptor, 8) == 0 else { throw ProbeError.system("listen", errno) }
        }

        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &actualLength) }
        }
        let port = withUnsafeBytes(of: &storage) { raw -> UInt16 in
            // sin_port and sin6_port both sit at offset 2, in network byte order.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
        return (descriptor, port)
    }
}
