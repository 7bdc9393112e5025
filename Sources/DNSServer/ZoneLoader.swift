import CNetShim
import Dispatch
import DNSWire
import DNSZone
import Glibc

/// The outcome of loading one zone file.
public struct ZoneLoadResult: Sendable {
    public var zone: Zone?
    /// Error and warning lines, in BIND's `file:line: message` form.
    public var errors: [String]
    public var warnings: [String]
    /// The reason for a failed load that BIND appends to `loading from master file F failed`,
    /// for the failures that have one (check-names).
    public var failureReason: String?
    /// Modification time of the file when it was read, to skip unchanged files on reload.
    public var modificationTime: timespec?
}

/// Reads a zone file, checks it as BIND does at load time and builds the zone.
public enum ZoneLoader {
    /// `checkNames` is the zone's `check-names` mode: `fail`, BIND's default for primary zones,
    /// makes a bad host name stop the load.
    public static func load(origin: DomainName, path: String, checkNames: CheckNamesMode = .fail) -> ZoneLoadResult {
        let modificationTime = ZoneLoader.modificationTime(of: path)
        do {
            let parsed = try ZoneFileParser.parse(path: path, origin: origin, defaultClass: .in, checkNames: checkNames)
            if let reason = CheckNames.failureReason(parsed.warnings) {
                // BIND stops at a check-names error before its zone-wide checks, so none are reported.
                let errors = parsed.warnings.filter { $0.severity == .error }.map(\.description)
                let warnings = parsed.warnings.filter { $0.severity != .error }.map(\.description)
                return ZoneLoadResult(zone: nil, errors: errors, warnings: warnings, failureReason: reason,
                                      modificationTime: modificationTime)
            }
            let checked = ZoneValidator.validate(origin: origin, records: parsed.records, file: path)
            let diagnostics = parsed.warnings + checked.diagnostics
            let errors = diagnostics.filter { $0.severity == .error }.map { "\($0.file):\($0.line): \($0.message)" }
            let warnings = diagnostics.filter { $0.severity != .error }.map { "\($0.file):\($0.line): \($0.message)" }
            guard errors.isEmpty else {
                return ZoneLoadResult(zone: nil, errors: errors, warnings: warnings, modificationTime: modificationTime)
            }
            let zone = try Zone(origin: origin, records: checked.records)
            releaseLater((parsed, checked))
            mapWithHugePagesLater(zone)
            return ZoneLoadResult(zone: zone, errors: [], warnings: warnings, modificationTime: modificationTime)
        } catch let error as ZoneFileError {
            return ZoneLoadResult(zone: nil, errors: [error.description], warnings: [], modificationTime: modificationTime)
        } catch {
            return ZoneLoadResult(zone: nil, errors: ["\(path): \(error)"], warnings: [], modificationTime: modificationTime)
        }
    }

    /// The queue that frees what loads leave behind and then returns free heap pages to the
    /// kernel. The parsed records of a large zone are millions of small heap blocks, and freeing
    /// them takes longer than some steps of the load. On this queue it happens after the zone is served.
    public static let cleanupQueue = DispatchQueue(label: "named.zone-cleanup", qos: .utility)

    /// Drops the caller's last references to `value` on `cleanupQueue`.
    static func releaseLater<Value>(_ value: consuming Value) {
        nonisolated(unsafe) let value = value
        cleanupQueue.async { withExtendedLifetime(value) {} }
    }

    /// Asks the kernel to back the zone's arrays with 2 MiB pages, on `cleanupQueue` so that
    /// the zone is served first. A lookup in a large zone reads a few places at random in
    /// arrays of tens of MiB, and with 4 KiB pages most of those reads also miss the TLB.
    /// Arrays smaller than a huge page, and kernels without MADV_COLLAPSE, are left as they are.
    static func mapWithHugePagesLater(_ zone: Zone) {
        cleanupQueue.async {
            zone.withStorage { region in
                // The call itself skips a region that contains no whole huge page.
                guard let base = region.baseAddress else { return }
                _ = cns_collapse_huge_pages(base, region.count)
            }
        }
    }

    /// The file's modification time, or nil when it cannot be read.
    public static func modificationTime(of path: String) -> timespec? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mtim
    }
}
