#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import DNSWire

/// The checks BIND 9.18 makes when it loads a zone, with BIND's wording where it has one.
public enum ZoneValidator {
    /// Checks the records of one zone and returns those to keep: out-of-zone records removed,
    /// duplicate records merged, and each RRset given one TTL. Records of an RRset that reach
    /// this function with different TTLs all get the TTL of the last of them, which is what
    /// BIND 9.18 keeps when a later group of lines adds to an RRset.
    /// `checkIntegrity: false` skips the checks of NS, MX and SRV targets, as `named-checkzone -i none` does.
    ///
    /// Large zones are checked on all cores: first the per-record checks over ranges of records,
    /// then the grouping into RRsets over partitions of the owner names' hash values. Results
    /// and the order of messages do not depend on the number of cores.
    public static func validate(
        origin: DomainName, records: [ResourceRecord], file: String, checkIntegrity: Bool = true
    ) -> (records: [ResourceRecord], diagnostics: [ZoneDiagnostic]) {
        validate(origin: origin, records: records, file: file, checkIntegrity: checkIntegrity, parallelism: nil)
    }

    /// `parallelism` is the number of ranges and partitions; nil picks one from the zone size
    /// and the core count.
    static func validate(
        origin: DomainName, records: [ResourceRecord], file: String, checkIntegrity: Bool, parallelism: Int?
    ) -> (records: [ResourceRecord], diagnostics: [ZoneDiagnostic]) {
        var diagnostics: [ZoneDiagnostic] = []
        func report(_ severity: ZoneDiagnostic.Severity, _ message: String) {
            diagnostics.append(ZoneDiagnostic(severity: severity, file: file, line: 0, message: message))
        }
        let count = records.count
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let workers = max(1, parallelism ?? (count >= 50_000 ? cores : 1))
        let zoneClass = records.first(where: { $0.type == .soa })?.rrClass ?? records.first?.rrClass ?? .in

        // Per record: the owner's hash, and whether the record is kept (0), left out (1) or
        // kept with TTL 0 (2).
        var hashes = [Int](repeating: 0, count: count)
        var status = [UInt8](repeating: 0, count: count)
        var rangeDiagnostics = [[ZoneDiagnostic]](repeating: [], count: workers)
        records.withUnsafeBufferPointer { records in
        hashes.withUnsafeMutableBufferPointer { hashes in
            status.withUnsafeMutableBufferPointer { status in
                rangeDiagnostics.withUnsafeMutableBufferPointer { rangeDiagnostics in
                    nonisolated(unsafe) let hashes = hashes
                    nonisolated(unsafe) let status = status
                    nonisolated(unsafe) let rangeDiagnostics = rangeDiagnostics
                    nonisolated(unsafe) let records = records
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        var found: [ZoneDiagnostic] = []
                        func report(_ severity: ZoneDiagnostic.Severity, _ message: String) {
                            found.append(ZoneDiagnostic(severity: severity, file: file, line: 0, message: message))
                        }
                        // The last record whose owner was hashed and checked, by index so
                        // that no reference to the name is taken.
                        var lastOwnerRecord = -1
                        var lastHash = 0
                        var lastInZone = true
                        for index in (count * worker / workers)..<(count * (worker + 1) / workers) {
                            // Records of one owner usually follow each other: hash and check it once.
                            if lastOwnerRecord < 0 || records[lastOwnerRecord].owner != records[index].owner {
                                lastOwnerRecord = index
                                lastHash = records[index].owner.caseFoldedHash
                                lastInZone = records[index].owner.isSubdomain(of: origin)
                            }
                            hashes[index] = lastHash
                            guard lastInZone else {
                                status[index] = 1
                                report(.warning, "ignoring out-of-zone data (\(records[index].owner.descriptionWithoutDot))")
                                continue
                            }
                            if records[index].rrClass != zoneClass {
                                let record = records[index]
                                status[index] = 1
                                report(.error, "\(record.owner.descriptionWithoutDot): class '\(record.rrClass)' != zone class '\(zoneClass)'")
                                continue
                            }
                            if records[index].ttl > 0x7FFF_FFFF {
                                let record = records[index]
                                status[index] = 2
                                report(.warning, "\(record.owner.descriptionWithoutDot)/\(record.type): TTL \(record.ttl) > MAXTTL, setting TTL to 0")
                            }
                        }
                        rangeDiagnostics[worker] = found
                    }
                }
            }
        }
        }
        diagnostics = rangeDiagnostics.flatMap { $0 }

