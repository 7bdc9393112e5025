import DNSWire

/// All records of one owner name and type, with one TTL (RFC 2181 section 5).
public struct RRSet: Sendable {
    /// Owner name with the case it has in the zone file.
    public var owner: DomainName
    public var type: RRType
    public var rrClass: RRClass
    public var ttl: UInt32
    /// RDATA of each record in wire form, in zone-file order, without duplicates.
    public var rdatas: [[UInt8]]

    public init(owner: DomainName, type: RRType, rrClass: RRClass, ttl: UInt32, rdatas: [[UInt8]]) {
        self.owner = owner
        self.type = type
        self.rrClass = rrClass
        self.ttl = ttl
        self.rdatas = rdatas
    }

    public var records: [ResourceRecord] {
        rdatas.map { ResourceRecord(owner: owner, type: type, rrClass: rrClass, ttl: ttl, rdata: $0) }
    }
}

/// The RRsets of one name in a zone. A node with no RRsets is an empty non-terminal:
/// it exists because a name below it does (RFC 4592 section 2.2.2).
public struct ZoneNode: Sendable {
    public var name: DomainName
    public var rrsets: [RRSet]
    /// NS records at a name other than the apex: a zone cut (RFC 1034 section 4.2.1).
    public var isDelegation: Bool

    public func rrset(_ type: RRType) -> RRSet? {
        rrsets.first { $0.type == type }
    }

    public var isEmptyNonTerminal: Bool { rrsets.isEmpty }
}

/// Why a set of records cannot form a zone.
public struct ZoneBuildError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// An immutable, loaded authoritative zone.
public final class Zone: Sendable {
    public let origin: DomainName
    public let rrClass: RRClass
    public let soa: SOAData
    /// SOA RRset as stored, for negative answers and the authority section.
    public let soaRRSet: RRSet
    /// Every node, keyed by name (comparisons ignore case), including empty non-terminals.
    let nodes: [DomainName: ZoneNode]
    public let recordCount: Int

    /// Builds a zone from validated records. Records must all be at or below `origin`;
    /// identical records are merged and an RRset takes the TTL of its first record.
    public init(origin: DomainName, rrClass: RRClass = .in, records: [ResourceRecord]) throws(ZoneBuildError) {
        var nodes: [DomainName: ZoneNode] = [:]
        var count = 0
        for record in records {
            guard record.owner.isSubdomain(of: origin) else {
                throw ZoneBuildError(message: "record \(record.owner) is outside zone \(origin)")
            }
            var node = nodes[record.owner] ?? ZoneNode(name: record.owner, rrsets: [], isDelegation: false)
            if let index = node.rrsets.firstIndex(where: { $0.type == record.type }) {
                if !node.rrsets[index].rdatas.contains(record.rdata) {
                    node.rrsets[index].rdatas.append(record.rdata)
                    count += 1
                }
            } else {
                node.rrsets.append(RRSet(owner: record.owner, type: record.type, rrClass: record.rrClass,
                                         ttl: record.ttl, rdatas: [record.rdata]))
                count += 1
            }
            if record.type == .ns && record.owner != origin {
                node.isDelegation = true
            }
            nodes[record.owner] = node
        }

        // Empty non-terminals: every name between the apex and an owner exists.
        for name in Array(nodes.keys) {
            var ancestor = name.parent
            while let current = ancestor, current.isSubdomain(of: origin), current != origin {
                if nodes[current] == nil {
                    nodes[current] = ZoneNode(name: current, rrsets: [], isDelegation: false)
                }
                ancestor = current.parent
            }
        }

        guard let apex = nodes[origin], let soaSet = apex.rrset(.soa), soaSet.rdatas.count == 1,
            let soa = SOAData(rdata: soaSet.rdatas[0])
        else {
            throw ZoneBuildError(message: "zone \(origin) has no SOA record at its apex")
        }
        self.origin = origin
        self.rrClass = rrClass
        self.soa = soa
        self.soaRRSet = soaSet
        self.nodes = nodes
        self.recordCount = count
    }

    public var serial: UInt32 { soa.serial }

    public func node(_ name: DomainName) -> ZoneNode? {
        nodes[name]
    }

    /// Every node in canonical order (RFC 4034 section 6.1); used for dumps and transfers.
    public var sortedNodes: [ZoneNode] {
        nodes.values.sorted { $0.name < $1.name }
    }

    /// The TTL of negative answers: the smaller of the SOA TTL and its MINIMUM field (RFC 2308 section 5).
    public var negativeTTL: UInt32 { min(soaRRSet.ttl, soa.minimum) }
}
