import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A port that was free on 127.0.0.1 for both UDP and TCP a moment ago, below the kernel's
/// ephemeral range. A port from that range can be taken by an outgoing TCP connection of a
/// concurrent test before the server binds it, and then the server answers over UDP but
/// cannot listen over TCP.
public func freePort() -> UInt16 {
    let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
    let ephemeralStart = range.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32768
    let upper = max(ephemeralStart, 12000)
    for _ in 0..<50 {
        let candidate = UInt16(Int.random(in: 10000..<upper))
        var free = true
        for type in [SOCK_DGRAM, SOCK_STREAM] {
            let fd = socket(AF_INET, Int32(type.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = candidate.bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(fd)
            if result != 0 { free = false }
        }
        if free { return candidate }
    }
    fatalError("no free port found on 127.0.0.1")
}
