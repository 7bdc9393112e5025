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
    public var serverID: String? {
        didSet { nsid = serverID.map { Array($0.utf8.prefix(512)) } ?? [] }
    }
    /// `server-id` as bytes for the NSID option (RFC 5001), empty when hidden.
    public private(set) var nsid: [UInt8] = []
    /// `answer-cookie`: whether responses carry a COOKIE option (RFC 7873).
    public var answerCookie = true
    /// `require-server-cookie`: UDP queries with a client cookie but no valid server cookie
    /// get BADCOOKIE.
    public var requireServerCookie = false
    /// The first secret makes server cookies; every one of them is accepted in a returned
    /// cookie. Empty disables cookies, so a server always sets at least one.
    public var cookieSecrets: [CookieSecret] = []
    /// `nocookie-udp-size`: the largest UDP response, in bytes, to a query without a valid
    /// server cookie.
    public var noCookieUDPSize = 4096

    public init() {}
}

/// One zone as the server serves it.
public struct ServedZone: Sendable {
    public var zone: Zone
    /// `allow-query` of the zone, or nil to use the server-wide check.
    public var allowQuery: AccessCheck?
    /// `allow-transfer` of the zone, or nil to use the server-wide check.
    public var allowTransfer: AccessCheck?
    /// Path of the zone file, for status output and reloads.
    public var file: String?

    public init(zone: Zone, allowQuery: AccessCheck? = nil, allowTransfer: AccessCheck? = nil, file: String? = nil) {
        self.zone = zone
        self.allowQuery = allowQuery
        self.allowTransfer = allowTransfer
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
    /// Server-wide `allow-transfer`, or nil for everyone (BIND 9.18's default).
    public let allowTransfer: AccessCheck?
    /// The built-in CHAOS zones (`version.bind` and the others), built from `policy`.
    let chaosZones: [Zone]
    /// Largest label count among the zone names, to bound the closest-zone search.
    private let deepestZone: Int
    private let servedZones: [ServedZone]
    /// Lower-cased wire form of each zone origin, one after another in `servedZones` order:
    /// origin i runs from `originStarts[i]` to `originStarts[i + 1]`. One flat array, so that
    /// comparing a key copies no array and costs no reference counting.
    private let originBytes: [UInt8]
    private let originStarts: [Int]
    /// Open-addressing table of `servedZones` index + 1, keyed by origin.
    private let originTable: [UInt32]

    public init(zones: [ServedZone], policy: ResponsePolicy = ResponsePolicy(), allowQuery: AccessCheck? = nil,
                allowTransfer: AccessCheck? = nil) {
        self.allowTransfer = allowTransfer
        var table: [DomainName: ServedZone] = [:]
        for served in zones {
            table[served.zone.origin] = served
        }
        self.zones = table
        servedZones = Array(table.values)
        let originKeys = servedZones.map { $0.zone.origin.wire.map(asciiLower) }
        originBytes = originKeys.flatMap { $0 }
        var starts = [0]
        for key in originKeys { starts.append(starts[starts.count - 1] + key.count) }
        originStarts = starts
        var size = 16
        while size < servedZones.count * 2 { size <<= 1 }
        var slots = [UInt32](repeating: 0, count: size)
        for (index, key) in originKeys.enumerated() {
            var slot = key.withUnsafeBufferPointer { Int(ZoneHash.hash($0, from: 0)) } & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = UInt32(index + 1)
        }
        originTable = slots
        self.policy = policy
        chaosZones = ChaosZones.build(policy: policy)
        self.allowQuery = allowQuery
        deepestZone = zones.map { $0.zone.origin.labelCount }.max() ?? 0
    }

    /// The zone whose origin is the longest suffix of `name`, if the server holds one.
    public func closestZone(for name: DomainName) -> ServedZone? {
        var lookup = LookupName()
        lookup.set(name.wire)
        return closestZone(for: lookup)
    }

    /// Returns the zone whose origin is the longest suffix of `name`, if the server serves one.
    public func closestZone(for name: LookupName) -> ServedZone? {
        let index = closestZoneIndex(for: name)
        return index >= 0 ? servedZones[index] : nil
    }

    /// Returns the index of the zone whose origin is the longest suffix of `name`, or -1. It
    /// allocates nothing and counts no references, for the query path. `zone(at:)` and
    /// `isQueryAllowed(zoneAt:from:)` take the index.
    public func closestZoneIndex(for name: LookupName) -> Int {
        var labels = min(name.labelCount, deepestZone)
        let mask = originTable.count - 1
        return name.lowercased.withUnsafeBufferPointer { key in
            originBytes.withUnsafeBufferPointer { origins in
                while labels >= 0 {
                    let start = name.suffixOffset(labels: labels)
                    var slot = Int(ZoneHash.hash(key, from: start)) & mask
                    while true {
                        let value = originTable[slot]
                        if value == 0 { break }
                        let index = Int(value - 1)
                        let originStart = originStarts[index]
                        let length = originStarts[index + 1] - originStart
                        if length == key.count - start
                            && ZoneHash.equalIgnoringCase(origins, originStart, key, start, length)
                        {
                            return index
                        }
                        slot = (slot + 1) & mask
                    }
                    labels -= 1
                }
                return -1
            }
        }
    }

    /// Returns the zone at an index that `closestZoneIndex(for:)` returned.
    @inline(__always)
    public func zone(at index: Int) -> Zone {
        servedZones[index].zone
    }

    /// Applies the `allow-query` of the zone at `index`, or the server's when the zone has none.
    @inline(__always)
    public func isQueryAllowed(zoneAt index: Int, from client: IPAddress) -> Bool {
        if let check = servedZones[index].allowQuery { return check(client) }
        if let check = allowQuery { return check(client) }
        return true
    }
}