        let sets = RRsetTable(input: records, hashes: hashes, status: status, partitions: workers)
        checkApex(origin: origin, sets: sets, report: report)
        checkSingletons(sets: sets, report: report)
        if checkIntegrity {
            checkTargets(origin: origin, sets: sets, report: report)
        }
        return (sets.records(), diagnostics)
    }

    static func checkApex(origin: DomainName, sets: RRsetTable, report: (ZoneDiagnostic.Severity, String) -> Void) {
        let soaOwners = sets.owners(of: .soa)
        if !sets.hasRRset(origin, .soa) {
            report(.error, "has 0 SOA records")
        }
        for owner in soaOwners where owner != origin {
            report(.error, "SOA record not at top of zone (\(owner.descriptionWithoutDot))")
        }
        if !sets.hasRRset(origin, .ns) {
            report(.error, "has no NS records")
        }
    }

    static func checkSingletons(sets: RRsetTable, report: (ZoneDiagnostic.Severity, String) -> Void) {
        for ownerRef in sets.flaggedOwners {
            let partIndex = Int(ownerRef.part)
            // The common owner has one or two RRsets and none of the types checked here.
            var hasSingleton = false
            var hasSPF = false
            var hasCNAME = false
            var hasOther = false
            var setIndex = Int(sets.parts[partIndex].owners[Int(ownerRef.index)].firstSet)
            while setIndex >= 0 {
                let set = sets.parts[partIndex].sets[setIndex]
                switch set.type {
                case .soa, .dname: hasSingleton = true; hasOther = true
                case .cname: hasSingleton = true; hasCNAME = true
                case .spf: hasSPF = true; hasOther = true
                case .rrsig, .nsec, .key: break
                default: hasOther = true
                }
                setIndex = Int(set.nextOfOwner)
            }
            guard hasSingleton || hasSPF else { continue }
            var name: String { sets.parts[partIndex].ownerName(Int(ownerRef.index)).descriptionWithoutDot }
            for type in [RRType.soa, .cname, .dname] {
                if let set = sets.parts[partIndex].set(owner: Int(ownerRef.index), type), sets.parts[partIndex].sets[set].count > 1 {
                    report(.error, "\(name): multiple RRs of singleton type")
                }
            }
            if hasSPF {
                let txt = sets.set(owner: ownerRef, .txt).map { sets.rdatas($0) } ?? []
                let hasSPFText = txt.contains { rdata in
                    rdata.count > 1 && Array(rdata[1..<min(rdata.count, 1 + Int(rdata[0]))]).starts(with: Array("v=spf1".utf8))
                }
                if !hasSPFText {
                    report(.warning, "'\(name)' found type SPF record but no SPF TXT record found, add matching type TXT record")
                }
            }
            // CNAME may share its name only with DNSSEC records (RFC 2181 section 10.1, RFC 4035).
            if hasCNAME, hasOther {
                report(.error, "\(name): CNAME and other data")
            }
        }
    }

    static func checkTargets(origin: DomainName, sets: RRsetTable, report: (ZoneDiagnostic.Severity, String) -> Void) {
        let cuts = Set(sets.owners(of: .ns).filter { $0 != origin })
        func belowCut(_ name: DomainName) -> DomainName? {
            var current: DomainName? = name
            while let candidate = current, candidate != origin {
                if cuts.contains(candidate) { return candidate }
                current = candidate.parent
            }
            return nil
        }
        func hasAddress(_ name: DomainName) -> Bool {
            guard let owner = sets.owner(name) else { return false }
            return sets.set(owner: owner, .a) != nil || sets.set(owner: owner, .aaaa) != nil
        }

        for owner in sets.owners(of: .ns) {
            guard let rrset = sets.set(owner, .ns) else { continue }
            for rdata in sets.rdatas(rrset) {
                guard let target = RDataNames.singleName(rdata), target.isSubdomain(of: origin) else { continue }
                if owner == origin {
                    if belowCut(target) == nil && !hasAddress(target) {
                        report(.error, "NS '\(target.descriptionWithoutDot)' has no address records (A or AAAA)")
                    }
                } else if target.isSubdomain(of: owner) && !hasAddress(target) {
                    report(.warning, "\(owner.descriptionWithoutDot)/NS '\(target.descriptionWithoutDot)' has no REQUIRED GLUE address records (A or AAAA)")
                }
            }
        }
        // Many MX and SRV records name the same few hosts: remember the last result, and compare
        // the target's bytes with it before making a name of them.
        var lastTarget: (name: DomainName, isCNAME: Bool)? = nil
        func isCNAME(_ rdata: [UInt8], _ nameOffset: Int) -> Bool {
            guard let end = RDataNames.nameEnd(rdata, at: nameOffset) else { return false }
            if let lastTarget, lastTarget.name.wire.elementsEqual(rdata[nameOffset..<end]) { return lastTarget.isCNAME }
            let target = DomainName(uncheckedWire: Array(rdata[nameOffset..<end]))
            let answer = target.isSubdomain(of: origin) && sets.hasRRset(target, .cname)
            lastTarget = (target, answer)
            return answer
        }
        for type in [RRType.mx, .srv] {
            let nameOffset = type == .mx ? 2 : 6
            for ref in sets.notableSets where sets.type(of: ref) == type {
                sets.forEachRData(ref) { rdata in
                    guard isCNAME(rdata, nameOffset), let target = RDataNames.additionalTarget(type: type, rdata: rdata)
                    else { return }
                    let owner = sets.ownerName(of: ref)
                    report(.warning, "\(owner.descriptionWithoutDot)/\(type) '\(target.descriptionWithoutDot)' is a CNAME (illegal)")
                }
            }
        }
    }
}

