import CNetShim
import DNSZone

/// Starts the memory reads of a batch's lookups before any query of the batch is answered.
///
/// In a zone of a million names, a lookup reads a hash-table slot, then the node it points
/// to, then that node's name and RRset entries, then the RDATA: rounds of cache misses in
/// which each round needs the one before. Answered one query at a time, a worker waits for
/// every round of every query in turn. Here each round is started for the whole batch
/// before the next, so the misses of different queries overlap, and the answer path then
/// finds most of its lines in the cache. Nothing here changes an answer: a query this does
/// not understand is only left out.
struct LookupPrefetch {
    private let capacity: Int
    /// Per query of the batch: the closest zone's index in the snapshot, or -1 when there is
    /// nothing more to fetch for it.
    private let zones: UnsafeMutablePointer<Int32>
    /// Per query: the home slot of the name in the zone's table, then the node found there,
    /// then the first record of the RRset of the question's type.
    private let positions: UnsafeMutablePointer<Int32>
    private let types: UnsafeMutablePointer<UInt16>
    /// Per query: the hash of the lower-cased question name.
    private let hashes: UnsafeMutablePointer<UInt32>
    private var name = LookupName()

    init(capacity: Int) {
        self.capacity = capacity
        zones = .allocate(capacity: capacity)
        positions = .allocate(capacity: capacity)
        types = .allocate(capacity: capacity)
        hashes = .allocate(capacity: capacity)
    }

    /// Prefetches the lookups of `count` queries. `query(i)` returns the i-th query.
    mutating func prefetch(count: Int, snapshot: ServerSnapshot, query: (Int) -> UnsafeRawBufferPointer) {
        let count = min(count, capacity)
        // Consecutive queries are mostly for one zone: keeping it from one query to the next
        // saves a retain and a release per query and round.
        var zone: Zone? = nil
        var zoneIndex: Int32 = -1
        for round in 0..<5 {
            for index in 0..<count {
                if round == 0 {
                    readQuestion(query(index), at: index, snapshot: snapshot)
                }
                guard zones[index] >= 0 else { continue }
                if zones[index] != zoneIndex {
                    zoneIndex = zones[index]
                    zone = snapshot.zone(at: Int(zoneIndex))
                }
                switch round {
                case 0: startSlot(at: index, zone: zone!)
                case 1: followSlot(at: index, zone: zone!)
                case 2: followNode(at: index, zone: zone!)
                case 3: followRRSet(at: index, zone: zone!)
                default: followRecords(at: index, zone: zone!)
                }
            }
        }
    }

    /// Reads the question name and type and finds the closest zone.
    private mutating func readQuestion(_ query: UnsafeRawBufferPointer, at index: Int, snapshot: ServerSnapshot) {
        zones[index] = -1
        // A standard query (QR and opcode 0) with one question. Any other message gets only
        // the checks of the answer path.
        guard query.count >= 12, query[2] & 0xF8 == 0, QueryParser.read16(query, 4) == 1,
            let end = QueryParser.questionNameEnd(query)
        else { return }
        query.withMemoryRebound(to: UInt8.self) { bytes in
            name.set(UnsafeBufferPointer(rebasing: bytes[12..<end]))
        }
        zones[index] = Int32(snapshot.closestZoneIndex(for: name))
        hashes[index] = name.lowercased.withUnsafeBufferPointer { ZoneHash.hash($0, from: 0) }
        types[index] = QueryParser.read16(query, end)
    }

    /// Starts loading the name's home slot in the zone's table.
    private func startSlot(at index: Int, zone: Zone) {
        let slot = Int(hashes[index]) & zone.tableMask
        zone.table.withUnsafeBufferPointer { cns_prefetch($0.baseAddress! + slot) }
        positions[index] = Int32(slot)
    }

    /// Finds the name's entry by hash alone among the slots from its home slot up to the next
    /// slot index divisible by 8 (at most 8 slots), and starts loading the node in that entry.
    private func followSlot(at index: Int, zone: Zone) {
        let hash = hashes[index]
        let node: Int = zone.table.withUnsafeBufferPointer { table in
            var slot = Int(positions[index])
            while true {
                let value = table[slot]
                if value == 0 { return -1 }
                if TableEntry.hash(value) == hash { return TableEntry.node(value) }
                slot = (slot + 1) & zone.tableMask
                if slot & 7 == 0 { return -1 }
            }
        }
        guard node >= 0 else {
            zones[index] = -1
            return
        }
        positions[index] = Int32(node)
        zone.nodes.withUnsafeBufferPointer { prefetch($0.baseAddress! + node) }
    }

    /// Starts loading the node's name, for the comparison that confirms the match, and its
    /// RRset entries.
    private func followNode(at index: Int, zone: Zone) {
        let entry = zone.nodes[Int(positions[index])]
        zone.names.withUnsafeBufferPointer {
            prefetch(UnsafeRawPointer($0.baseAddress! + Int(entry.nameOffset)), count: Int(entry.nameLength))
        }
        guard entry.rrsetCount > 0 else {
            zones[index] = -1
            return
        }
        zone.rrsets.withUnsafeBufferPointer { prefetch($0.baseAddress! + Int(entry.rrsetStart)) }
    }

    /// Starts loading the record offsets of the RRset that answers the question's type.
    private func followRRSet(at index: Int, zone: Zone) {
        let rrset = zone.rrsetIndex(node: Int(positions[index]), type: types[index])
        guard rrset >= 0 else {
            zones[index] = -1
            return
        }
        let start = Int(zone.rrsets[rrset].rdataStart)
        positions[index] = Int32(start)
        zone.rdataOffsets.withUnsafeBufferPointer { prefetch($0.baseAddress! + start, count: 2) }
    }

    /// Starts loading the RRset's first record.
    private func followRecords(at index: Int, zone: Zone) {
        let start = Int(positions[index])
        let offset = Int(zone.rdataOffsets[start])
        let length = Int(zone.rdataOffsets[start + 1]) - offset
        zone.rdata.withUnsafeBufferPointer { prefetch(UnsafeRawPointer($0.baseAddress! + offset), count: length) }
    }

    /// Starts loading the first and the last cache line of `count` bytes from `start`, because
    /// an entry can straddle two lines.
    @inline(__always)
    private func prefetch(_ start: UnsafeRawPointer, count: Int) {
        cns_prefetch(start)
        if count > 1 { cns_prefetch(start + (count - 1)) }
    }

    @inline(__always)
    private func prefetch<Element>(_ element: UnsafePointer<Element>) {
        prefetch(UnsafeRawPointer(element), count: MemoryLayout<Element>.size)
    }
}
