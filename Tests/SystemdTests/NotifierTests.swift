#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Systemd

@Suite struct NotifierTests {
    @Test func notifySendsEachStateToSocket() throws {
        let path = Sockets.temporaryPath("notify")
        let receiver = try Sockets.boundUnixDatagram(at: path)
        defer {
            close(receiver)
            unlink(path)
        }

        let before = SystemdNotifier.monotonicMicroseconds()
        let output = try ProbeProcess.run("notify", environment: ["NOTIFY_SOCKET": path])
        let after = SystemdNotifier.monotonicMicroseconds()

        #expect(output.exitStatus == 0)
        #expect(output.value("enabled") == "true")
        for label in ["ready", "reloading", "status", "watchdog", "stopping"] {
            #expect(output.value(label) == "true", "\(label): \(output.lines)")
        }

        let messages = Sockets.drainDatagrams(receiver)
        try #require(messages.count == 5, "datagrams: \(messages)")
        #expect(messages[0] == "READY=1\nSTATUS=serving 3 zones second line")

        let reloading = messages[1].split(separator: "\n").map(String.init)
        #expect(reloading.count == 3)
        #expect(reloading.first == "RELOADING=1")
        #expect(reloading.last == "STATUS=reloading")
        let stamp = reloading.first { $0.hasPrefix("MONOTONIC_USEC=") }.flatMap {
            UInt64($0.dropFirst("MONOTONIC_USEC=".count))
        }
        let microseconds = try #require(stamp, "no MONOTONIC_USEC in \(reloading)")
        #expect(microseconds >= before)
        #expect(microseconds <= after)

        #expect(messages[2] == "STATUS=serving 4 zones")
        #expect(messages[3] == "WATCHDOG=1")
        #expect(messages[4] == "STOPPING=1")
    }

    @Test func notifyReachesAbstractSocket() throws {
        let name = "@swift-named-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let receiver = try Sockets.boundUnixDatagram(at: name)
        defer { close(receiver) }

        let output = try ProbeProcess.run("notify", environment: ["NOTIFY_SOCKET": name])

        #expect(output.value("ready") == "true")
        let messages = Sockets.drainDatagrams(receiver)
        #expect(messages.first == "READY=1\nSTATUS=serving 3 zones second line")
    }

    @Test func notifyWithoutSocketIsNoOp() throws {
        let output = try ProbeProcess.run("notify")

        #expect(output.exitStatus == 0)
        #expect(output.value("enabled") == "false")
        for label in ["ready", "reloading", "status", "watchdog", "stopping"] {
            #expect(output.value(label) == "false", "\(label): \(output.lines)")
        }
    }

    @Test func notifyToMissingSocketThrows() throws {
        let path = Sockets.temporaryPath("notify-missing")
        let output = try ProbeProcess.run("notify", environment: ["NOTIFY_SOCKET": path])

        let ready = try #require(output.value("ready"))
        #expect(ready.hasPrefix("error sd_notify failed for \"READY=1\""), "\(ready)")
        #expect(ready.contains("errno \(ENOENT)"), "\(ready)")
    }

    @Test func watchdogIntervalFromEnvironment() throws {
        let enabled = try ProbeProcess.run(
            "watchdog", environment: ["WATCHDOG_USEC": "2500000"], setListenPID: true)
        #expect(enabled.value("interval") == "2 500000000000000000")

        let unset = try ProbeProcess.run("watchdog")
        #expect(unset.value("interval") == "none")

        // WATCHDOG_PID names another process, so the pings are not this process's job.
        let otherProcess = try ProbeProcess.run(
            "watchdog", environment: ["WATCHDOG_USEC": "2500000", "WATCHDOG_PID": "1"])
        #expect(otherProcess.value("interval") == "none")

        let invalid = try ProbeProcess.run(
            "watchdog", environment: ["WATCHDOG_USEC": "soon"], setListenPID: true)
        let error = try #require(invalid.value("error"))
        #expect(error.hasPrefix("sd_watchdog_enabled failed"), "\(error)")
    }

    @Test func statusLineBreaksBecomeSpaces() {
        let message = SystemdNotifier.message(["READY=1"], status: "a\nb\r\nc")
        #expect(message == "READY=1\nSTATUS=a b c")
    }
}
