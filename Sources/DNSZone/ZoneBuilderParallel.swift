#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import DNSWire

/// Builds the flat store of a large zone on all cores, with the same nodes, RRsets, RDATA and
/// node order as `ZoneBuilder` adding the records one by one.
///
/// Work runs over contiguous ranges of records and of nodes wherever it can, because each
/// record's owner and RDATA are separate heap objects, laid out in file order, and visiting
/// them out of order costs a cache miss each.
///
/// 1. Ranges of records, cut between runs (consecutive records with one owner): per run, the
///    owner's hash and the run's records grouped into RRsets.
/// 2. The hash table is split into `shardCount` ranges of slots, and each shard inserts the runs
///    whose owner's home slot lies in its range, so no locks are needed. A run whose owner an
///    earlier run already inserted is noted. An owner whose probe runs past the end of its
///    range gets its slot after the parallel part, with probes that wrap as lookups do.
/// 3. Nodes are numbered in the order their owners first appear, as the sequential builder
///    numbers them, so transfers list them in the same order. Owners with several runs are
///    grouped again over all their records (in a typical zone there are none).
/// 4. Ranges of nodes: names, nodes, RRsets and RDATA are written at offsets summed before.
struct ParallelZoneBuild {
    /// Below this many records the sequential builder is used: starting the threads costs more
    /// than it saves.
    static let minimumRecords = 50_000
    /// Fixed, so that the table's layout does not depend on the number of cores.
    static let defaultShardCount = 16

    let origin: DomainName
    let records: [ResourceRecord]
    /// A power of two. Tests raise it to make probes run past the end of a shard's range.
    var shardCount = Self.defaultShardCount

    /// A scratch array of plain values, shared by threads that write disjoint elements.
    final class SharedArray<Element>: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Element>

        init(count: Int, value: Element) {
            pointer = .allocate(capacity: max(count, 1))
            pointer.initialize(repeating: value, count: max(count, 1))
        }

        deinit { pointer.deallocate() }

