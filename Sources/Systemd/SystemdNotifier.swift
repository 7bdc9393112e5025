#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// Sends service state changes to the service manager over `NOTIFY_SOCKET`,
/// the protocol behind `Type=notify` units (see sd_notify(3)).
///
/// Every method is a no-op that returns `false` when `NOTIFY_SOCKET` is unset,
/// which is the case when the process does not run under systemd.
public struct SystemdNotifier: Sendable {
    public init() {}

    /// Whether `NOTIFY_SOCKET` is set, so that notifications go somewhere.
    public var isEnabled: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// Sends newline-separated `KEY=VALUE` assignments as one datagram.
    ///
    /// Returns `true` when the message was sent and `false` when `NOTIFY_SOCKET`
    /// is unset. The environment is left in place so that later calls still work.
    @discardableResult
    public func send(_ state: String) throws(SystemdError) -> Bool {
        let result = sd_notify(0, state)
        if result < 0 {
            throw .notifyFailed(errno: -result, state: state)
        }
        return result > 0
    }

    /// Sends `READY=1`, which ends the start-up phase of a `Type=notify` unit.
    /// Call it after the configuration and every zone are loaded and the sockets bound.
    @discardableResult
    public func ready(status: String? = nil) throws(SystemdError) -> Bool {
        try send(Self.message(["READY=1"], status: status))
    }

    /// Sends `RELOADING=1` with `MONOTONIC_USEC`, the current `CLOCK_MONOTONIC`
    /// time in microseconds. systemd 253 and later need the timestamp for
    /// `Type=notify-reload`. Follow it with `ready(status:)` when the reload is done.
    @discardableResult
    public func reloading(status: String? = nil) throws(SystemdError) -> Bool {
        let stamp = "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"
        return try send(Self.message(["RELOADING=1", stamp], status: status))
    }

    /// Sends `STOPPING=1`, telling the manager that shutdown has begun.
    @discardableResult
    public func stopping(status: String? = nil) throws(SystemdError) -> Bool {
        try send(Self.message(["STOPPING=1"], status: status))
    }

    /// Sends `STATUS=`, the free-form line that `systemctl status` shows as `Status:`.
    @discardableResult
    public func status(_ text: String) throws(SystemdError) -> Bool {
        try send(Self.message([], status: text))
    }

    /// Sends `WATCHDOG=1`. Call it at least once per `watchdogInterval()`,
    /// ideally twice, or the manager kills the service.
    @discardableResult
    public func watchdogPing() throws(SystemdError) -> Bool {
        try send("WATCHDOG=1")
    }

    /// Returns the `WatchdogSec=` interval when the manager expects keep-alive
    /// pings from this process, and `nil` when it does not.
    public static func watchdogInterval() throws(SystemdError) -> Duration? {
        var microseconds: UInt64 = 0
        let result = sd_watchdog_enabled(0, &microseconds)
        if result < 0 {
            throw .watchdogQueryFailed(errno: -result)
        }
        guard result > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }

    /// Returns the current `CLOCK_MONOTONIC` time in microseconds, the clock
    /// systemd uses for `MONOTONIC_USEC`.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    /// Joins assignments, adding `STATUS=` with any line breaks turned into
    /// spaces, because a line break would start a new assignment.
    static func message(_ assignments: [String], status: String?) -> String {
        var lines = assignments
        if let status {
            let oneLine = status.map { $0.isNewline ? " " : String($0) }.joined()
            lines.append("STATUS=\(oneLine)")
        }
        return lines.joined(separator: "\n")
    }
}
