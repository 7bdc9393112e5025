#if canImport(Glibc)
import Glibc
#endif

/// A failure reported by libsystemd or by the checks in front of it.
public enum SystemdError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `sd_notify` failed with this errno while sending `state`.
    case notifyFailed(errno: Int32, state: String)
    /// `sd_listen_fds` rejected `LISTEN_FDS`/`LISTEN_PID` with this errno.
    case listenFileDescriptorsFailed(errno: Int32)
    /// `sd_watchdog_enabled` rejected `WATCHDOG_USEC`/`WATCHDOG_PID` with this errno.
    case watchdogQueryFailed(errno: Int32)
    /// A journal field name breaks journald's rules (see `Journal.isValidFieldName`).
    case invalidJournalFieldName(String)
    /// `sd_journal_sendv` failed with this errno.
    case journalSendFailed(errno: Int32)

    public var description: String {
        switch self {
        case let .notifyFailed(errno, state):
            let firstLine = state.split(separator: "\n").first.map(String.init) ?? ""
            return "sd_notify failed for \"\(firstLine)\": \(errorText(errno)); "
                + "check that NOTIFY_SOCKET names a datagram socket this process may write to"
        case let .listenFileDescriptorsFailed(errno):
            return "sd_listen_fds failed: \(errorText(errno)); "
                + "LISTEN_FDS must be a decimal count and LISTEN_PID this process's id"
        case let .watchdogQueryFailed(errno):
            return "sd_watchdog_enabled failed: \(errorText(errno)); "
                + "WATCHDOG_USEC must be a positive decimal number of microseconds"
        case let .invalidJournalFieldName(name):
            return "invalid journal field name \"\(name)\": use 1 to 64 characters "
                + "from A-Z, 0-9 and _, not starting with _ or a digit"
        case let .journalSendFailed(errno):
            return "sd_journal_sendv failed: \(errorText(errno)); "
                + "is systemd-journald running and /run/systemd/journal/socket present?"
        }
    }
}

/// Returns the `strerror` text followed by the errno number, for messages.
func errorText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return "\(String(cString: text)) (errno \(code))"
}
