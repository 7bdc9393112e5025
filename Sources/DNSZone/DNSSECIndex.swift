import DNSWire

/// RRSIG records of one node that cover one type, as served: the zone stores all RRSIG
/// records of a node as one RRset, but a response carries them per covered RRset.
public struct SignatureGroup: Sendable {
    /// The type the signatures cover (RFC 4034 section 3.1.1).
    public var covered: UInt16
    /// The node's RRSIG RRset in `Zone.rrsets`.
    public var rrsigSet: UInt32
    /// TTL of the covered RRset at the same node, or the signatures' Original TTL field when
    /// the node has no such RRset. BIND 9.18 serves RRSIG records with the TTL that
    /// dnssec-signzone gives them, which is the covered RRset's.
    public var ttl: UInt32
    /// First entry in `DNSSECIndex.groupRecords`.
    public var recordStart: UInt32
    public var recordCount: UInt32
}

/// Lookup tables for the DNSSEC records of a pre-signed zone, built once from the finished
/// `Zone`: signatures per covered RRset, the NSEC chain in canonical order and the NSEC3
/// chain sorted by hash. A zone without RRSIG records gets no index at all.
///
/// Every query-time method works on the zone's arrays and the caller's buffers and
/// allocates nothing.
public final class DNSSECIndex: @unchecked Sendable {
    /// For an RRset other than RRSIG: its signature group, or -1. For an RRSIG RRset: the
    /// first of its node's groups, which are contiguous. Indexed like `Zone.rrsets`.
    public let groupOfRRSet: [Int32]
    public let groups: [SignatureGroup]
    /// Record numbers (indices into `Zone.rdataOffsets`) of each group's RRSIG records.
    public let groupRecords: [UInt32]

    /// Nodes that own an NSEC RRset, in canonical order (RFC 4034 section 6.1).
    public let nsecNodes: [Int32]

    /// True when the apex has an NSEC3PARAM record with SHA-1 and flags 0; the iterations
    /// and salt are then its parameters.
    public let hasNSEC3: Bool
    public let nsec3Iterations: UInt16
    public let nsec3Salt: [UInt8]
    /// The hashes of the NSEC3 owners that use those parameters, 20 bytes each, sorted.
    public let nsec3Hashes: [UInt8]
    /// The NSEC3 RRset of each hash in `nsec3Hashes`, and the node that owns it.
    public let nsec3Sets: [Int32]
    public let nsec3Nodes: [Int32]
    /// One bit per node: set for the owners of NSEC3 records, which BIND 9.18 keeps apart from
    /// the zone's names, so that a query for one gets NXDOMAIN.
    private let nsec3OwnerBits: [UInt64]

    /// Builds the index, or returns nil when the zone has no RRSIG records.
    public init?(zone: Zone) {
        let rrsigType = RRType.rrsig.rawValue
        guard zone.rrsets.contains(where: { $0.type == rrsigType }) else { return nil }

        var groupOfRRSet = [Int32](repeating: -1, count: zone.rrsets.count)
        var groups: [SignatureGroup] = []
        var groupRecords: [UInt32] = []
        var nsecNodes: [Int32] = []
        for node in 0..<zone.nodes.count {
            let entry = zone.nodes[node]
            for set in Int(entry.rrsetStart)..<Int(entry.rrsetStart + entry.rrsetCount) {
                let type = zone.rrsets[set].type
                if type == RRType.nsec.rawValue { nsecNodes.append(Int32(node)) }
                guard type == rrsigType else { continue }
                let firstGroup = groups.count
                groupOfRRSet[set] = Int32(firstGroup)
                Self.addGroups(zone: zone, node: node, rrsigSet: set, groups: &groups, records: &groupRecords)
                for index in firstGroup..<groups.count where groups[index].covered != rrsigType {
                    let covered = zone.rrsetIndex(node: node, type: groups[index].covered)
                    if covered >= 0 { groupOfRRSet[covered] = Int32(index) }
                }
            }
        }
        zone.names.withUnsafeBufferPointer { names in
            nsecNodes.sort { left, right in
                let a = zone.nodes[Int(left)]
                let b = zone.nodes[Int(right)]
                return canonicalCompare(names, Int(a.nameOffset), names, Int(b.nameOffset)) < 0
            }
        }
        self.groupOfRRSet = groupOfRRSet
        self.groups = groups
        self.groupRecords = groupRecords
        self.nsecNodes = nsecNodes

        let chain = Self.buildNSEC3Chain(zone: zone)
        hasNSEC3 = chain != nil
        nsec3Iterations = chain?.iterations ?? 0
        nsec3Salt = chain?.salt ?? []
        nsec3Hashes = chain?.hashes ?? []
        nsec3Sets = chain?.sets ?? []
        nsec3Nodes = chain?.nodes ?? []
        var bits = [UInt64](repeating: 0, count: (zone.nodes.count + 63) / 64)
        for node in chain?.hiddenNodes ?? [] {
            bits[node / 64] |= 1 << UInt64(node % 64)
        }
        nsec3OwnerBits = bits
    }

