#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Systemd

@Suite struct SocketActivationTests {
    @Test func listenFDsDescribePassedSockets() throws {
        let udp = try Sockets.boundInet(family: AF_INET, type: Int32(SOCK_DGRAM.rawValue), address: "127.0.0.1")
        let tcp = try Sockets.boundInet(family: AF_INET, type: Int32(SOCK_STREAM.rawValue), address: "127.0.0.1")
        var pipeEnds: [Int32] = [0, 0]
        try #require(pipe(&pipeEnds) == 0)
        defer { [udp.descriptor, tcp.descriptor, pipeEnds[0], pipeEnds[1]].forEach { close($0) } }

        let output = try ProbeProcess.run(
            "listen-fds",
            environment: ["LISTEN_FDS": "3", "LISTEN_FDNAMES": "dns-udp:dns-tcp:log"],
            passing: [udp.descriptor, tcp.descriptor, pipeEnds[0]],
            setListenPID: true)

        #expect(output.exitStatus == 0)
        #expect(output.value("count") == "3", "\(output.lines)")
        let sockets = output.lines.filter { $0.hasPrefix("socket ") }
        try #require(sockets.count == 3, "\(output.lines)")
        #expect(sockets[0] == "socket 3 dns-udp udp \(AF_INET) 127.0.0.1 \(udp.port)")
        #expect(sockets[1] == "socket 4 dns-tcp tcp \(AF_INET) 127.0.0.1 \(tcp.port)")
        #expect(sockets[2] == "socket 5 log other \(AF_UNSPEC) - -")

        // The variables are gone, so that a child of the server does not take the sockets.
        #expect(output.value("LISTEN_FDS") == "unset")
        #expect(output.value("LISTEN_PID") == "unset")
        #expect(output.value("LISTEN_FDNAMES") == "unset")
    }

    @Test func listenFDsReportIPv6Address() throws {
        let udp6: (descriptor: Int32, port: UInt16)
        do {
            udp6 = try Sockets.boundInet(family: AF_INET6, type: Int32(SOCK_DGRAM.rawValue), address: "::1")
        } catch {
            // NOTE: a host without IPv6 loopback cannot run this case.
            print("skipping: no ::1 (\(error))")
            return
        }
        defer { close(udp6.descriptor) }

        let output = try ProbeProcess.run(
            "listen-fds", environment: ["LISTEN_FDS": "1"], passing: [udp6.descriptor], setListenPID: true)

        #expect(output.value("socket") == "3 unknown udp \(AF_INET6) ::1 \(udp6.port)")
    }

    @Test func listenFDsIgnoreOtherProcess() throws {
        let udp = try Sockets.boundInet(family: AF_INET, type: Int32(SOCK_DGRAM.rawValue), address: "127.0.0.1")
        defer { close(udp.descriptor) }

        // LISTEN_PID=1: the sockets were meant for another process.
        let output = try ProbeProcess.run(
            "listen-fds", environment: ["LISTEN_FDS": "1", "LISTEN_PID": "1"], passing: [udp.descriptor])

        #expect(output.value("count") == "0", "\(output.lines)")
    }

    @Test func listenFDsWithoutActivation() throws {
        let output = try ProbeProcess.run("listen-fds")

        #expect(output.value("count") == "0", "\(output.lines)")
        #expect(output.value("error") == nil)
    }

    @Test func listenFDsRejectInvalidCount() throws {
        let output = try ProbeProcess.run(
            "listen-fds", environment: ["LISTEN_FDS": "three"], setListenPID: true)

        let error = try #require(output.value("error"), "\(output.lines)")
        #expect(error.hasPrefix("sd_listen_fds failed"), "\(error)")
    }
}
