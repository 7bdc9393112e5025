import Glibc
import NamedConfig
import Synchronization

/// The `print-time` styles of a logging channel.
public enum LogTimeFormat: Sendable {
    case none
    /// `yes` and `local`: `04-Dec-2026 20:05:07.123` in local time, BIND's default style.
    case local
    /// `iso8601`: local time with its UTC offset, `2026-12-04T20:05:07.123+01:00`.
    case iso8601
    /// `iso8601-utc`: `2026-12-04T19:05:07.123Z`.
    case iso8601UTC

    init(configured: String) {
        switch configured {
        case "yes", "local": self = .local
        case "iso8601": self = .iso8601
        case "iso8601-utc": self = .iso8601UTC
        default: self = .none
        }
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The current time in this style; empty for `.none`.
    func format() -> String {
        guard self != .none else { return "" }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        if self == .iso8601UTC {
            gmtime_r(&seconds, &parts)
        } else {
            localtime_r(&seconds, &parts)
        }
        let milliseconds = pad(Int(now.tv_nsec / 1_000_000), 3)
        let clock = "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(milliseconds)"
        let date = "\(Int(parts.tm_year) + 1900)-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
        switch self {
        case .none:
            return ""
        case .local:
            return "\(pad(Int(parts.tm_mday), 2))-\(Self.months[Int(parts.tm_mon)])-\(Int(parts.tm_year) + 1900) \(clock)"
        case .iso8601UTC:
            return "\(date)T\(clock)Z"
        case .iso8601:
            let offset = parts.tm_gmtoff
            let sign = offset < 0 ? "-" : "+"
            let minutes = abs(offset) / 60
            return "\(date)T\(clock)\(sign)\(pad(minutes / 60, 2)):\(pad(minutes % 60, 2))"
        }
    }
}

func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}

/// The line prefix of a channel: time, category and severity, each if the channel prints it.
struct LogLineFormat: Sendable {
    var time: LogTimeFormat
    var printCategory: Bool
    var printSeverity: Bool

    func line(_ record: LogRecord) -> String {
        var line = ""
        let time = time.format()
        if !time.isEmpty { line += time + " " }
        if printCategory { line += record.category + ": " }
        if printSeverity { line += record.severity.label + ": " }
        return line + record.message
    }
}

/// A `file` channel: appends lines to a file and rotates it by size when `versions` allows.
///
/// Rotation renames `path` to `path.0`, `path.0` to `path.1` and so on, keeping `versions`
/// old files. Without `versions`, a file that reaches `size` is not written to any more, as
/// BIND does. Writes from all threads go through one lock.
public final class FileChannelSink: LogSink {
    let path: String
    let versions: Int?
    let maximumSize: Int?
    let format: LogLineFormat
    private let state: Mutex<(fd: Int32, size: Int)>

    init(path: String, versions: Int?, maximumSize: Int?, format: LogLineFormat) throws {
        self.path = path
        self.versions = versions
        self.maximumSize = maximumSize
        self.format = format
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SystemCallError("open", "log file '\(path)'") }
        var info = stat()
        fstat(fd, &info)
        state = Mutex((fd, Int(info.st_size)))
    }

    deinit {
        state.withLock { close($0.fd) }
    }

    public func write(_ severity: LogSeverity, _ message: String, fields: [(String, String)]) {
        write(LogRecord(severity: severity, category: LogCategoryName.general, message: message, fields: fields))
    }

    public func write(_ record: LogRecord) {
        let line = format.line(record) + "\n"
        state.withLock { state in
            if let maximumSize, state.size + line.utf8.count > maximumSize {
                guard let versions, versions > 0 else { return }
                rotate(&state, versions: versions)
            }
            if writeAll(state.fd, line) {
                state.size += line.utf8.count
            }
        }
    }

    private func rotate(_ state: inout (fd: Int32, size: Int), versions: Int) {
        // `versions unlimited` keeps at most this many, which is plenty for a log directory.
        let kept = min(versions, 1000)
        unlink("\(path).\(kept - 1)")
        var index = kept - 1
        while index > 0 {
            rename("\(path).\(index - 1)", "\(path).\(index)")
            index -= 1
        }
        rename(path, "\(path).0")
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        close(state.fd)
        state = (fd, 0)
    }
}

/// A `syslog` channel, written with syslog(3) at the channel's facility.
public struct SyslogChannelSink: LogSink {
    let facility: Int32
    let format: LogLineFormat

    static let facilities: [String: Int32] = [
        "kern": LOG_KERN, "user": LOG_USER, "mail": LOG_MAIL, "daemon": LOG_DAEMON, "auth": LOG_AUTH,
        "syslog": LOG_SYSLOG, "lpr": LOG_LPR, "news": LOG_NEWS, "uucp": LOG_UUCP, "cron": LOG_CRON,
        "authpriv": LOG_AUTHPRIV, "ftp": LOG_FTP, "local0": LOG_LOCAL0, "local1": LOG_LOCAL1,
        "local2": LOG_LOCAL2, "local3": LOG_LOCAL3, "local4": LOG_LOCAL4, "local5": LOG_LOCAL5,
        "local6": LOG_LOCAL6, "local7": LOG_LOCAL7,
    ]