/// A reference to an owner or an RRset: the partition and the index within it.
struct PartRef: Hashable {
    var part: Int32
    var index: Int32
}

/// The RRsets of a zone, grouped by owner and type, in order of first appearance. The owners
/// are split over partitions by hash value so that the partitions can be built in parallel.
struct RRsetTable {
    let input: [ResourceRecord]
    private(set) var parts: [RRsetPartition]
    /// The RRsets of the types the checks look at (SOA, NS, MX, SRV) in order of first appearance.
    private(set) var notableSets: [PartRef] = []
    /// The owners the singleton checks look at (with SOA, CNAME, DNAME or SPF) in order of first appearance.
    private(set) var flaggedOwners: [PartRef] = []
    /// For each record kept in an RRset, the next record of that RRset, or -1. Each partition
    /// writes only the entries of its own records.
    private let links: RecordLinks
    private var outputIsInput: Bool

    init(input: [ResourceRecord], hashes: [Int], status: [UInt8], partitions: Int) {
        self.input = input
        let count = input.count
        let links = RecordLinks(count: count)
        self.links = links
        var built = [RRsetPartition?](repeating: nil, count: partitions)
        built.withUnsafeMutableBufferPointer { built in
            input.withUnsafeBufferPointer { records in
            hashes.withUnsafeBufferPointer { hashes in
            status.withUnsafeBufferPointer { status in
                nonisolated(unsafe) let built = built
                nonisolated(unsafe) let records = records
                nonisolated(unsafe) let hashes = hashes
                nonisolated(unsafe) let status = status
                DispatchQueue.concurrentPerform(iterations: partitions) { partition in
                    var part = RRsetPartition(input: input, links: links, expectedOwners: count / partitions)
                    var hint = -1
                    // Look up the hash slots of a batch of records before adding them, so that
                    // their cache misses overlap instead of coming one after another.
                    let batchSize = 32
                    var touched: Int32 = 0
                    var batchStart = 0
                    while batchStart < count {
                        let batchEnd = min(batchStart + batchSize, count)
                        for index in batchStart..<batchEnd where RRsetTable.partition(hashes[index], partitions) == partition {
                            touched &+= part.slotEntry(hash: hashes[index])
                        }
                        for index in batchStart..<batchEnd where status[index] != 1 && RRsetTable.partition(hashes[index], partitions) == partition {
                            part.add(records, index, ttl: status[index] == 2 ? 0 : records[index].ttl, hash: hashes[index], ownerHint: &hint)
                        }
                        batchStart = batchEnd
                    }
                    part.touched = touched
                    built[partition] = part
                }
            }
            }
            }
        }
        parts = built.map { $0! }
        outputIsInput = !status.contains { $0 != 0 } && parts.allSatisfy(\.outputIsInput)
        notableSets = Self.mergeByFirstRecord(parts.map { part in part.notableSets.map { (part.sets[Int($0)].firstRecord, $0) } })
        // An owner is flagged when its first flagged RRset appears, which can be after owners
        // that appeared later: sort by first appearance.
        flaggedOwners = Self.mergeByFirstRecord(parts.map { part in
            part.flaggedOwners.map { (part.owners[Int($0)].firstRecord, $0) }.sorted { $0.first < $1.first }
        })
    }

