import Foundation
import TestSupport
import Glibc
import Testing

/// `named` reports its state to systemd over NOTIFY_SOCKET: checked with a real datagram
/// socket that plays the service manager's part.
@Suite struct SystemdNotifyTests {
    /// A Unix datagram socket in a temporary directory that collects notify messages.
    final class NotifyListener {
        let path: String
        let fd: Int32

        init(directory: URL) throws {
            path = directory.appendingPathComponent("notify.sock").path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard result == 0 else { throw POSIXError(.EADDRINUSE) }
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// Collects messages until one contains `expected` or `seconds` pass.
        func waitFor(_ expected: String, seconds: Double = 15) -> [String] {
            var messages: [String] = []
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline {
                let count = recv(fd, &buffer, buffer.count, 0)
                guard count > 0 else { continue }
                let message = String(decoding: buffer[0..<count], as: UTF8.self)
                messages.append(message)
                if message.contains(expected) { break }
            }
            return messages
        }

        deinit {
            close(fd)
            unlink(path)
        }
    }

    @Test func readyReloadingStopping() throws {
        let directory = try TemporaryDirectory()
        let listener = try NotifyListener(directory: directory.url)
        let port = freePort()
        let server = try ServerProcess.swiftNamed(config: "zones/named.conf", directory: repositoryRoot, port: port,
                                                  environment: ["NOTIFY_SOCKET": listener.path])

        let startup = listener.waitFor("READY=1")
        let ready = startup.last ?? ""
        #expect(ready.contains("READY=1"), "messages: \(startup); log: \(server.standardError)")
        #expect(ready.contains("STATUS=serving 2 zones: 1.0.10.in-addr.arpa 2001062501, example.com 2001062501"),
                "\(ready)")

        kill(server.process.processIdentifier, SIGHUP)
        let reload = listener.waitFor("READY=1")
        #expect(reload.first?.contains("RELOADING=1") == true, "messages: \(reload); log: \(server.standardError)")
        #expect(reload.first?.contains("MONOTONIC_USEC=") == true, "\(reload)")
        #expect(reload.last?.contains("READY=1") == true, "\(reload)")

        kill(server.process.processIdentifier, SIGTERM)
        let stopping = listener.waitFor("STOPPING=1")
        #expect(stopping.last?.contains("STOPPING=1") == true, "\(stopping)")
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
    }
}
