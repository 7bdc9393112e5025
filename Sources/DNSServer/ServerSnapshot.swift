import DNSWire
import DNSZone
import NamedConfig

/// An access check, such as a compiled `allow-query` address match list.
public typealias AccessCheck = @Sendable (IPAddress) -> Bool

/// Answer-shaping options that the query path reads.
public struct ResponsePolicy: Sendable {
    public var minimalResponses: MinimalResponses = .noAuthRecursive
    /// Largest UDP response the server sends (`max-udp-size`).
    public var maxUDPSize = 1232
    /// UDP payload size the server advertises in its OPT record (`edns-udp-size`).
    public var ednsUDPSize: UInt16 = 1232
    /// Text for `version.bind` CH TXT, or nil when hidden (`version none;`).
    public var version: String? = "swift-named"
    /// Text for `hostname.bind` CH TXT, or nil when hidden.
    public var hostname: String?
    /// Text for `id.server` CH TXT, or nil when hidden.
    public var serverID: String?

    public init() {}
}

/// One zone as the server serves it.
public struct ServedZone: Sendable {
    public var zone: Zone
    /// `allow-query` of the zone, or nil to use the server-wide check.
    public var allowQuery: AccessCheck?
    /// Path of the zone file, for status output and reloads.
    public var file: String?

    public init(zone: Zone, allowQuery: AccessCheck? = nil, file: String? = nil) {
        self.zone = zone
        self.allowQuery = allowQuery
        self.file = file
    }
}

/// Everything the query path reads, immutable once built. A reload builds a new snapshot and
/// hands it to every worker, so a query sees one consistent state from start to end.
public final class ServerSnapshot: Sendable {
    public let zones: [DomainName: ServedZone]
    public let policy: ResponsePolicy
    /// Server-wide `allow-query`, or nil for everyone.
    public let allowQuery: AccessCheck?
    /// Largest label count among the zone names, to bound the closest-zone search.
    private let deepestZone: Int

    public init(zones: [ServedZone], policy: ResponsePolicy = ResponsePolicy(), allowQuery: AccessCheck? = nil) {
        var table: [DomainName: ServedZone] = [:]
        for served in zones {
            table[served.zone.origin] = served
        }
        self.zones = table
        self.policy = policy
        self.allowQuery = allowQuery
        deepestZone = zones.map { $0.zone.origin.labelCount }.max() ?? 0
    }

    /// The zone whose origin is the longest suffix of `name`, if the server holds one.
    public func closestZone(for name: DomainName) -> ServedZone? {
        let labels = name.labelCount
        var count = min(labels, deepestZone)
        while count >= 0 {
            let candidate = count == labels ? name : name.suffix(labelCount: count)
            if let served = zones[candidate] {
                return served
            }
            count -= 1
        }
        return nil
    }
}
