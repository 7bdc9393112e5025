import Glibc
import NamedConfig

/// One address configured on a network interface, with its prefix length.
struct InterfaceAddress {
    var address: IPAddress
    var prefixLength: Int
}

enum Interfaces {
    /// Every IPv4 and IPv6 address on the machine's interfaces (getifaddrs(3)).
    static func addresses() -> [InterfaceAddress] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var result: [InterfaceAddress] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            let ip = ipAddress(address)
            var prefix = family == AF_INET ? 32 : 128
            if let mask = entry.pointee.ifa_netmask {
                prefix = prefixLength(mask, family: family)
            }
            result.append(InterfaceAddress(address: ip, prefixLength: prefix))
        }
        return result
    }

    /// The environment that `localhost` and `localnets` in address match lists refer to.
    static func matchEnvironment(_ addresses: [InterfaceAddress]) -> AddressMatchEnvironment {
        AddressMatchEnvironment(
            localhost: addresses.map(\.address),
            localnets: addresses.map { IPPrefix(address: $0.address, length: $0.prefixLength) }
        )
    }

    private static func ipAddress(_ address: UnsafePointer<sockaddr>) -> IPAddress {
        var storage = sockaddr_storage()
        let size = address.pointee.sa_family == sa_family_t(AF_INET6)
            ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(start: address, count: size))
        }
        return SocketAddress.clientAddress(of: storage)
    }

    private static func prefixLength(_ mask: UnsafePointer<sockaddr>, family: Int32) -> Int {
        let offset = family == AF_INET ? 4 : 8
        let count = family == AF_INET ? 4 : 16
        let bytes = UnsafeRawPointer(mask).advanced(by: offset).assumingMemoryBound(to: UInt8.self)
        var bits = 0
        for i in 0..<count {
            bits += bytes[i].nonzeroBitCount
        }
        return bits
    }
}

extension IPAddress {
    /// The address in the numeric form `inet_pton` accepts.
    var socketHost: String { description }
}