    // MARK: - Building

    /// Splits the RRSIG RRset `rrsigSet` of `node` into one group per covered type, in the
    /// order the types first appear.
    private static func addGroups(zone: Zone, node: Int, rrsigSet: Int, groups: inout [SignatureGroup],
                                  records: inout [UInt32]) {
        let set = zone.rrsets[rrsigSet]
        let first = Int(set.rdataStart)
        let end = first + Int(set.rdataCount)
        var covered: [UInt16] = []
        for record in first..<end {
            let start = Int(zone.rdataOffsets[record])
            guard Int(zone.rdataOffsets[record + 1]) - start >= 18 else { continue }
            let type = UInt16(zone.rdata[start]) << 8 | UInt16(zone.rdata[start + 1])
            if !covered.contains(type) { covered.append(type) }
        }
        for type in covered {
            var group = SignatureGroup(covered: type, rrsigSet: UInt32(rrsigSet), ttl: 0,
                                       recordStart: UInt32(records.count), recordCount: 0)
            for record in first..<end {
                let start = Int(zone.rdataOffsets[record])
                guard Int(zone.rdataOffsets[record + 1]) - start >= 18 else { continue }
                guard UInt16(zone.rdata[start]) << 8 | UInt16(zone.rdata[start + 1]) == type else { continue }
                if group.recordCount == 0 {
                    group.ttl = UInt32(zone.rdata[start + 4]) << 24 | UInt32(zone.rdata[start + 5]) << 16
                        | UInt32(zone.rdata[start + 6]) << 8 | UInt32(zone.rdata[start + 7])
                }
                records.append(UInt32(record))
                group.recordCount += 1
            }
            let coveredSet = zone.rrsetIndex(node: node, type: type)
            if coveredSet >= 0 && type != RRType.rrsig.rawValue {
                group.ttl = zone.rrsets[coveredSet].ttl
            }
            groups.append(group)
        }
    }

    private struct NSEC3Chain {
        var iterations: UInt16
        var salt: [UInt8]
        var hashes: [UInt8]
        var sets: [Int32]
        var nodes: [Int32]
        var hiddenNodes: [Int]
    }

