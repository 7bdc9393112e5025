#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import DNSWire

/// Collects records into the flat arrays of a `Zone`: names, nodes, RRsets, RDATA and the
/// hash table, then adds empty non-terminals, zone cuts, wildcard marks and the targets of
/// NS, MX and SRV records in linear passes.
struct ZoneBuilder {
    let origin: DomainName
    let originLowercased: [UInt8]
    var names: [UInt8] = []
    var nodes: [NodeEntry] = []
    var table: [UInt64]

    /// Records in arrival order, before they are grouped into RRsets.
    var pending: [PendingRecord] = []
    var pendingRData: [UInt8] = []
    /// The node of the previous record's owner, to skip the hash table for runs of one owner.
    var lastOwner: Int32 = -1
    var lastOwnerWire: [UInt8] = []

    struct PendingRecord {
        var node: Int32
        var type: UInt16
        var rrClass: UInt16
        var ttl: UInt32
        var rdataStart: UInt32
        var rdataLength: UInt32
    }

    struct Built {
        var names: [UInt8]
        var nodes: [NodeEntry]
        var rrsets: [RRSetEntry]
        var rdataOffsets: [UInt32]
        var rdata: [UInt8]
        var targets: [Int32]
        var table: [UInt64]
        var recordCount: Int
        var apex: Int?

        func rrsetIndex(node: Int, type: RRType) -> Int? {
            let entry = nodes[node]
            for index in Int(entry.rrsetStart)..<Int(entry.rrsetStart + entry.rrsetCount)
            where rrsets[index].type == type.rawValue {
                return index
            }
            return nil
        }
    }

    /// Continues from names, nodes and a hash table that `ParallelZoneBuild` filled.
    init(origin: DomainName, names: [UInt8], nodes: [NodeEntry], table: [UInt64]) {
        self.origin = origin
        originLowercased = origin.wire.map(asciiLower)
        self.names = names
        self.nodes = nodes
        self.table = table
    }

    init(origin: DomainName, expectedRecords: Int) {
        self.origin = origin
        originLowercased = origin.wire.map(asciiLower)
        var capacity = 64
        while capacity < expectedRecords * 2 { capacity <<= 1 }
        table = [UInt64](repeating: 0, count: capacity)
        nodes.reserveCapacity(expectedRecords)
        pending.reserveCapacity(expectedRecords)
    }

    mutating func add(_ record: ResourceRecord) {
        // Records of one owner usually come together (blank owners in zone files).
        let node: Int32
        if lastOwner >= 0 && record.owner.wire == lastOwnerWire {
            node = lastOwner
        } else {
            node = insertNode(record.owner.wire)
            lastOwner = node
            lastOwnerWire = record.owner.wire
        }
        pending.append(PendingRecord(node: node, type: record.type.rawValue, rrClass: record.rrClass.rawValue,
                                     ttl: record.ttl, rdataStart: UInt32(pendingRData.count),
                                     rdataLength: UInt32(record.rdata.count)))
        pendingRData.append(contentsOf: record.rdata)
    }

    /// Returns the node for the wire name `wire[from...]`, creating it if it is new.
    mutating func insertNode(_ wire: [UInt8], from start: Int = 0) -> Int32 {
        let length = wire.count - start
        let (found, slot, hash) = wire.withUnsafeBufferPointer { probe($0, from: start, length: length) }
        if found >= 0 { return found }

        let index = nodes.count
        nodes.append(NodeEntry(nameOffset: UInt32(names.count), nameLength: UInt16(length),
                               flags: 0, rrsetStart: 0, rrsetCount: 0, cut: -1))
        names.append(contentsOf: wire[start...])
        table[slot] = TableEntry.make(hash: hash, node: index)
        if nodes.count * 2 > table.count {
            grow()
        }
        return Int32(index)
    }

