import DNSWire

/// All records of one owner name and type, with one TTL (RFC 2181 section 5).
/// A copy made on request; the zone itself keeps its data in flat arrays.
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

/// The RRsets of one name, copied out of the zone. A node with no RRsets is an empty
/// non-terminal: it exists because a name below it does (RFC 4592 section 2.2.2).
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

/// Error raised when a set of records cannot form a zone.
public struct ZoneBuildError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// One name of the zone in the flat store.
public struct NodeEntry: Sendable {
    /// Offset of the name's wire form (original case) in `Zone.names`.
    public var nameOffset: UInt32
    public var nameLength: UInt16
    public var flags: UInt16
    /// First RRset of this node in `Zone.rrsets`; a node's RRsets are contiguous.
    public var rrsetStart: UInt32
    public var rrsetCount: UInt32
    /// The highest node that redirects queries for this one, or -1: a zone cut at or above
    /// this node (data there is not authoritative, so queries get a referral, RFC 1034
    /// section 4.3.2 step 3b), or a DNAME strictly above it (RFC 6672 section 2.3).
    public var cut: Int32

    public static let delegation: UInt16 = 1
    public static let wildcardChild: UInt16 = 2
    public static let dname: UInt16 = 4
}

/// One RRset in the flat store.
public struct RRSetEntry: Sendable {
    public var type: UInt16
    public var rrClass: UInt16
    public var ttl: UInt32
    /// First record in `Zone.rdataOffsets`; record i's bytes run from `rdataOffsets[i]` to `rdataOffsets[i + 1]`.
    public var rdataStart: UInt32
    public var rdataCount: UInt32
    /// For NS, MX and SRV: first entry in `Zone.targets`, the nodes their RDATA names (`-2 - w`
    /// for a name that wildcard node `w` synthesizes, -1 for none), found once at load time for
    /// the additional section.
    public var targetStart: UInt32
    public var targetCount: UInt32
}

/// An immutable, loaded authoritative zone.
///
/// Names, RRsets and RDATA live in a few flat arrays, and names are found through an
/// open-addressing hash table keyed on the lower-cased wire form, so that a lookup allocates
/// nothing and a large zone costs little more than its data.
public final class Zone: @unchecked Sendable {
    public let origin: DomainName
    public let rrClass: RRClass
    public let soa: SOAData
    /// SOA RRset as stored, for negative answers and the authority section.
    public let soaRRSet: RRSet
    public let recordCount: Int

    public let names: [UInt8]
    public let nodes: [NodeEntry]
    public let rrsets: [RRSetEntry]
    public let rdataOffsets: [UInt32]
    public let rdata: [UInt8]
    public let targets: [Int32]
    /// One `TableEntry` per slot, 0 for an empty slot; the size is a power of two.
    public let table: [UInt64]
    public let tableMask: Int
    public let apexIndex: Int32
    /// Signatures and NSEC/NSEC3 chains for DNSSEC responses, or nil for a zone without RRSIG
    /// records. It is set once at the end of `init` and never changes, so reads skip the
    /// runtime exclusivity check that a class's `var` would otherwise cost on every query.
    @exclusivity(unchecked) public private(set) var dnssec: DNSSECIndex?

    /// Builds a zone from validated records, which must all be at or below `origin`.
    /// Identical records are merged; an RRset takes the TTL of its first record.
    public convenience init(origin: DomainName, rrClass: RRClass = .in, records: [ResourceRecord]) throws(ZoneBuildError) {
        try self.init(origin: origin, rrClass: rrClass, records: records, parallel: nil)
    }