    /// The partition of an owner: the top 32 bits of its hash scaled to the partition count,
    /// which takes a multiplication where a remainder would take a division per record.
    @inline(__always)
    static func partition(_ hash: Int, _ partitions: Int) -> Int {
        Int(truncatingIfNeeded: ((UInt64(UInt(bitPattern: hash)) >> 32) &* UInt64(partitions)) >> 32)
    }

    /// Merges lists of (first record, index) sorted by first record, one per partition, into
    /// references in the order of their first records.
    static func mergeByFirstRecord(_ lists: [[(first: Int32, index: Int32)]]) -> [PartRef] {
        if lists.count == 1 {
            return lists[0].map { PartRef(part: 0, index: $0.index) }
        }
        var result: [PartRef] = []
        result.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        var positions = [Int](repeating: 0, count: lists.count)
        while true {
            var best = -1
            var bestRecord = Int32.max
            for (part, list) in lists.enumerated() where positions[part] < list.count && list[positions[part]].first < bestRecord {
                best = part
                bestRecord = list[positions[part]].first
            }
            guard best >= 0 else { break }
            result.append(PartRef(part: Int32(best), index: lists[best][positions[best]].index))
            positions[best] += 1
        }
        return result
    }

    func owner(_ name: DomainName) -> PartRef? {
        let hash = name.caseFoldedHash
        let part = Self.partition(hash, parts.count)
        return parts[part].findOwner(name, hash: hash).map { PartRef(part: Int32(part), index: Int32($0)) }
    }

    func set(owner: PartRef, _ type: RRType) -> PartRef? {
        parts[Int(owner.part)].set(owner: Int(owner.index), type).map { PartRef(part: owner.part, index: Int32($0)) }
    }

    func set(_ name: DomainName, _ type: RRType) -> PartRef? {
        owner(name).flatMap { set(owner: $0, type) }
    }

    func hasRRset(_ name: DomainName, _ type: RRType) -> Bool {
        set(name, type) != nil
    }

    func ownerName(of set: PartRef) -> DomainName {
        parts[Int(set.part)].ownerName(Int(parts[Int(set.part)].sets[Int(set.index)].owner))
    }

    func type(of set: PartRef) -> RRType {
        parts[Int(set.part)].sets[Int(set.index)].type
    }

    func rdatas(_ set: PartRef) -> [[UInt8]] {
        parts[Int(set.part)].rdatas(Int(set.index))
    }

    /// Calls `body` with the RDATA of each record of an RRset in order, without collecting them.
    func forEachRData(_ set: PartRef, _ body: ([UInt8]) -> Void) {
        parts[Int(set.part)].forEachRData(Int(set.index), body)
    }