        subscript(index: Int) -> Element {
            get { pointer[index] }
            set { pointer[index] = newValue }
        }
    }

    typealias SetEntry = (type: UInt16, rrClass: UInt16, ttl: UInt32, count: UInt32)

    /// RRsets and the records they keep, grouped from a list of records.
    final class Groups: @unchecked Sendable {
        let sets: SharedArray<SetEntry>
        let kept: SharedArray<Int32>

        init(capacity: Int) {
            sets = SharedArray(count: capacity, value: (0, 0, 0, 0))
            kept = SharedArray(count: capacity, value: 0)
        }
    }

    /// Per run, indexed by the run's first record; only run starts are written.
    final class Runs: @unchecked Sendable {
        /// End of the run (exclusive), or 0 for a record that does not start a run.
        let end: SharedArray<Int32>
        let hash: SharedArray<UInt32>
        /// Length of the owner's wire form.
        let nameLength: SharedArray<UInt8>
        /// Start of the run's RRsets and kept records in `Groups`, and their counts.
        let setStart: SharedArray<Int32>
        let setCount: SharedArray<Int32>
        let keptCount: SharedArray<Int32>
        let byteCount: SharedArray<UInt32>

        init(count: Int) {
            end = SharedArray(count: count, value: 0)
            hash = SharedArray(count: count, value: 0)
            nameLength = SharedArray(count: count, value: 0)
            setStart = SharedArray(count: count, value: 0)
            setCount = SharedArray(count: count, value: 0)
            keptCount = SharedArray(count: count, value: 0)
            byteCount = SharedArray(count: count, value: 0)
        }
    }

    /// The runs a shard found to repeat an owner inserted before (run, first run of that owner),
    /// and the runs whose owner got no slot in the shard's range.
    /// Each shard writes only its own element, through the buffers: writing through an array
    /// held by a class could copy it while another thread writes.
    final class ShardResults: @unchecked Sendable {
        let repeats: UnsafeMutableBufferPointer<[(run: Int32, first: Int32)]>
        let overflow: UnsafeMutableBufferPointer<[Int32]>

        init(count: Int) {
            repeats = .allocate(capacity: count)
            repeats.initialize(repeating: [])
            overflow = .allocate(capacity: count)
            overflow.initialize(repeating: [])
        }

        deinit {
            _ = repeats.deinitialize()
            repeats.deallocate()
            _ = overflow.deinitialize()
            overflow.deallocate()
        }
    }

    func run() throws(ZoneBuildError) -> ZoneBuilder.Built {
        let count = records.count
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let origin = self.origin

        // 1. Runs, in ranges of records that start at a run.
        let rangeCount = max(1, min(cores * 4, count / 4096))
        var rangeStarts = (0...rangeCount).map { count * $0 / rangeCount }
        for index in 1..<rangeCount {
            var start = max(rangeStarts[index], rangeStarts[index - 1])
            while start > 0 && start < count && records[start].owner == records[start - 1].owner { start += 1 }
            rangeStarts[index] = start
        }
        let cuts = rangeStarts
        let runs = Runs(count: count)
        // Each range writes its RRsets and kept records into its own span of record indexes:
        // a range has no more of either than records.
        let groups = Groups(capacity: count)
        let firstOutside = SharedArray<Int>(count: rangeCount, value: Int.max)
        records.withUnsafeBufferPointer { records in
            nonisolated(unsafe) let records = records
            DispatchQueue.concurrentPerform(iterations: rangeCount) { range in
                var types: [UInt16] = []
                var cursor = cuts[range]
                var start = cuts[range]
                let end = cuts[range + 1]
                while start < end {
                    var runEnd = start + 1
                    while runEnd < end && records[runEnd].owner == records[start].owner { runEnd += 1 }
                    let owner = records[start].owner
                    if firstOutside[range] == Int.max && !owner.isSubdomain(of: origin) {
                        firstOutside[range] = start
                    }
                    runs.end[start] = Int32(runEnd)
                    runs.nameLength[start] = UInt8(owner.wire.count)
                    runs.hash[start] = owner.wire.withUnsafeBufferPointer { ZoneHash.foldingHash($0, from: 0, to: $0.count) }
                    runs.setStart[start] = Int32(cursor)
                    let grouped = Self.group(start..<runEnd, records: records, into: groups, at: cursor, types: &types)
                    runs.setCount[start] = Int32(grouped.sets)
                    runs.keptCount[start] = Int32(grouped.kept)
                    runs.byteCount[start] = UInt32(grouped.bytes)
                    cursor += max(grouped.sets, grouped.kept)
                    start = runEnd
                }
            }
        }
        for range in 0..<rangeCount where firstOutside[range] != Int.max {
            let record = records[firstOutside[range]]
            throw ZoneBuildError(message: "record \(record.owner) is outside zone \(origin)")
        }
        var runStarts: [Int32] = []
        var runHashes: [UInt32] = []
        runStarts.reserveCapacity(count)
        runHashes.reserveCapacity(count)
        var start = 0
        while start < count {
            runStarts.append(Int32(start))
            runHashes.append(runs.hash[start])
            start = Int(runs.end[start])
        }
        let runCount = runStarts.count

        // 2. The hash table, by shards of slots. Entries hold the run index for now, not the node's.
        var tableSize = 64
        while tableSize < count * 2 { tableSize <<= 1 }
        let mask = tableSize - 1
        let shardCount = min(self.shardCount, tableSize)
        let shardShift = (tableSize / shardCount).trailingZeroBitCount
        let results = ShardResults(count: shardCount)
        // The runs of each shard in input order (a counting sort), so that no shard reads all runs.
        var shardStarts = [Int](repeating: 0, count: shardCount + 1)
        for hash in runHashes { shardStarts[(Int(hash) & mask) >> shardShift + 1] += 1 }
        for shard in 0..<shardCount { shardStarts[shard + 1] += shardStarts[shard] }
        var runsByShard = [Int32](repeating: 0, count: runCount)
        var shardCursors = shardStarts
        for (run, hash) in runHashes.enumerated() {
            let shard = (Int(hash) & mask) >> shardShift
            runsByShard[shardCursors[shard]] = Int32(run)
            shardCursors[shard] += 1
        }
        let shardRanges = shardStarts
        var table = [UInt64](repeating: 0, count: tableSize)
        table.withUnsafeMutableBufferPointer { table in
            records.withUnsafeBufferPointer { records in
                runStarts.withUnsafeBufferPointer { runStarts in
                    runHashes.withUnsafeBufferPointer { runHashes in
                        nonisolated(unsafe) let table = table
                        nonisolated(unsafe) let records = records
                        nonisolated(unsafe) let runStarts = runStarts
                        nonisolated(unsafe) let runHashes = runHashes
                        let runsByShard = runsByShard
                        DispatchQueue.concurrentPerform(iterations: shardCount) { shard in
                            var repeats: [(run: Int32, first: Int32)] = []
                            var overflow: [Int32] = []
                            let high = (shard + 1) << shardShift
                            func sameOwner(_ a: Int, _ b: Int) -> Bool {
                                runHashes[a] == runHashes[b]
                                    && records[Int(runStarts[a])].owner == records[Int(runStarts[b])].owner
                            }
                            for position in shardRanges[shard]..<shardRanges[shard + 1] {
                                let run = Int(runsByShard[position])
                                var slot = Int(runHashes[run]) & mask
                                while true {
                                    if slot == high {
                                        if let first = overflow.first(where: { sameOwner(Int($0), run) }) {
                                            repeats.append((Int32(run), first))
                                        } else {
                                            overflow.append(Int32(run))
                                        }
                                        break
                                    }
                                    let entry = table[slot]
                                    if entry == 0 {
                                        table[slot] = TableEntry.make(hash: runHashes[run], node: run)
                                        break
                                    }
                                    let other = TableEntry.node(entry)
                                    if sameOwner(other, run) {
                                        repeats.append((Int32(run), Int32(other)))
                                        break
                                    }
                                    slot += 1
                                }
                            }
                            results.repeats[shard] = repeats
                            results.overflow[shard] = overflow
                        }
                    }
                }
            }
        }

        // 3. Node numbers in order of first appearance, and owners with several runs.
        var firstRunOf = [Int32](repeating: -1, count: runCount)
        var laterRuns: [Int32: [Int32]] = [:]
        for shard in 0..<shardCount {
            for (run, first) in results.repeats[shard] {
                firstRunOf[Int(run)] = first
                laterRuns[first, default: []].append(run)
            }
        }
        var nodeOfRun = [Int32](repeating: -1, count: runCount)
        var nodeRuns: [Int32] = []
        nodeRuns.reserveCapacity(runCount)
        for run in 0..<runCount where firstRunOf[run] < 0 {
            nodeOfRun[run] = Int32(nodeRuns.count)
            nodeRuns.append(Int32(run))
        }
        let nodeCount = nodeRuns.count
        for shard in 0..<shardCount {
            for run in results.overflow[shard] {
                var slot = Int(runHashes[Int(run)]) & mask
                while table[slot] != 0 { slot = (slot + 1) & mask }
                table[slot] = TableEntry.make(hash: runHashes[Int(run)], node: Int(run))
            }
        }
        table.withUnsafeMutableBufferPointer { table in
            nodeOfRun.withUnsafeBufferPointer { nodeOfRun in
                nonisolated(unsafe) let table = table
                nonisolated(unsafe) let nodeOfRun = nodeOfRun
                DispatchQueue.concurrentPerform(iterations: shardCount) { shard in
                    for slot in (shard << shardShift)..<((shard + 1) << shardShift) where table[slot] != 0 {
                        table[slot] = TableEntry.replacingNode(table[slot], with: Int(nodeOfRun[TableEntry.node(table[slot])]))
                    }
                }
            }
        }

        // Owners with several runs: their records, in input order, grouped again. A shard
        // notes the later runs of an owner in input order.
        var merged: [Int32: (setStart: Int, sets: Int, kept: Int, bytes: Int)] = [:]
        let mergedOwners = laterRuns.keys.sorted()
        var mergedCapacity = 0
        for first in mergedOwners {
            for run in [first] + laterRuns[first]! {
                let runStart = Int(runStarts[Int(run)])
                mergedCapacity += Int(runs.end[runStart]) - runStart
            }
        }
        let mergedGroups = Groups(capacity: mergedCapacity)
        records.withUnsafeBufferPointer { records in
            var cursor = 0
            var types: [UInt16] = []
            for first in mergedOwners {
                var list: [Int] = []
                for run in [first] + laterRuns[first]! {
                    let runStart = Int(runStarts[Int(run)])
                    list.append(contentsOf: runStart..<Int(runs.end[runStart]))
                }
                let grouped = Self.group(list, records: records, into: mergedGroups, at: cursor, types: &types)
                merged[nodeOfRun[Int(first)]] = (cursor, grouped.sets, grouped.kept, grouped.bytes)
                cursor += max(grouped.sets, grouped.kept)
            }
        }

        // Offsets of each node's name, RRsets, records and RDATA.
        var nameStarts = [UInt32](repeating: 0, count: nodeCount + 1)
        var setStarts = [UInt32](repeating: 0, count: nodeCount + 1)
        var recordStarts = [UInt32](repeating: 0, count: nodeCount + 1)
        var byteStarts = [UInt32](repeating: 0, count: nodeCount + 1)
        var nameTotal = 0
        var setTotal = 0
        var recordTotal = 0
        var byteTotal = 0
        for node in 0..<nodeCount {
            nameStarts[node] = UInt32(nameTotal)
            setStarts[node] = UInt32(setTotal)
            recordStarts[node] = UInt32(recordTotal)
            byteStarts[node] = UInt32(byteTotal)
            let runStart = Int(runStarts[Int(nodeRuns[node])])
            nameTotal += Int(runs.nameLength[runStart])
            if !merged.isEmpty, let group = merged[Int32(node)] {
                setTotal += group.sets
                recordTotal += group.kept
                byteTotal += group.bytes
            } else {
                setTotal += Int(runs.setCount[runStart])
                recordTotal += Int(runs.keptCount[runStart])
                byteTotal += Int(runs.byteCount[runStart])
            }
        }
        nameStarts[nodeCount] = UInt32(nameTotal)
        setStarts[nodeCount] = UInt32(setTotal)
        recordStarts[nodeCount] = UInt32(recordTotal)
        byteStarts[nodeCount] = UInt32(byteTotal)

        // 4. Names, nodes, RRsets and RDATA, by ranges of nodes.
        let nodeRanges = max(1, min(cores * 4, nodeCount / 4096))
        let originLowercased = origin.wire.map(asciiLower)
        var nodes: [NodeEntry] = []
        var rrsets: [RRSetEntry] = []
        var rdataOffsets: [UInt32] = []
        var rdata: [UInt8] = []
        let names = [UInt8](unsafeUninitializedCapacity: nameTotal) { namesOut, namesCount in
            nodes = [NodeEntry](unsafeUninitializedCapacity: nodeCount) { nodesOut, nodesCount in
                rrsets = [RRSetEntry](unsafeUninitializedCapacity: setTotal) { setsOut, setsCount in
                    rdataOffsets = [UInt32](unsafeUninitializedCapacity: recordTotal + 1) { offsetsOut, offsetsCount in
                        rdata = [UInt8](unsafeUninitializedCapacity: byteTotal) { rdataOut, rdataCount in
                            records.withUnsafeBufferPointer { records in
                                nonisolated(unsafe) let out = (namesOut, nodesOut, setsOut, offsetsOut, rdataOut)
                                nonisolated(unsafe) let records = records
                                let starts = (nameStarts, setStarts, recordStarts, byteStarts)
                                let nodeRuns = nodeRuns
                                let runStarts = runStarts
                                let merged = merged
                                DispatchQueue.concurrentPerform(iterations: nodeRanges) { range in
                                    for node in (nodeCount * range / nodeRanges)..<(nodeCount * (range + 1) / nodeRanges) {
                                        let runStart = Int(runStarts[Int(nodeRuns[node])])
                                        let nameStart = Int(starts.0[node])
                                        let nameLength = records[runStart].owner.wire.withUnsafeBufferPointer { name in
                                            _ = UnsafeMutableBufferPointer(rebasing: out.0[nameStart..<(nameStart + name.count)])
                                                .initialize(from: name)
                                            return name.count
                                        }
                                        var source = (groups: groups, setStart: Int(runs.setStart[runStart]))
                                        if !merged.isEmpty, let group = merged[Int32(node)] {
                                            source = (mergedGroups, group.setStart)
                                        }
                                        let setStart = Int(starts.1[node])
                                        let setEnd = Int(starts.1[node + 1])
                                        var record = Int(starts.2[node])
                                        var byte = Int(starts.3[node])
                                        var keptIndex = source.setStart
                                        var flags: UInt16 = 0
                                        for setIndex in setStart..<setEnd {
                                            let set = source.groups.sets[source.setStart + setIndex - setStart]
                                            (out.2.baseAddress! + setIndex).initialize(to: RRSetEntry(
                                                type: set.type, rrClass: set.rrClass, ttl: set.ttl, rdataStart: UInt32(record),
                                                rdataCount: set.count, targetStart: 0, targetCount: 0))
                                            if set.type == RRType.ns.rawValue { flags |= NodeEntry.delegation }
                                            if set.type == RRType.dname.rawValue { flags |= NodeEntry.dname }
                                            for _ in 0..<Int(set.count) {
                                                (out.3.baseAddress! + record).initialize(to: UInt32(byte))
                                                records[Int(source.groups.kept[keptIndex])].rdata.withUnsafeBufferPointer { bytes in
                                                    if let base = bytes.baseAddress {
                                                        (out.4.baseAddress! + byte).initialize(from: base, count: bytes.count)
                                                    }
                                                    byte += bytes.count
                                                }
                                                keptIndex += 1
                                                record += 1
                                            }
                                        }
                                        if flags & NodeEntry.delegation != 0 && nameLength == originLowercased.count {
                                            var isApex = true
                                            for index in 0..<nameLength where asciiLower(out.0[nameStart + index]) != originLowercased[index] {
                                                isApex = false
                                                break
                                            }
                                            if isApex { flags &= ~NodeEntry.delegation }
                                        }
                                        (out.1.baseAddress! + node).initialize(to: NodeEntry(
                                            nameOffset: UInt32(nameStart), nameLength: UInt16(nameLength), flags: flags,
                                            rrsetStart: UInt32(setStart), rrsetCount: UInt32(setEnd - setStart), cut: -1))
                                    }
                                }
                            }
                            rdataCount = byteTotal
                        }
                        offsetsOut[recordTotal] = UInt32(byteTotal)
                        offsetsCount = recordTotal + 1
                    }
                    setsCount = setTotal
                }
                nodesCount = nodeCount
            }
            namesCount = nameTotal
        }

        var builder = ZoneBuilder(origin: origin, names: names, nodes: nodes, table: table)
        return builder.finish(rrsets: &rrsets, rdataOffsets: rdataOffsets, rdata: rdata, recordCount: recordTotal,
                              parallelism: cores)
    }

    /// Groups records, given in input order, into RRsets as `ZoneBuilder.finish` does: types
    /// in order of first appearance, identical records merged, the first record's TTL and
    /// class. Writes the RRsets and the kept records at `position` of `groups`.
    private static func group(
        _ list: some Collection<Int>, records: UnsafeBufferPointer<ResourceRecord>, into groups: Groups, at position: Int,
        types: inout [UInt16]
    ) -> (sets: Int, kept: Int, bytes: Int) {
        types.removeAll(keepingCapacity: true)
        for record in list {
            let type = records[record].type.rawValue
            if !types.contains(type) { types.append(type) }
        }
        var kept = 0
        var bytes = 0
        for (setOffset, type) in types.enumerated() {
            let keptStart = kept
            var entry: SetEntry = (type, 0, 0, 0)
            for record in list where records[record].type.rawValue == type {
                var duplicate = false
                for earlier in keptStart..<kept where records[Int(groups.kept[position + earlier])].rdata == records[record].rdata {
                    duplicate = true
                    break
                }
                if duplicate { continue }
                if entry.count == 0 {
                    entry.rrClass = records[record].rrClass.rawValue
                    entry.ttl = records[record].ttl
                }
                groups.kept[position + kept] = Int32(record)
                kept += 1
                entry.count += 1
                bytes += records[record].rdata.count
            }
            groups.sets[position + setOffset] = entry
        }
        return (types.count, kept, bytes)
    }
}