    /// Finds the node whose name equals `key[start..<start + length]`, ignoring ASCII case.
    /// Returns its index, or -1 with the empty slot where such a node would go; and the name's hash.
    private func probe(_ key: UnsafeBufferPointer<UInt8>, from start: Int, length: Int)
        -> (node: Int32, slot: Int, hash: UInt32)
    {
        let mask = table.count - 1
        let hash = ZoneHash.foldingHash(key, from: start, to: start + length)
        var slot = Int(hash) & mask
        return names.withUnsafeBufferPointer { stored in
            while true {
                let value = table[slot]
                if value == 0 { return (-1, slot, hash) }
                if TableEntry.hash(value) == hash {
                    let node = TableEntry.node(value)
                    let entry = nodes[node]
                    if Int(entry.nameLength) == length {
                        let base = Int(entry.nameOffset)
                        var equal = true
                        for index in 0..<length where asciiLower(stored[base + index]) != asciiLower(key[start + index]) {
                            equal = false
                            break
                        }
                        if equal { return (Int32(node), slot, hash) }
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func grow() {
        var bigger = [UInt64](repeating: 0, count: table.count * 2)
        let mask = bigger.count - 1
        // Each entry carries its name's hash, so no name is read again.
        for value in table where value != 0 {
            var slot = Int(TableEntry.hash(value)) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = value
        }
        table = bigger
    }

    /// Whether the name of `length` bytes at `offset` in `names` is the origin.
    func isOriginAt(_ offset: Int, length: Int) -> Bool {
        length == originLowercased.count && isOriginAt(offset)
    }

    private func isOriginAt(_ offset: Int) -> Bool {
        for index in 0..<originLowercased.count where asciiLower(names[offset + index]) != originLowercased[index] {
            return false
        }
        return true
    }

    /// Finds the node named by bytes already in `names`, without copying them.
    private func findStored(offset: Int, length: Int) -> Int32 {
        names.withUnsafeBufferPointer { probe($0, from: offset, length: length).node }
    }

    mutating func finish() -> Built {
        let (parents, apex) = addEmptyNonTerminals(knownParents: [])

        // Group records by node (a counting sort keeps file order inside a node), then by type.
        var counts = [Int](repeating: 0, count: nodes.count + 1)
        for record in pending { counts[Int(record.node) + 1] += 1 }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var order = [Int32](repeating: 0, count: pending.count)
        var cursor = counts
        for (position, record) in pending.enumerated() {
            order[cursor[Int(record.node)]] = Int32(position)
            cursor[Int(record.node)] += 1
        }

        var rrsets: [RRSetEntry] = []
        rrsets.reserveCapacity(pending.count)
        var rdataOffsets: [UInt32] = []
        rdataOffsets.reserveCapacity(pending.count + 1)
        var rdata: [UInt8] = []
        rdata.reserveCapacity(pendingRData.count)
        var recordCount = 0
        var types: [UInt16] = []
        for node in 0..<nodes.count {
            let first = counts[node]
            let end = counts[node + 1]
            nodes[node].rrsetStart = UInt32(rrsets.count)
            types.removeAll(keepingCapacity: true)
            for position in first..<end {
                let type = pending[Int(order[position])].type
                if !types.contains(type) { types.append(type) }
            }
            for type in types {
                let setStart = rdataOffsets.count
                var entry = RRSetEntry(type: type, rrClass: 0, ttl: 0, rdataStart: UInt32(setStart), rdataCount: 0,
                                       targetStart: 0, targetCount: 0)
                for position in first..<end {
                    let record = pending[Int(order[position])]
                    guard record.type == type else { continue }
                    let bytes = pendingRData[Int(record.rdataStart)..<Int(record.rdataStart + record.rdataLength)]
                    if isDuplicate(bytes, in: rdata, offsets: rdataOffsets, from: setStart) { continue }
                    if entry.rdataCount == 0 {
                        entry.rrClass = record.rrClass
                        entry.ttl = record.ttl
                    }
                    rdataOffsets.append(UInt32(rdata.count))
                    rdata.append(contentsOf: bytes)
                    entry.rdataCount += 1
                    recordCount += 1
                }
                rrsets.append(entry)
            }
            nodes[node].rrsetCount = UInt32(rrsets.count) - nodes[node].rrsetStart
            if node != apex && types.contains(RRType.ns.rawValue) {
                nodes[node].flags |= NodeEntry.delegation
            }
            if types.contains(RRType.dname.rawValue) {
                nodes[node].flags |= NodeEntry.dname
            }
        }
        rdataOffsets.append(UInt32(rdata.count))

        markCutsAndWildcards(parents: parents)
        let targets = findTargets(&rrsets, rdata: rdata, rdataOffsets: rdataOffsets)
        return Built(names: names, nodes: nodes, rrsets: rrsets, rdataOffsets: rdataOffsets, rdata: rdata,
                     targets: targets, table: table, recordCount: recordCount, apex: apex)
    }

    /// Finishes a build whose nodes already hold their RRsets: adds the empty non-terminals,
    /// zone cuts, wildcard marks and targets. The parents of the existing nodes are looked up
    /// on `parallelism` threads.
    mutating func finish(rrsets: inout [RRSetEntry], rdataOffsets: [UInt32], rdata: [UInt8], recordCount: Int,
                         parallelism: Int) -> Built {
        let existing = nodes.count
        var knownParents = [Int32](repeating: -1, count: existing)
        knownParents.withUnsafeMutableBufferPointer { knownParents in
            nonisolated(unsafe) let knownParents = knownParents
            let builder = self
            let ranges = max(1, min(parallelism * 4, existing / 4096))
            DispatchQueue.concurrentPerform(iterations: ranges) { range in
                // Adjacent nodes usually share a parent: compare its bytes with the last one's
                // before hashing them.
                var lastParent: (offset: Int, length: Int, node: Int32) = (0, -1, -1)
                builder.names.withUnsafeBufferPointer { names in
                    for index in (existing * range / ranges)..<(existing * (range + 1) / ranges) {
                        let entry = builder.nodes[index]
                        let offset = Int(entry.nameOffset)
                        let parentOffset = offset + 1 + Int(names[offset])
                        let parentLength = offset + Int(entry.nameLength) - parentOffset
                        if parentLength == lastParent.length, lastParent.node >= 0,
                            memcmp(names.baseAddress! + parentOffset, names.baseAddress! + lastParent.offset, parentLength) == 0,
                            !builder.isOriginAt(offset, length: Int(entry.nameLength))
                        {
                            knownParents[index] = lastParent.node
                            continue
                        }
                        let parent = builder.findParent(index)
                        knownParents[index] = parent
                        lastParent = (parentOffset, parentLength, parent)
                    }
                }
            }
        }
        let (parents, apex) = addEmptyNonTerminals(knownParents: knownParents)
        for index in existing..<nodes.count {
            nodes[index].rrsetStart = UInt32(rrsets.count)
        }
        markCutsAndWildcards(parents: parents)
        let targets = findTargets(&rrsets, rdata: rdata, rdataOffsets: rdataOffsets)
        return Built(names: names, nodes: nodes, rrsets: rrsets, rdataOffsets: rdataOffsets, rdata: rdata,
                     targets: targets, table: table, recordCount: recordCount, apex: apex)
    }

    /// Looks up the parent of node `index`'s name. Returns its node, -1 when the parent has no
    /// node yet, or -2 when node `index` is the apex.
    func findParent(_ index: Int) -> Int32 {
        let entry = nodes[index]
        let offset = Int(entry.nameOffset)
        if Int(entry.nameLength) == originLowercased.count && isOriginAt(offset) { return -2 }
        let labelLength = 1 + Int(names[offset])
        return findStored(offset: offset + labelLength, length: Int(entry.nameLength) - labelLength)
    }

    /// Adds a node for every name between the apex and an owner that has none (an empty
    /// non-terminal) and returns each node's parent (-1 for the apex) and the apex. Nodes added
    /// here are visited later in the same loop, so their own parents are added too.
    /// `knownParents` contains the `findParent` results of the first nodes, found before.
    mutating func addEmptyNonTerminals(knownParents: [Int32]) -> (parents: [Int32], apex: Int?) {
        var parents: [Int32] = []
        var apex: Int?
        var index = 0
        parents.reserveCapacity(nodes.count)
        while index < nodes.count {
            var parent = index < knownParents.count ? knownParents[index] : -1
            if parent == -1 {
                // Not found before, or not looked up: an earlier step of this loop may have added it.
                parent = findParent(index)
            }
            if parent == -2 {
                apex = index
                parents.append(-1)
            } else {
                if parent < 0 {
                    let entry = nodes[index]
                    let offset = Int(entry.nameOffset)
                    let labelLength = 1 + Int(names[offset])
                    parent = insertNode(Array(names[(offset + labelLength)..<(offset + Int(entry.nameLength))]))
                }
                parents.append(parent)
            }
            index += 1
        }
        return (parents, apex)
    }

    private func isDuplicate(_ bytes: ArraySlice<UInt8>, in rdata: [UInt8], offsets: [UInt32], from start: Int) -> Bool {
        var record = start
        while record < offsets.count {
            let begin = Int(offsets[record])
            let end = record + 1 < offsets.count ? Int(offsets[record + 1]) : rdata.count
            if end - begin == bytes.count && rdata[begin..<end].elementsEqual(bytes) { return true }
            record += 1
        }
        return false
    }

    /// Sets each node's `cut` to the highest delegation at or above it, visiting parents
    /// before children, and marks the parents of `*` names.
    private mutating func markCutsAndWildcards(parents: [Int32]) {
        // A node's cut depends only on its parent's, so each node is visited after its parent:
        // the chain of ancestors not yet visited is collected, then visited from the top.
        var visited = [Bool](repeating: false, count: nodes.count)
        var chain: [Int] = []
        for first in 0..<nodes.count where !visited[first] {
            var node = first
            while true {
                chain.append(node)
                let parent = Int(parents[node])
                if parent < 0 || visited[parent] { break }
                node = parent
            }
            while let node = chain.popLast() {
                visited[node] = true
                let parent = Int(parents[node])
                if parent >= 0 && nodes[parent].cut >= 0 {
                    nodes[node].cut = nodes[parent].cut
                } else if parent >= 0 && nodes[parent].flags & NodeEntry.dname != 0
                    && nodes[parent].flags & NodeEntry.delegation == 0
                {
                    // Names below a DNAME owner are redirected; the owner itself is not.
                    nodes[node].cut = Int32(parent)
                } else if nodes[node].flags & NodeEntry.delegation != 0 {
                    nodes[node].cut = Int32(node)
                }
                let offset = Int(nodes[node].nameOffset)
                if parent >= 0 && names[offset] == 1 && names[offset + 1] == UInt8(ascii: "*") {
                    nodes[parent].flags |= NodeEntry.wildcardChild
                }
            }
        }
    }

    /// Resolves the names in NS, MX and SRV RDATA to nodes of this zone once (see
    /// `findTarget`), so the additional section needs no name lookups per query.
    private mutating func findTargets(_ rrsets: inout [RRSetEntry], rdata: [UInt8], rdataOffsets: [UInt32]) -> [Int32] {
        var targets: [Int32] = []
        rdata.withUnsafeBufferPointer { rdata in
            for set in 0..<rrsets.count {
                let nameOffset: Int
                switch RRType(rawValue: rrsets[set].type) {
                case .ns: nameOffset = 0
                case .mx: nameOffset = 2
                case .srv: nameOffset = 6
                default: continue
                }
                rrsets[set].targetStart = UInt32(targets.count)
                for record in Int(rrsets[set].rdataStart)..<Int(rrsets[set].rdataStart + rrsets[set].rdataCount) {
                    let start = Int(rdataOffsets[record]) + nameOffset
                    targets.append(findTarget(rdata, from: start, end: Int(rdataOffsets[record + 1])))
                }
                rrsets[set].targetCount = UInt32(targets.count) - rrsets[set].targetStart
            }
        }
        return targets
    }

    /// Looks up the uncompressed name at `rdata[start...]`. Returns its node, or else `-2 - w`
    /// where `w` is the wildcard node that synthesizes the name, or -1 when the name is
    /// malformed, runs past `end`, lies outside the zone or neither node exists.
    private func findTarget(_ rdata: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int32 {
        var position = start
        while true {
            guard position < end else { return -1 }
            let length = Int(rdata[position])
            if length == 0 { break }
            guard length <= DomainName.maxLabelLength else { return -1 }
            position += 1 + length
        }
        let nameLength = position + 1 - start
        let originLength = originLowercased.count
        guard nameLength <= DomainName.maxWireLength, nameLength >= originLength else { return -1 }

        // The origin must start at a label boundary of the name.
        let originStart = position + 1 - originLength
        var boundary = start
        while boundary < originStart { boundary += 1 + Int(rdata[boundary]) }
        guard boundary == originStart else { return -1 }
        for index in 0..<originLength where asciiLower(rdata[originStart + index]) != originLowercased[index] {
            return -1
        }
        let node = probe(rdata, from: start, length: nameLength).node
        if node >= 0 { return node }
        return findWildcardTarget(Array(rdata[start..<(start + nameLength)]))
    }

    /// Returns `-2 - w` where `w` is the wildcard node that synthesizes the name `wire`, which
    /// has no node of its own, or -1. The wildcard is the `*` child of the closest encloser
    /// (RFC 4592), which must be neither a zone cut nor a DNAME owner.
    private func findWildcardTarget(_ wire: [UInt8]) -> Int32 {
        var offset = 0
        while wire[offset] != 0 {
            offset += 1 + Int(wire[offset])
            let suffix = Array(wire[offset...])
            let encloser = findExisting(suffix)
            guard encloser >= 0 else { continue }
            let entry = nodes[Int(encloser)]
            guard entry.cut < 0, entry.flags & (NodeEntry.dname | NodeEntry.wildcardChild) == NodeEntry.wildcardChild
            else { return -1 }
            let wildcard = findExisting([1, UInt8(ascii: "*")] + suffix)
            return wildcard >= 0 ? -2 - wildcard : -1
        }
        return -1
    }

    private func findExisting(_ wire: [UInt8]) -> Int32 {
        wire.withUnsafeBufferPointer { probe($0, from: 0, length: $0.count).node }
    }
}