    /// Owners of the RRsets of this type (one of SOA, NS, MX and SRV), in order of first appearance.
    func owners(of type: RRType) -> [DomainName] {
        notableSets.lazy.filter { self.type(of: $0) == type }.map { ownerName(of: $0) }
    }

    /// The records, grouped by RRset in order of first appearance. Every record of an RRset
    /// carries the owner spelling of the RRset's first record.
    func records() -> [ResourceRecord] {
        if outputIsInput { return input }
        var result: [ResourceRecord] = []
        result.reserveCapacity(input.count)
        let setOrder = Self.mergeByFirstRecord(parts.map { part in part.sets.indices.map { (part.sets[$0].firstRecord, Int32($0)) } })
        for ref in setOrder {
            let part = parts[Int(ref.part)]
            let set = part.sets[Int(ref.index)]
            let owner = part.ownerName(Int(set.owner))
            var member = Int(set.firstRecord)
            while member >= 0 {
                result.append(ResourceRecord(owner: owner, type: set.type, rrClass: set.rrClass, ttl: set.ttl, rdata: input[member].rdata))
                member = Int(links[member])
            }
        }
        return result
    }
}

/// The next-record links of the RRsets, shared by the partitions, which write disjoint entries.
final class RecordLinks: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Int32>

    init(count: Int) {
        storage = .allocate(capacity: max(count, 1))
        storage.initialize(repeating: -1, count: max(count, 1))
    }

    deinit { storage.deallocate() }

    subscript(index: Int) -> Int32 {
        get { storage[index] }
        set { storage[index] = newValue }
    }
}

/// The owners whose hash values fall in one partition and their RRsets.
///
/// Built for zones with millions of records: owners live in an open-addressing hash table keyed
/// by their case-folded hash, an owner's RRsets form a linked list in order of first
/// appearance, and an RRset's records form a linked list of indexes into the input array, so
/// that adding a record allocates nothing beyond the growth of a few flat arrays.
struct RRsetPartition {
    struct RRset {
        var owner: Int32
        var type: RRType
        var rrClass: RRClass
        var ttl: UInt32
        var count: Int32
        var firstRecord: Int32
        var lastRecord: Int32
        /// Next RRset of the same owner, or -1.
        var nextOfOwner: Int32
    }

    /// An owner name, which is the owner of its first record as spelled there. Not holding the
    /// name itself saves a reference count update per owner when the table is built and freed.
    struct Owner {
        var hash: Int
        var firstRecord: Int32
        var firstSet: Int32
        var lastSet: Int32
        var flagged: Bool
    }

    private let input: [ResourceRecord]
    private let links: RecordLinks
    private(set) var owners: [Owner] = []
    /// RRsets in order of first appearance.
    private(set) var sets: [RRset] = []
    /// Indexes of the RRsets of type SOA, NS, MX or SRV, and of the owners with an SOA, CNAME,
    /// DNAME or SPF RRset: all that the checks after grouping need to look at.
    private(set) var notableSets: [Int32] = []
    private(set) var flaggedOwners: [Int32] = []
    /// Owner index + 1 per slot, 0 for an empty slot. The count is a power of two.
    private var slots: [Int32]
    /// Canonical RDATA of the RRsets that have grown large, to find duplicates without a linear scan.
    private var largeSetKeys: [Int32: Set<[UInt8]>] = [:]
    private static let linearScanLimit = 16
    /// True while the RRsets hold the input records in input order: every record kept, each
    /// RRset's records next to each other, one owner spelling and one TTL per RRset. Zones
    /// written one RRset after another then need no copy.
    private(set) var outputIsInput = true

    init(input: [ResourceRecord], links: RecordLinks, expectedOwners: Int) {
        self.input = input
        self.links = links
        owners.reserveCapacity(expectedOwners)
        sets.reserveCapacity(expectedOwners)
        // Room for one owner per record at a load of at most a half: no resizing in practice.
        var slotCount = 1024
        while slotCount < expectedOwners * 2 { slotCount *= 2 }
        slots = Array(repeating: 0, count: slotCount)
    }

