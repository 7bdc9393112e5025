import Systemd

/// Sends log messages to journald with their priority and structured fields (ZONE, SERIAL,
/// FILE, LINE), so that `journalctl -u named -p err` and `journalctl ZONE=example.com` work.
/// A message journald does not take goes to standard error instead, which journald reads
/// for a service anyway.
public struct JournalSink: LogSink {
    private let fallback = StandardErrorSink(timestamps: false)

    public init() {}

    public func write(_ severity: LogSeverity, _ message: String, fields: [(String, String)]) {
        let priority = Journal.Priority(rawValue: Int32(severity.syslogPriority)) ?? .info
        do {
            try Journal.send(priority, message, fields: fields.filter { Journal.isValidFieldName($0.0) })
        } catch {
            fallback.write(severity, message, fields: fields)
        }
    }
}
