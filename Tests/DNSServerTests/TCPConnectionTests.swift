import Foundation
import Glibc
import Testing

/// Many short TCP connections, one query each, from several clients at once: every one must
/// be answered. A server that closed a connection's descriptor before Dispatch had let go of
/// its read source lost a few connections in a thousand here: the next connection got the
/// same descriptor number, and its read source never fired.
@Suite(.serialized)
struct TCPConnectionTests {
    static let clients = 4
    static let connectionsPerClient = 400

    @Test func everyShortConnectionIsAnswered() throws {
        let named = try OperatedServer()
        let query = UDPClient.query(id: 0x1234, name: "steady.example.com")
        let framed = [UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query
        let failures = Locked([String]())
        let port = named.port
        let group = DispatchGroup()
        for client in 0..<Self.clients {
            DispatchQueue.global().async(group: group) {
                for attempt in 0..<Self.connectionsPerClient {
                    if let problem = Self.askOnce(port: port, framed: framed) {
                        failures.withLock { $0.append("client \(client), connection \(attempt): \(problem)") }
                    }
                }
            }
        }
        group.wait()
        let failed = failures.withLock { $0 }
        #expect(failed.isEmpty, "\(failed.count) of \(Self.clients * Self.connectionsPerClient) connections failed, first: \(failed.prefix(3))")
    }

    /// Connects, sends one framed query and reads the framed reply. Returns nil on success, or
    /// what went wrong.
    static func askOnce(port: UInt16, framed: [UInt8]) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return "socket failed: \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return "connect failed: \(String(cString: strerror(errno)))" }
        let sent = framed.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == framed.count else { return "send failed: \(String(cString: strerror(errno)))" }
        // Read the whole reply, so that closing sends FIN rather than RST: the server then
        // sees the end of the stream, the case that lost connections.
        var reply = [UInt8](repeating: 0, count: 4096)
        var received = 0
        while received < 2 || received < 2 + (Int(reply[0]) << 8 | Int(reply[1])) {
            let count = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + received, $0.count - received, 0) }
            if count == 0 { return "the server closed the connection after \(received) octets of the reply" }
            if count < 0 { return errno == EAGAIN ? "no reply within 2 s" : "recv failed: \(String(cString: strerror(errno)))" }
            received += count
        }
        return nil
    }
}
