#if canImport(Glibc)
import Glibc

extension AddressMatchEnvironment {
    /// Reads the addresses and netmasks of the host's interfaces with getifaddrs(3), for
    /// `localhost` and `localnets`. Falls back to `loopbackOnly` when getifaddrs fails.
    public static func currentInterfaces() -> AddressMatchEnvironment {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0, let first = head else { return .loopbackOnly }
        defer { freeifaddrs(head) }

        var addresses: [IPAddress] = []
        var networks: [IPPrefix] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr.flatMap(ipAddress) else { continue }
            addresses.append(address)
            let full = address.isV4 ? 32 : 128
            let length = entry.pointee.ifa_netmask.flatMap(ipAddress).map(prefixLength) ?? full
            networks.append(IPPrefix(address: address, length: length).masked())
        }
        return AddressMatchEnvironment(localhost: addresses, localnets: networks)
    }

    private static func ipAddress(_ socketAddress: UnsafeMutablePointer<sockaddr>) -> IPAddress? {
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                .v4(UInt32(bigEndian: pointer.pointee.sin_addr.s_addr))
            }
        case AF_INET6:
            return socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { bytes in
                    var high: UInt64 = 0
                    var low: UInt64 = 0
                    for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
                    for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
                    return .v6(high, low)
                }
            }
        default:
            return nil
        }
    }

    private static func prefixLength(_ netmask: IPAddress) -> Int {
        switch netmask {
        case .v4(let value): return value.nonzeroBitCount
        case .v6(let high, let low): return high.nonzeroBitCount + low.nonzeroBitCount
        }
    }
}
#endif
