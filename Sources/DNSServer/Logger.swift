import Glibc
import Synchronization

/// Message severities, as BIND's logging statement names them.
public enum LogSeverity: Int, Sendable, Comparable {
    case critical = 2, error = 3, warning = 4, notice = 5, info = 6, debug = 7

    public static func < (lhs: LogSeverity, rhs: LogSeverity) -> Bool { lhs.rawValue > rhs.rawValue }

    /// The syslog priority number (RFC 5424), which journald uses as PRIORITY.
    public var syslogPriority: Int { rawValue }

    var label: String {
        switch self {
        case .critical: return "critical"
        case .error: return "error"
        case .warning: return "warning"
        case .notice: return "notice"
        case .info: return "info"
        case .debug: return "debug"
        }
    }
}

/// Where log messages go.
public protocol LogSink: Sendable {
    /// Writes one message with structured fields (such as ZONE, FILE, LINE) that sinks may keep.
    func write(_ severity: LogSeverity, _ message: String, fields: [(String, String)])
}

/// Writes to standard error. With `timestamps`, each line starts with the time as BIND's `-g`
/// prints it (`04-Dec-2026 20:05:07.123`), which a terminal user wants and journald does not.
public struct StandardErrorSink: LogSink {
    public var timestamps: Bool
    private static let lock = Mutex(())

    public init(timestamps: Bool) {
        self.timestamps = timestamps
    }

    public func write(_ severity: LogSeverity, _ message: String, fields: [(String, String)]) {
        var line = timestamps ? Self.timestamp() + " " : ""
        line += message + "\n"
        Self.lock.withLock { _ in
            var bytes = Array(line.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break }
                bytes = bytes.dropFirst(written)
            }
        }
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_mday, 2))-\(months[Int(parts.tm_mon)])-\(parts.tm_year + 1900) "
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + pad(Int32(now.tv_nsec / 1_000_000), 3)
    }
}

/// The server's logger: formats nothing itself, filters by severity and fans out to sinks.
public final class Logger: Sendable {
    private let state: Mutex<(sinks: [any LogSink], threshold: LogSeverity)>

    public init(sinks: [any LogSink], threshold: LogSeverity = .info) {
        state = Mutex((sinks, threshold))
    }

    public func replaceSinks(_ sinks: [any LogSink], threshold: LogSeverity) {
        state.withLock { $0 = (sinks, threshold) }
    }

    public func log(_ severity: LogSeverity, _ message: String, fields: [(String, String)] = []) {
        let (sinks, threshold) = state.withLock { ($0.sinks, $0.threshold) }
        guard severity >= threshold else { return }
        for sink in sinks {
            sink.write(severity, message, fields: fields)
        }
    }

    public func error(_ message: String, fields: [(String, String)] = []) { log(.error, message, fields: fields) }
    public func warning(_ message: String, fields: [(String, String)] = []) { log(.warning, message, fields: fields) }
    public func notice(_ message: String, fields: [(String, String)] = []) { log(.notice, message, fields: fields) }
    public func info(_ message: String, fields: [(String, String)] = []) { log(.info, message, fields: fields) }
}

extension Logger {
    public func critical(_ message: String, fields: [(String, String)] = []) { log(.critical, message, fields: fields) }
}
