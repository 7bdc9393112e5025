#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// Structured logging to systemd-journald over its native protocol (see sd_journal_sendv(3)).
public enum Journal {
    /// Syslog severities, the values of the journal's `PRIORITY=` field.
    public enum Priority: Int32, Sendable, Comparable {
        case emergency = 0
        case alert = 1
        case critical = 2
        case error = 3
        case warning = 4
        case notice = 5
        case info = 6
        case debug = 7

        public static func < (lhs: Priority, rhs: Priority) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }

    /// Field names used by this project next to journald's own.
    public enum FieldName {
        /// The zone's origin, e.g. `example.com`.
        public static let zone = "ZONE"
        /// The SOA serial of the zone as loaded.
        public static let serial = "SERIAL"
        /// A configuration or zone file that the message is about.
        public static let file = "FILE"
        /// The line in `FILE` that the message is about.
        public static let line = "LINE"
    }

    /// Sends one journal entry with `MESSAGE`, `PRIORITY`, the caller's
    /// `CODE_FILE`/`CODE_LINE`/`CODE_FUNC` and the given fields, in the given order.
    ///
    /// Field values may contain line breaks and any bytes. Throws
    /// `invalidJournalFieldName` before sending anything when a name breaks
    /// journald's rules, and `journalSendFailed` when journald cannot be
    /// reached (no socket at /run/systemd/journal/socket, say).
    public static func send(
        _ priority: Priority,
        _ message: String,
        fields: [(String, String)],
        fileID: String = #fileID,
        line: Int = #line,
        function: String = #function
    ) throws(SystemdError) {
        for (name, _) in fields where !isValidFieldName(name) {
            throw .invalidJournalFieldName(name)
        }

        var assignments = [
            "MESSAGE=\(message)",
            "PRIORITY=\(priority.rawValue)",
            "CODE_FILE=\(fileID)",
            "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
        ]
        for (name, value) in fields {
            assignments.append("\(name)=\(value)")
        }
        try sendAssignments(assignments)
    }

    /// Sends one journal entry like `send(_:_:fields:)` with an array, with
    /// the fields in ascending order of name.
    public static func send(
        _ priority: Priority,
        _ message: String,
        fields: [String: String] = [:],
        fileID: String = #fileID,
        line: Int = #line,
        function: String = #function
    ) throws(SystemdError) {
        let ordered = fields.keys.sorted().map { ($0, fields[$0]!) }
        try send(priority, message, fields: ordered, fileID: fileID, line: line, function: function)
    }

    /// Whether `name` may be a journal field set by a client: 1 to 64
    /// characters from A-Z, 0-9 and `_`, not starting with `_` (reserved for
    /// fields journald adds itself) or a digit. journald drops other fields silently.
    public static func isValidFieldName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        guard bytes[0] != UInt8(ascii: "_") else { return false }
        guard !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[0]) else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }

    /// Whether standard error is the stream that systemd connected to the
    /// journal for this service, so that native `send` calls are better than
    /// plain lines on stderr.
    ///
    /// systemd sets `JOURNAL_STREAM=<device>:<inode>` (decimal) for a service whose
    /// stdout or stderr goes to the journal. Per systemd.exec(5) the variable
    /// counts only when those numbers equal `fstat` of stderr, because a child
    /// that inherits the variable with stderr redirected elsewhere must not
    /// switch to the journal.
    public static func isConnectedToJournal() -> Bool {
        guard let raw = getenv("JOURNAL_STREAM") else { return false }
        let parts = String(cString: raw).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let device = UInt64(parts[0]),
            let inode = UInt64(parts[1])
        else { return false }

        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    /// Hands `FIELD=value` strings to `sd_journal_sendv`, one iovec each.
    ///
    /// The variadic `sd_journal_send` cannot be called from Swift, so the
    /// strings are copied into one buffer and pointed at by an iovec array.
    static func sendAssignments(_ assignments: [String]) throws(SystemdError) {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for assignment in assignments {
            let start = bytes.count
            bytes.append(contentsOf: assignment.utf8)
            ranges.append(start..<bytes.count)
        }

        let result = bytes.withUnsafeMutableBytes { buffer -> Int32 in
            let vectors = ranges.map { range in
                iovec(iov_base: buffer.baseAddress! + range.lowerBound, iov_len: range.count)
            }
            return vectors.withUnsafeBufferPointer {
                sd_journal_sendv($0.baseAddress, Int32($0.count))
            }
        }
        if result < 0 {
            throw .journalSendFailed(errno: -result)
        }
    }
}