    /// Reads the apex NSEC3PARAM record and collects the NSEC3 records whose parameters
    /// match it, sorted by the hash their owner name's first label spells in base32hex.
    private static func buildNSEC3Chain(zone: Zone) -> NSEC3Chain? {
        let apex = Int(zone.apexIndex)
        let paramSet = zone.rrsetIndex(node: apex, type: RRType.nsec3param.rawValue)
        guard paramSet >= 0 else { return nil }
        // NSEC3PARAM RDATA (RFC 5155 section 4.2): algorithm, flags, iterations, salt length, salt.
        var parameters: (iterations: UInt16, salt: [UInt8])?
        let params = zone.rrsets[paramSet]
        for record in Int(params.rdataStart)..<Int(params.rdataStart + params.rdataCount) {
            let bytes = zone.rdata[Int(zone.rdataOffsets[record])..<Int(zone.rdataOffsets[record + 1])]
            let base = bytes.startIndex
            guard bytes.count >= 5, bytes[base] == 1, bytes[base + 1] == 0 else { continue }
            let saltLength = Int(bytes[base + 4])
            guard bytes.count == 5 + saltLength else { continue }
            parameters = (UInt16(bytes[base + 2]) << 8 | UInt16(bytes[base + 3]), Array(bytes[(base + 5)...]))
            break
        }
        guard let parameters else { return nil }

        var entries: [(hash: [UInt8], set: Int32, node: Int32)] = []
        var hidden: [Int] = []
        let apexLabels = zone.origin.labelCount
        for node in 0..<zone.nodes.count {
            let set = zone.rrsetIndex(node: node, type: RRType.nsec3.rawValue)
            guard set >= 0 else { continue }
            let entry = zone.nodes[node]
            let others = (Int(entry.rrsetStart)..<Int(entry.rrsetStart + entry.rrsetCount)).contains { index in
                let type = zone.rrsets[index].type
                return type != RRType.nsec3.rawValue && type != RRType.rrsig.rawValue
            }
            if !others { hidden.append(node) }

            let name = zone.nodeName(node)
            guard name.labelCount == apexLabels + 1, let hash = Base32Hex.decode(name.labels[0]),
                hash.count == SHA1.digestLength
            else { continue }
            let first = Int(zone.rrsets[set].rdataStart)
            let bytes = zone.rdata[Int(zone.rdataOffsets[first])..<Int(zone.rdataOffsets[first + 1])]
            let base = bytes.startIndex
            guard bytes.count >= 5, bytes[base] == 1 else { continue }
            let iterations = UInt16(bytes[base + 2]) << 8 | UInt16(bytes[base + 3])
            let saltLength = Int(bytes[base + 4])
            guard iterations == parameters.iterations, bytes.count >= 5 + saltLength,
                bytes[(base + 5)..<(base + 5 + saltLength)].elementsEqual(parameters.salt)
            else { continue }
            entries.append((hash, Int32(set), Int32(node)))
        }
        entries.sort { $0.hash.lexicographicallyPrecedes($1.hash) }
        return NSEC3Chain(iterations: parameters.iterations, salt: parameters.salt,
                          hashes: entries.flatMap(\.hash), sets: entries.map(\.set), nodes: entries.map(\.node),
                          hiddenNodes: hidden)
    }

    // MARK: - Queries

    /// True for a node that owns NSEC3 records and nothing else but their signatures.
    @inline(__always)
    public func isNSEC3Owner(_ node: Int32) -> Bool {
        nsec3OwnerBits[Int(node) / 64] & (1 << UInt64(Int(node) % 64)) != 0
    }

    /// Returns the signature group that covers `rrset`, or -1.
    @inline(__always)
    public func group(covering rrset: Int) -> Int {
        Int(groupOfRRSet[rrset])
    }

    /// Returns the TTL of RRSIG record `record` of the RRSIG RRset `rrsigSet`, which is its group's.
    public func signatureTTL(zone: Zone, rrsigSet: Int, record: Int) -> UInt32 {
        let start = Int(zone.rdataOffsets[record])
        let covered = UInt16(zone.rdata[start]) << 8 | UInt16(zone.rdata[start + 1])
        var group = Int(groupOfRRSet[rrsigSet])
        while group >= 0 && group < groups.count && Int(groups[group].rrsigSet) == rrsigSet {
            if groups[group].covered == covered { return groups[group].ttl }
            group += 1
        }
        return zone.rrsets[rrsigSet].ttl
    }