    /// `parallel` picks the builder: nil picks `ParallelZoneBuild` from its minimum size up.
    /// `shardCount` is passed on to `ParallelZoneBuild`.
    init(origin: DomainName, rrClass: RRClass, records: [ResourceRecord], parallel: Bool?,
         shardCount: Int = ParallelZoneBuild.defaultShardCount) throws(ZoneBuildError) {
        let built = try Self.build(origin: origin, records: records, parallel: parallel, shardCount: shardCount)

        self.origin = origin
        self.rrClass = rrClass
        names = built.names
        nodes = built.nodes
        rrsets = built.rrsets
        rdataOffsets = built.rdataOffsets
        rdata = built.rdata
        targets = built.targets
        table = built.table
        tableMask = built.table.count - 1
        recordCount = built.recordCount

        guard let apex = built.apex, let soaIndex = built.rrsetIndex(node: apex, type: .soa),
            built.rrsets[soaIndex].rdataCount == 1
        else {
            throw ZoneBuildError(message: "zone \(origin) has no SOA record at its apex")
        }
        apexIndex = Int32(apex)
        let soaRData = Array(built.rdata[Int(built.rdataOffsets[Int(built.rrsets[soaIndex].rdataStart)])..<Int(built.rdataOffsets[Int(built.rrsets[soaIndex].rdataStart) + 1])])
        guard let soa = SOAData(rdata: soaRData) else {
            throw ZoneBuildError(message: "zone \(origin) has a malformed SOA record")
        }
        self.soa = soa
        let apexName = DomainName(uncheckedWire: Array(built.names[Int(built.nodes[apex].nameOffset)..<(Int(built.nodes[apex].nameOffset) + Int(built.nodes[apex].nameLength))]))
        soaRRSet = RRSet(owner: apexName, type: .soa, rrClass: RRClass(rawValue: built.rrsets[soaIndex].rrClass),
                         ttl: built.rrsets[soaIndex].ttl, rdatas: [soaRData])
        dnssec = DNSSECIndex(zone: self)
    }

    static func build(origin: DomainName, records: [ResourceRecord], parallel: Bool?,
                      shardCount: Int) throws(ZoneBuildError) -> ZoneBuilder.Built {
        if parallel ?? (records.count >= ParallelZoneBuild.minimumRecords) {
            return try ParallelZoneBuild(origin: origin, records: records, shardCount: shardCount).run()
        }
        var builder = ZoneBuilder(origin: origin, expectedRecords: records.count)
        for record in records {
            guard record.owner.isSubdomain(of: origin) else {
                throw ZoneBuildError(message: "record \(record.owner) is outside zone \(origin)")
            }
            builder.add(record)
        }
        return builder.finish()
    }

    public var serial: UInt32 { soa.serial }

    /// The TTL of negative answers: the smaller of the SOA TTL and its MINIMUM field (RFC 2308 section 5).
    public var negativeTTL: UInt32 { min(soaRRSet.ttl, soa.minimum) }

    public var nodeCount: Int { nodes.count }

    // MARK: - Copies for tools and tests

    public func node(_ name: DomainName) -> ZoneNode? {
        let wire = name.wire
        let index = wire.withUnsafeBufferPointer { findNode(lowercased: $0.map(asciiLower), from: 0) }
        guard index >= 0 else { return nil }
        return copyNode(Int(index))
    }

    /// Every node in canonical order (RFC 4034 section 6.1); used for dumps and transfers.
    public var sortedNodes: [ZoneNode] {
        (0..<nodes.count).map(copyNode).sorted { $0.name < $1.name }
    }

    public func copyNode(_ index: Int) -> ZoneNode {
        let entry = nodes[index]
        let name = nodeName(index)
        var copies: [RRSet] = []
        for set in Int(entry.rrsetStart)..<Int(entry.rrsetStart + entry.rrsetCount) {
            copies.append(copyRRSet(set, owner: name))
        }
        return ZoneNode(name: name, rrsets: copies, isDelegation: entry.flags & NodeEntry.delegation != 0)
    }

    public func copyRRSet(_ index: Int, owner: DomainName) -> RRSet {
        let set = rrsets[index]
        var datas: [[UInt8]] = []
        for record in Int(set.rdataStart)..<Int(set.rdataStart + set.rdataCount) {
            datas.append(Array(rdata[Int(rdataOffsets[record])..<Int(rdataOffsets[record + 1])]))
        }
        return RRSet(owner: owner, type: RRType(rawValue: set.type), rrClass: RRClass(rawValue: set.rrClass),
                     ttl: set.ttl, rdatas: datas)
    }

    public func nodeName(_ index: Int) -> DomainName {
        let entry = nodes[index]
        let start = Int(entry.nameOffset)
        return DomainName(uncheckedWire: Array(names[start..<(start + Int(entry.nameLength))]))
    }