    /// Opens the connection to syslog once for the process, as `named`.
    static let opened: Bool = {
        openlog("named", LOG_PID | LOG_NDELAY, LOG_DAEMON)
        return true
    }()

    init(facilityName: String, format: LogLineFormat) {
        _ = Self.opened
        facility = Self.facilities[facilityName] ?? LOG_DAEMON
        // syslog stamps each message itself.
        self.format = LogLineFormat(time: .none, printCategory: format.printCategory,
                                    printSeverity: format.printSeverity)
    }

    public func write(_ severity: LogSeverity, _ message: String, fields: [(String, String)]) {
        write(LogRecord(severity: severity, category: LogCategoryName.general, message: message, fields: fields))
    }

    public func write(_ record: LogRecord) {
        let line = format.line(record)
        withVaList([line]) { arguments in
            vsyslog(facility | Int32(record.severity.syslogPriority), "%s", arguments)
        }
    }
}

/// A sink that drops everything: the `null` channel.
struct NullSink: LogSink {
    func write(_ severity: LogSeverity, _ message: String, fields: [(String, String)]) {}
}

/// Standard error with a channel's own line format.
struct StandardErrorChannelSink: LogSink {
    let format: LogLineFormat
    private static let lock = Mutex(())

    func write(_ severity: LogSeverity, _ message: String, fields: [(String, String)]) {
        write(LogRecord(severity: severity, category: LogCategoryName.general, message: message, fields: fields))
    }

    func write(_ record: LogRecord) {
        let line = format.line(record) + "\n"
        Self.lock.withLock { _ in writeAll(STDERR_FILENO, line) }
    }
}

/// Builds the logger's routes from the `logging` statement.
public enum LoggingSetup {
    /// Channels by name with their destinations and thresholds, and the routes by category.
    /// Returns the error lines for channels that could not be opened; those channels drop their
    /// messages. `defaultSinks` are the destinations used when named.conf has no logging statement
    /// or no `default` category.
    public static func routes(for logging: LoggingConfiguration, defaultSinks: [LogDestination])
        -> (fallback: [LogDestination], byCategory: [String: [LogDestination]], errors: [String])
    {
        var errors: [String] = []
        var channels: [String: LogDestination] = [
            "null": LogDestination(sink: NullSink(), threshold: .critical),
            "default_stderr": LogDestination(
                sink: StandardErrorChannelSink(format: LogLineFormat(time: .none, printCategory: false, printSeverity: false)),
                threshold: .info),
            "default_syslog": LogDestination(
                sink: SyslogChannelSink(facilityName: "daemon", format: LogLineFormat(time: .none, printCategory: false, printSeverity: false)),
                threshold: .info),
        ]
        // BIND's default_debug writes named.run only at a debug level above 0, which swift-named
        // does not have, so it drops everything here.
        channels["default_debug"] = channels["null"]
        for channel in logging.channels {
            let format = LogLineFormat(time: LogTimeFormat(configured: channel.printTime),
                                       printCategory: channel.printCategory, printSeverity: channel.printSeverity)
            let threshold = threshold(of: channel.severity)
            switch channel.destination {
            case .file(let path, let versions, let size):
                do {
                    let sink = try FileChannelSink(path: path, versions: versions, maximumSize: size, format: format)
                    channels[channel.name] = LogDestination(sink: sink, threshold: threshold)
                } catch {
                    errors.append("\(channel.location): logging channel '\(channel.name)': \(error); "
                        + "check that the directory exists and is writable by named")
                    channels[channel.name] = channels["null"]
                }
            case .syslog(let facility):
                channels[channel.name] = LogDestination(
                    sink: SyslogChannelSink(facilityName: facility, format: format), threshold: threshold)
            case .stderr:
                channels[channel.name] = LogDestination(sink: StandardErrorChannelSink(format: format), threshold: threshold)
            case .null, .none:
                channels[channel.name] = channels["null"]
            }
        }

        var byCategory: [String: [LogDestination]] = [:]
        for category in logging.categories {
            let destinations = category.channels.compactMap { channels[$0] }
            byCategory[category.name, default: []] += destinations
        }
        let fallback = byCategory.removeValue(forKey: "default") ?? defaultSinks
        return (fallback, byCategory, errors)
    }

    static func threshold(of severity: LogChannel.Severity) -> LogSeverity {
        switch severity {
        case .critical: return .critical
        case .error: return .error
        case .warning: return .warning
        case .notice: return .notice
        case .info: return .info
        // swift-named has no debug levels: any debug severity lets debug messages through.
        case .debug, .dynamic: return .debug
        }
    }
}