    /// Finds the NSEC node whose owner precedes the lower-cased wire name `name[start...]` most
    /// closely in canonical order, or the last one when none precedes it: that NSEC covers the
    /// name when the name does not exist (RFC 4035 section 3.1.3.2). Returns -1 without NSEC.
    public func nsecPredecessor(in zone: Zone, name: UnsafeBufferPointer<UInt8>, from start: Int) -> Int32 {
        guard !nsecNodes.isEmpty else { return -1 }
        return zone.names.withUnsafeBufferPointer { names in
            // The last node that sorts before the name: binary search for the first that does not.
            var low = 0
            var high = nsecNodes.count
            while low < high {
                let middle = (low + high) / 2
                let offset = Int(zone.nodes[Int(nsecNodes[middle])].nameOffset)
                if canonicalCompare(names, offset, name, start) < 0 {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return nsecNodes[low == 0 ? nsecNodes.count - 1 : low - 1]
        }
    }

    /// Computes the NSEC3 hash (RFC 5155 section 5) of the lower-cased wire name `name[start...]`
    /// into `digest`, which must hold 20 bytes.
    public func nsec3Hash(_ name: UnsafeBufferPointer<UInt8>, from start: Int, into digest: UnsafeMutableRawPointer) {
        nsec3Salt.withUnsafeBytes { salt in
            var hasher = SHA1()
            hasher.update(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(name)[start...]))
            hasher.update(salt)
            hasher.finish(into: digest)
            var round = 0
            while round < Int(nsec3Iterations) {
                var next = SHA1()
                next.update(UnsafeRawBufferPointer(start: digest, count: SHA1.digestLength))
                next.update(salt)
                next.finish(into: digest)
                round += 1
            }
        }
    }

    /// Returns the position in the NSEC3 chain of the owner whose hash equals `digest`, or -1.
    public func nsec3Matching(_ digest: UnsafeRawBufferPointer) -> Int {
        let position = firstHash(notBefore: digest)
        guard position < nsec3Sets.count, compareHash(at: position, digest) == 0 else { return -1 }
        return position
    }

    /// Returns the position in the NSEC3 chain of the owner whose hash precedes `digest` most
    /// closely, wrapping to the last one, or -1 for an empty chain. Its NSEC3 covers the hash
    /// when no owner matches it (RFC 5155 section 7.2.1).
    public func nsec3Covering(_ digest: UnsafeRawBufferPointer) -> Int {
        guard !nsec3Sets.isEmpty else { return -1 }
        let position = firstHash(notBefore: digest)
        return position == 0 ? nsec3Sets.count - 1 : position - 1
    }

    private func firstHash(notBefore digest: UnsafeRawBufferPointer) -> Int {
        var low = 0
        var high = nsec3Sets.count
        while low < high {
            let middle = (low + high) / 2
            if compareHash(at: middle, digest) < 0 {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    private func compareHash(at position: Int, _ digest: UnsafeRawBufferPointer) -> Int {
        nsec3Hashes.withUnsafeBufferPointer { hashes in
            let base = position * SHA1.digestLength
            for index in 0..<SHA1.digestLength where hashes[base + index] != digest[index] {
                return hashes[base + index] < digest[index] ? -1 : 1
            }
            return 0
        }
    }
}

/// Compares two uncompressed wire names in canonical DNS order (RFC 4034 section 6.1),
/// ignoring ASCII case: labels from the rightmost, each as an octet string, a name sorting
/// before the names below it. Returns a negative number, zero or a positive number.
public func canonicalCompare(_ a: UnsafeBufferPointer<UInt8>, _ aStart: Int,
                             _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int) -> Int {
    let aLabels = labelCount(a, aStart)
    let bLabels = bStart < b.count ? labelCount(b, bStart) : 0
    var step = 1
    while step <= aLabels && step <= bLabels {
        let aOffset = labelOffset(a, aStart, aLabels - step)
        let bOffset = labelOffset(b, bStart, bLabels - step)
        let aLength = Int(a[aOffset])
        let bLength = Int(b[bOffset])
        var index = 1
        while index <= aLength && index <= bLength {
            let x = asciiLower(a[aOffset + index])
            let y = asciiLower(b[bOffset + index])
            if x != y { return x < y ? -1 : 1 }
            index += 1
        }
        if aLength != bLength { return aLength < bLength ? -1 : 1 }
        step += 1
    }
    return aLabels - bLabels
}

/// Number of labels of the wire name at `start`, the root label not counted.
@inline(__always)
func labelCount(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
    var count = 0
    var offset = start
    while bytes[offset] != 0 {
        count += 1
        offset += 1 + Int(bytes[offset])
    }
    return count
}

/// Offset of label number `index` (0 is the leftmost) of the wire name at `start`.
@inline(__always)
func labelOffset(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ index: Int) -> Int {
    var offset = start
    var remaining = index
    while remaining > 0 {
        offset += 1 + Int(bytes[offset])
        remaining -= 1
    }
    return offset
}

/// The base32 encoding with the extended hex alphabet (RFC 4648 section 7), which NSEC3
/// owner names use (RFC 5155 section 3.3).
enum Base32Hex {
    /// Decodes a label without padding, ignoring case. Returns nil for any other character
    /// or for a length that leaves bits over.
    static func decode(_ label: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for character in label {
            let value: UInt32
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(character - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "v"): value = UInt32(character - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "V"): value = UInt32(character - UInt8(ascii: "A")) + 10
            default: return nil
            }
            buffer = buffer << 5 | value
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        guard buffer & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return output
    }
}
