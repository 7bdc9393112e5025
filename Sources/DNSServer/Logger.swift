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

/// The BIND logging categories that swift-named writes to. A `category` clause in named.conf
/// routes each of them; categories without a clause follow `default`.
public enum LogCategoryName {
    public static let general = "general"
    public static let config = "config"
    public static let control = "control"
    public static let network = "network"
    public static let zoneLoad = "zoneload"
    public static let notify = "notify"
    public static let queries = "queries"
}

/// One message on its way to the sinks.
public struct LogRecord: Sendable {
    public var severity: LogSeverity
    public var category: String
    public var message: String
    /// Structured fields (such as ZONE, FILE, LINE) that sinks may keep.
    public var fields: [(String, String)]
}

/// Where log messages go.
///
/// A sink implements `write(_:_:fields:)`. Sinks that print the category (file and syslog
/// channels) implement `write(_ record:)` as well; its default calls the first.
public protocol LogSink: Sendable {
    /// Writes one message with structured fields (such as ZONE, FILE, LINE) that sinks may keep.
    func write(_ severity: LogSeverity, _ message: String, fields: [(String, String)])
    /// Writes one message with its category.
    func write(_ record: LogRecord)
}

extension LogSink {
    public func write(_ record: LogRecord) {
        write(record.severity, record.message, fields: record.fields)
    }
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
            writeAll(STDERR_FILENO, line)
        }
    }

    static func timestamp() -> String {
        LogTimeFormat.local.format()
    }
}

/// Writes all of `text` to `fd`, retrying after EINTR and short writes. Returns false on error.
@discardableResult
func writeAll(_ fd: Int32, _ text: String) -> Bool {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return false }
        bytes = bytes.dropFirst(written)
    }
    return true
}

/// A sink with the lowest severity it accepts.
public struct LogDestination: Sendable {
    public var sink: any LogSink
    public var threshold: LogSeverity

    public init(sink: any LogSink, threshold: LogSeverity) {
        self.sink = sink
        self.threshold = threshold
    }
}

/// The server's logger: routes each message by category to sinks, filtered by severity.
///
/// Warnings and errors with the same start of text are rate-limited, so that a fault met on
/// every query (a failing socket, say) cannot flood the log: see `RepeatLimiter`.
public final class Logger: Sendable {
    struct Routes {
        /// Destinations of categories without their own entry in `byCategory`.
        var fallback: [LogDestination]
        var byCategory: [String: [LogDestination]]
        /// The lowest threshold of any destination, to drop messages early.
        var threshold: LogSeverity
    }

    private let routes: Mutex<Routes>
    private let limiter = Mutex(RepeatLimiter())

    public init(sinks: [any LogSink], threshold: LogSeverity = .info) {
        let destinations = sinks.map { LogDestination(sink: $0, threshold: threshold) }
        routes = Mutex(Routes(fallback: destinations, byCategory: [:], threshold: threshold))
    }

    /// Sends every category to `sinks`.
    public func replaceSinks(_ sinks: [any LogSink], threshold: LogSeverity) {
        let destinations = sinks.map { LogDestination(sink: $0, threshold: threshold) }
        routes.withLock { $0 = Routes(fallback: destinations, byCategory: [:], threshold: threshold) }
    }

    /// Sends each category in `byCategory` to its destinations and every other one to `fallback`.
    public func replaceRoutes(fallback: [LogDestination], byCategory: [String: [LogDestination]]) {
        let all = fallback + byCategory.values.flatMap { $0 }
        let threshold = all.map(\.threshold).min() ?? .critical
        routes.withLock { $0 = Routes(fallback: fallback, byCategory: byCategory, threshold: threshold) }
    }

    public func log(_ severity: LogSeverity, _ message: String, category: String = LogCategoryName.general,
                    fields: [(String, String)] = []) {
        let (destinations, threshold) = routes.withLock { routes in
            (routes.byCategory[category] ?? routes.fallback, routes.threshold)
        }
        guard severity >= threshold else { return }
        var summary: String?
        if severity >= .warning {
            let decision = limiter.withLock { $0.admit(message, now: monotonicSeconds()) }
            summary = decision.summary
            if !decision.admitted {
                return
            }
        }
        if let summary {
            deliver(LogRecord(severity: .warning, category: category, message: summary, fields: []), to: destinations)
        }
        deliver(LogRecord(severity: severity, category: category, message: message, fields: fields), to: destinations)
    }

    private func deliver(_ record: LogRecord, to destinations: [LogDestination]) {
        for destination in destinations where record.severity >= destination.threshold {
            destination.sink.write(record)
        }
    }

    public func error(_ message: String, category: String = LogCategoryName.general, fields: [(String, String)] = []) {
        log(.error, message, category: category, fields: fields)
    }
    public func warning(_ message: String, category: String = LogCategoryName.general, fields: [(String, String)] = []) {
        log(.warning, message, category: category, fields: fields)
    }
    public func notice(_ message: String, category: String = LogCategoryName.general, fields: [(String, String)] = []) {
        log(.notice, message, category: category, fields: fields)
    }
    public func info(_ message: String, category: String = LogCategoryName.general, fields: [(String, String)] = []) {
        log(.info, message, category: category, fields: fields)
    }
    public func critical(_ message: String, category: String = LogCategoryName.general, fields: [(String, String)] = []) {
        log(.critical, message, category: category, fields: fields)
    }
}

func monotonicSeconds() -> Int {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return now.tv_sec
}

/// Lets through at most `limit` messages per key in each `window` seconds, where the key is
/// the first `keyLength` characters of the message (per-query messages differ only after the
/// address or name). The first message after a window with suppressed ones carries a summary.
struct RepeatLimiter {
    static let limit = 50
    static let window = 10
    static let keyLength = 40

    private var windowStart = 0
    private var counts: [String: Int] = [:]

    mutating func admit(_ message: String, now: Int) -> (admitted: Bool, summary: String?) {
        var summary: String?
        if now - windowStart >= Self.window {
            let suppressed = counts.filter { $0.value > Self.limit }
            if !suppressed.isEmpty {
                let total = suppressed.values.reduce(0) { $0 + $1 - Self.limit }
                let examples = suppressed.keys.sorted().prefix(3).map { "'\($0)...'" }.joined(separator: ", ")
                summary = "suppressed \(total) repeated log messages in the last \(Self.window) seconds, starting with \(examples)"
            }
            counts.removeAll(keepingCapacity: true)
            windowStart = now
        }
        let key = String(message.prefix(Self.keyLength))
        let count = counts[key, default: 0] + 1
        counts[key] = count
        return (count <= Self.limit, summary)
    }
}
