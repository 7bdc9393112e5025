#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Systemd

@Suite struct JournalTests {
    @Test func journalStreamMatchesStderr() throws {
        let path = Sockets.temporaryPath("journal-stream")
        let other = Sockets.temporaryPath("journal-other")
        for file in [path, other] {
            let descriptor = open(file, O_CREAT | O_WRONLY, 0o600)
            try #require(descriptor >= 0)
            close(descriptor)
        }
        defer {
            unlink(path)
            unlink(other)
        }
        let stream = try deviceAndInode(path)
        let otherStream = try deviceAndInode(other)

        let matching = try ProbeProcess.run(
            "journal-stream", environment: ["JOURNAL_STREAM": stream], stderrFile: path)
        #expect(matching.value("connected") == "true")

        // stderr was redirected after systemd set the variable: keep writing to stderr.
        let redirected = try ProbeProcess.run(
            "journal-stream", environment: ["JOURNAL_STREAM": otherStream], stderrFile: path)
        #expect(redirected.value("connected") == "false")

        for invalid in ["", "12", "12:", ":34", "a:b", "1:2:3"] {
            let output = try ProbeProcess.run(
                "journal-stream", environment: ["JOURNAL_STREAM": invalid], stderrFile: path)
            #expect(output.value("connected") == "false", "JOURNAL_STREAM=\(invalid)")
        }

        let unset = try ProbeProcess.run("journal-stream", stderrFile: path)
        #expect(unset.value("connected") == "false")
    }

    @Test func fieldNameRules() {
        for valid in ["ZONE", "SERIAL", "FILE", "LINE", "A1", "X_Y", String(repeating: "A", count: 64)] {
            #expect(Journal.isValidFieldName(valid), "\(valid)")
        }
        for invalid in ["", "_PID", "1ZONE", "zone", "ZO-NE", "ZONE=", "ZÖNE", String(repeating: "A", count: 65)] {
            #expect(!Journal.isValidFieldName(invalid), "\(invalid)")
        }
    }

    @Test func invalidFieldNameThrowsBeforeSending() {
        #expect(throws: SystemdError.invalidJournalFieldName("zone")) {
            try Journal.send(.info, "message", fields: ["zone": "example.com"])
        }
        #expect(throws: SystemdError.invalidJournalFieldName("_PID")) {
            try Journal.send(.info, "message", fields: [("ZONE", "example.com"), ("_PID", "1")])
        }
    }

    /// Binds journald's socket path in a private mount namespace (root only),
    /// so libsystemd's real sender is checked against the native protocol.
    @Test(.enabled(if: getuid() == 0, "needs root for unshare --mount"))
    func sendWritesNativeProtocol() throws {
        let script = "mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/journal && exec \"$0\" \"$@\""
        let output = try ProbeProcess.run(
            "journal-send", launcher: ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script])

        #expect(output.exitStatus == 0, "\(output.lines)")
        #expect(output.value("sent") == "true", "\(output.lines)")
        let hex = try #require(output.value("datagram"), "\(output.lines)")
        let datagram = bytes(fromHex: hex)
        let text = String(decoding: datagram, as: UTF8.self)

        #expect(text.hasPrefix("MESSAGE=zone example.com/IN: loaded serial 7\nPRIORITY=4\n"), "\(text)")
        #expect(text.contains("\nCODE_FILE=systemd_probe/main.swift\n"), "\(text)")
        #expect(text.contains("\nCODE_LINE="), "\(text)")
        // The fields keep the caller's order: ZONE, SERIAL, then FILE.
        #expect(text.contains("\nZONE=example.com\nSERIAL=7\nFILE\n"), "\(text)")
        // libsystemd adds the program name when the caller did not set it.
        #expect(text.hasSuffix("\nSYSLOG_IDENTIFIER=systemd-probe\n"), "\(text)")

        // A value with a line break goes as NAME, newline, 64-bit little-endian length, value, newline.
        let multiLine: [UInt8] = Array("\nFILE\n".utf8) + [9, 0, 0, 0, 0, 0, 0, 0] + Array("two\nlines\n".utf8)
        #expect(contains(datagram, multiLine), "\(hex)")
    }

    private func deviceAndInode(_ path: String) throws -> String {
        var status = stat()
        try #require(stat(path, &status) == 0)
        return "\(status.st_dev):\(status.st_ino)"
    }

    private func bytes(fromHex hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle {
            return true
        }
        return false
    }
}