    /// The first slot entry for a hash, read only to bring it into the cache.
    @inline(__always)
    func slotEntry(hash: Int) -> Int32 {
        slots.withUnsafeBufferPointer { $0[hash & ($0.count - 1)] }
    }

    /// The sum of the slot entries read ahead, kept so that the compiler keeps the reads.
    var touched: Int32 = 0

    func findOwner(_ name: DomainName, hash: Int) -> Int? {
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if owners[entry - 1].hash == hash && ownerName(entry - 1) == name { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    func ownerName(_ index: Int) -> DomainName {
        input[Int(owners[index].firstRecord)].owner
    }

    private mutating func insertOwner(hash: Int, record: Int) -> Int {
        if (owners.count + 1) * 2 > slots.count {
            var grown = [Int32](repeating: 0, count: slots.count * 2)
            let mask = grown.count - 1
            for (index, owner) in owners.enumerated() {
                var slot = owner.hash & mask
                while grown[slot] != 0 { slot = (slot + 1) & mask }
                grown[slot] = Int32(index + 1)
            }
            slots = grown
        }
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        owners.append(Owner(hash: hash, firstRecord: Int32(record), firstSet: -1, lastSet: -1, flagged: false))
        slots[slot] = Int32(owners.count)
        return owners.count - 1
    }

    /// Adds input record `index` with this TTL, which becomes the RRset's TTL: the last record's TTL wins.
    /// `records` is the input array's storage.
    mutating func add(_ records: UnsafeBufferPointer<ResourceRecord>, _ index: Int, ttl: UInt32, hash: Int, ownerHint: inout Int) {
        let ownerIndex: Int
        if ownerHint >= 0, owners[ownerHint].hash == hash, records[Int(owners[ownerHint].firstRecord)].owner == records[index].owner {
            ownerIndex = ownerHint
            if records[Int(owners[ownerHint].firstRecord)].owner.wire != records[index].owner.wire { outputIsInput = false }
        } else if let found = findOwner(records[index].owner, hash: hash) {
            ownerIndex = found
            ownerHint = found
            if records[Int(owners[found].firstRecord)].owner.wire != records[index].owner.wire { outputIsInput = false }
        } else {
            ownerIndex = insertOwner(hash: hash, record: index)
            ownerHint = ownerIndex
        }
        let type = records[index].type
        // RRSIG records form one set per covered type, each with the TTL of the RRset it signs
        // (RFC 4034 section 3), as BIND 9.18 keeps them.
        let covered = type == .rrsig ? Self.coveredType(records[index].rdata) : 0
        var setIndex = Int(owners[ownerIndex].firstSet)
        while setIndex >= 0, sets[setIndex].type != type
            || (type == .rrsig && Self.coveredType(records[Int(sets[setIndex].firstRecord)].rdata) != covered)
        {
            setIndex = Int(sets[setIndex].nextOfOwner)
        }
        if setIndex < 0 {
            sets.append(RRset(
                owner: Int32(ownerIndex), type: type, rrClass: records[index].rrClass, ttl: ttl, count: 1,
                firstRecord: Int32(index), lastRecord: Int32(index), nextOfOwner: -1))
            let newIndex = Int32(sets.count - 1)
            if owners[ownerIndex].lastSet >= 0 {
                sets[Int(owners[ownerIndex].lastSet)].nextOfOwner = newIndex
            } else {
                owners[ownerIndex].firstSet = newIndex
            }
            owners[ownerIndex].lastSet = newIndex
            switch type {
            case .soa, .ns, .mx, .srv: notableSets.append(newIndex)
            default: break
            }
            switch type {
            case .soa, .cname, .dname, .spf:
                if !owners[ownerIndex].flagged {
                    owners[ownerIndex].flagged = true
                    flaggedOwners.append(Int32(ownerIndex))
                }
            default: break
            }
            return
        }
        if sets[setIndex].lastRecord != Int32(index - 1) || sets[setIndex].ttl != ttl { outputIsInput = false }
        sets[setIndex].ttl = ttl
        if contains(setIndex, rdata: records[index].rdata) {
            outputIsInput = false
            return
        }
        links[Int(sets[setIndex].lastRecord)] = Int32(index)
        sets[setIndex].lastRecord = Int32(index)
        sets[setIndex].count += 1
        if sets[setIndex].count > Self.linearScanLimit {
            largeSetKeys[Int32(setIndex), default: []].insert(CanonicalRData.key(type: type, rdata: records[index].rdata))
        }
    }

    /// The Type Covered field of RRSIG RDATA, or 0 when the RDATA is too short to have one.
    static func coveredType(_ rdata: [UInt8]) -> UInt16 {
        rdata.count >= 2 ? UInt16(rdata[0]) << 8 | UInt16(rdata[1]) : 0
    }

    /// Whether the RRset already holds RDATA equal to `rdata` in canonical form.
    private mutating func contains(_ setIndex: Int, rdata: [UInt8]) -> Bool {
        let set = sets[setIndex]
        if set.count >= Self.linearScanLimit {
            let key = CanonicalRData.key(type: set.type, rdata: rdata)
            if set.count == Self.linearScanLimit, largeSetKeys[Int32(setIndex)] == nil {
                var keys = Set<[UInt8]>()
                for member in rdatas(setIndex) { keys.insert(CanonicalRData.key(type: set.type, rdata: member)) }
                largeSetKeys[Int32(setIndex)] = keys
            }
            return largeSetKeys[Int32(setIndex)]!.contains(key)
        }
        var member = Int(set.firstRecord)
        while member >= 0 {
            if CanonicalRData.equal(type: set.type, input[member].rdata, rdata) { return true }
            member = Int(links[member])
        }
        return false
    }

    func forEachRData(_ setIndex: Int, _ body: ([UInt8]) -> Void) {
        var member = Int(sets[setIndex].firstRecord)
        while member >= 0 {
            body(input[member].rdata)
            member = Int(links[member])
        }
    }

    /// The RDATA of an RRset in order.
    func rdatas(_ setIndex: Int) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var member = Int(sets[setIndex].firstRecord)
        while member >= 0 {
            result.append(input[member].rdata)
            member = Int(links[member])
        }
        return result
    }

    /// Index of the RRset of this owner index and type.
    func set(owner: Int, _ type: RRType) -> Int? {
        var setIndex = Int(owners[owner].firstSet)
        while setIndex >= 0 {
            if sets[setIndex].type == type { return setIndex }
            setIndex = Int(sets[setIndex].nextOfOwner)
        }
        return nil
    }
}

/// The canonical form of RDATA (RFC 4034 section 6.2): names in the listed types in lower case.
/// Used to sort an RRset and to find duplicate records.
public enum CanonicalRData {
    public static func key(type: RRType, rdata: [UInt8]) -> [UInt8] {
        var nameOffsets: [Int] = []
        switch type {
        case .ns, .md, .mf, .cname, .mb, .mg, .mr, .ptr, .dname:
            nameOffsets = [0]
        case .soa, .minfo, .rp:
            if let end = RDataNames.nameEnd(rdata, at: 0) { nameOffsets = [0, end] }
        case .mx, .afsdb, .kx:
            nameOffsets = [2]
        case .srv:
            nameOffsets = [6]
        default:
            return rdata
        }
        var result = rdata
        for offset in nameOffsets {
            guard let end = RDataNames.nameEnd(rdata, at: offset) else { return rdata }
            for index in offset..<end {
                result[index] = result[index] >= 0x41 && result[index] <= 0x5A ? result[index] | 0x20 : result[index]
            }
        }
        return result
    }

    /// Whether two RDATA of one type are equal in canonical form.
    public static func equal(type: RRType, _ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        switch type {
        case .ns, .md, .mf, .cname, .mb, .mg, .mr, .ptr, .dname, .soa, .minfo, .rp, .mx, .afsdb, .kx, .srv:
            return key(type: type, rdata: a) == key(type: type, rdata: b)
        default:
            return a == b
        }
    }
}