    // MARK: - Hash table

    /// Finds the node whose name equals the wire bytes `key[from...]`, which must be lower case.
    /// Returns the node index or -1.
    public func findNode(lowercased key: UnsafeBufferPointer<UInt8>, from start: Int) -> Int32 {
        let length = key.count - start
        let hash = ZoneHash.hash(key, from: start)
        let mask = tableMask
        return names.withUnsafeBufferPointer { stored in
            // The probe position lives inside the closure: a captured `var` would be boxed on the heap.
            var slot = Int(hash) & mask
            while true {
                let value = table[slot]
                if value == 0 { return -1 }
                // Another name's entry is passed over on its hash alone, without reading its node.
                if TableEntry.hash(value) == hash {
                    let node = TableEntry.node(value)
                    let entry = nodes[node]
                    if Int(entry.nameLength) == length
                        && ZoneHash.equalIgnoringCase(stored, Int(entry.nameOffset), key, start, length)
                    {
                        return Int32(node)
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    public func findNode(lowercased key: [UInt8], from start: Int) -> Int32 {
        key.withUnsafeBufferPointer { findNode(lowercased: $0, from: start) }
    }

    /// Calls `body` with the memory of each flat array that queries read, so that the server
    /// can ask the kernel to map them with huge pages.
    public func withStorage(_ body: (UnsafeRawBufferPointer) -> Void) {
        names.withUnsafeBytes(body)
        nodes.withUnsafeBytes(body)
        rrsets.withUnsafeBytes(body)
        rdataOffsets.withUnsafeBytes(body)
        rdata.withUnsafeBytes(body)
        targets.withUnsafeBytes(body)
        table.withUnsafeBytes(body)
    }

    /// Index of the RRset of `type` at `node`, or -1.
    public func rrsetIndex(node: Int, type: UInt16) -> Int {
        let entry = nodes[node]
        var index = Int(entry.rrsetStart)
        let end = index + Int(entry.rrsetCount)
        while index < end {
            if rrsets[index].type == type { return index }
            index += 1
        }
        return -1
    }
}

/// A slot of `Zone.table`: the name's 32-bit `ZoneHash` in the high half and its node index + 1
/// in the low half. 0 is an empty slot, and a probe passes over other names without reading
/// their nodes.
public enum TableEntry {
    @inline(__always)
    public static func make(hash: UInt32, node: Int) -> UInt64 {
        UInt64(hash) << 32 | UInt64(node + 1)
    }

    @inline(__always)
    public static func hash(_ entry: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: entry >> 32)
    }

    /// Returns the node of a slot that is not empty.
    @inline(__always)
    public static func node(_ entry: UInt64) -> Int {
        Int(UInt32(truncatingIfNeeded: entry)) - 1
    }

    /// Returns the same entry with another node.
    @inline(__always)
    static func replacingNode(_ entry: UInt64, with node: Int) -> UInt64 {
        entry & 0xFFFF_FFFF_0000_0000 | UInt64(node + 1)
    }
}

@inline(__always)
public func asciiLower(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}

public enum ZoneHash {
    /// FNV-1a over the bytes, which the caller has already lower-cased.
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt32 {
        var value: UInt32 = 2_166_136_261
        var index = start
        while index < bytes.count {
            value = (value ^ UInt32(bytes[index])) &* 16_777_619
            index += 1
        }
        return value ^ (value >> 15)
    }

    /// The same hash as `hash`, for bytes in any case: each byte is lower-cased as it is read.
    @inline(__always)
    public static func foldingHash(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt32 {
        var value: UInt32 = 2_166_136_261
        var index = start
        while index < end {
            value = (value ^ UInt32(asciiLower(bytes[index]))) &* 16_777_619
            index += 1
        }
        return value ^ (value >> 15)
    }

    @inline(__always)
    public static func equalIgnoringCase(_ stored: UnsafeBufferPointer<UInt8>, _ storedStart: Int,
                                  _ key: UnsafeBufferPointer<UInt8>, _ keyStart: Int, _ length: Int) -> Bool {
        var i = 0
        while i < length {
            if asciiLower(stored[storedStart + i]) != key[keyStart + i] { return false }
            i += 1
        }
        return true
    }
}
