import DNSWire

/// The checks BIND 9.18 makes when it loads a zone, with BIND's wording where it has one.
public enum ZoneValidator {
    /// Checks the records of one zone and returns those to keep: out-of-zone records removed,
    /// duplicate records merged, and each RRset given one TTL. Records of an RRset that reach
    /// this function with different TTLs all get the TTL of the last of them, which is what
    /// BIND 9.18 keeps when a later group of lines adds to an RRset.
    /// `checkIntegrity: false` skips the checks of NS, MX and SRV targets, as `named-checkzone -i none` does.
    public static func validate(
        origin: DomainName, records: [ResourceRecord], file: String, checkIntegrity: Bool = true
    ) -> (records: [ResourceRecord], diagnostics: [ZoneDiagnostic]) {
        var diagnostics: [ZoneDiagnostic] = []
        func report(_ severity: ZoneDiagnostic.Severity, _ message: String) {
            diagnostics.append(ZoneDiagnostic(severity: severity, file: file, line: 0, message: message))
        }

        let zoneClass = records.first(where: { $0.type == .soa })?.rrClass ?? records.first?.rrClass ?? .in
        var sets = RRsetTable(input: records)
        var ownerHint = -1
        var lastOwnerInZone: DomainName? = nil
        for (index, record) in records.enumerated() {
            // Records of one owner usually follow each other: check the zone only once per owner.
            if lastOwnerInZone == nil || lastOwnerInZone! != record.owner {
                guard record.owner.isSubdomain(of: origin) else {
                    sets.dropped()
                    report(.warning, "ignoring out-of-zone data (\(record.owner.descriptionWithoutDot))")
                    continue
                }
                lastOwnerInZone = record.owner
            }
            if record.rrClass != zoneClass {
                report(.error, "\(record.owner.descriptionWithoutDot): class '\(record.rrClass)' != zone class '\(zoneClass)'")
                sets.dropped()
                continue
            }
            var ttl = record.ttl
            if ttl > 0x7FFF_FFFF {
                report(.warning, "\(record.owner.descriptionWithoutDot)/\(record.type): TTL \(record.ttl) > MAXTTL, setting TTL to 0")
                ttl = 0
                sets.dropped()
            }
            sets.add(index, ttl: ttl, ownerHint: &ownerHint)
        }

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
        for ownerIndex in sets.owners.indices {
            let owner = sets.owners[ownerIndex]
            // The common owner has one or two RRsets and none of the types checked here.
            var hasSingleton = false
            var hasSPF = false
            var hasCNAME = false
            var hasOther = false
            var setIndex = Int(owner.firstSet)
            while setIndex >= 0 {
                let set = sets.sets[setIndex]
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
            var name: String { owner.name.descriptionWithoutDot }
            for type in [RRType.soa, .cname, .dname] {
                if let set = sets.set(owner: ownerIndex, type), sets.sets[set].count > 1 {
                    report(.error, "\(name): multiple RRs of singleton type")
                }
            }
            if hasSPF {
                let txt = sets.set(owner: ownerIndex, .txt).map { sets.rdatas($0) } ?? []
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
        for type in [RRType.mx, .srv] {
            for (setIndex, set) in sets.sets.enumerated() where set.type == type {
                let owner = sets.owners[Int(set.owner)].name
                for rdata in sets.rdatas(setIndex) {
                    guard let target = RDataNames.additionalTarget(type: type, rdata: rdata),
                        target.isSubdomain(of: origin), sets.hasRRset(target, .cname)
                    else { continue }
                    report(.warning, "\(owner.descriptionWithoutDot)/\(type) '\(target.descriptionWithoutDot)' is a CNAME (illegal)")
                }
            }
        }
    }
}

/// RRsets keyed by owner and type, remembering the order in which they first appeared.
///
/// Built for zones with millions of records: owners live in an open-addressing hash table keyed
/// by their lower-cased wire form, an owner's RRsets form a linked list in order of first
/// appearance, and an RRset's records form a linked list of indexes into the input array, so
/// that adding a record allocates nothing beyond the growth of a few flat arrays.
struct RRsetTable {
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

    struct Owner {
        var name: DomainName
        var hash: Int
        var firstSet: Int32
        var lastSet: Int32
    }

    private let input: [ResourceRecord]
    private(set) var owners: [Owner] = []
    /// RRsets in order of first appearance.
    private(set) var sets: [RRset] = []
    /// For each input record kept in an RRset, the next record of that RRset, or -1.
    private var nextRecord: [Int32]
    /// Owner index + 1 per slot, 0 for an empty slot. The count is a power of two.
    private var slots: [Int32]
    /// Canonical RDATA of the RRsets that have grown large, to find duplicates without a linear scan.
    private var largeSetKeys: [Int32: Set<[UInt8]>] = [:]
    private static let linearScanLimit = 16
    /// True while `records()` equals the input: every record kept, each RRset's records next to
    /// each other, one owner spelling and one TTL per RRset. Zones written one RRset after
    /// another then need no copy.
    private var outputIsInput = true

    init(input: [ResourceRecord]) {
        self.input = input
        nextRecord = Array(repeating: -1, count: input.count)
        // Room for one owner per record at a load of at most a half: no resizing in practice.
        var slotCount = 1024
        while slotCount < input.count * 2 { slotCount *= 2 }
        slots = Array(repeating: 0, count: slotCount)
        owners.reserveCapacity(input.count / 2)
        sets.reserveCapacity(input.count / 2)
    }

    private func findOwner(_ name: DomainName, hash: Int) -> Int? {
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if owners[entry - 1].hash == hash && owners[entry - 1].name == name { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    private mutating func insertOwner(_ name: DomainName, hash: Int) -> Int {
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
        owners.append(Owner(name: name, hash: hash, firstSet: -1, lastSet: -1))
        slots[slot] = Int32(owners.count)
        return owners.count - 1
    }

    /// Notes that a record was left out or changed before `add`.
    mutating func dropped() {
        outputIsInput = false
    }

    /// Index of the owner, or nil when no record has this owner.
    func owner(_ name: DomainName) -> Int? {
        findOwner(name, hash: name.caseFoldedHash)
    }

    /// Adds input record `index`, whose owner was found or inserted as `owner` by the caller.
    /// `ttl` replaces the RRset's TTL: the last record's TTL wins.
    mutating func add(_ index: Int, ttl: UInt32, ownerHint: inout Int) {
        let record = input[index]
        let ownerIndex: Int
        if ownerHint >= 0, owners[ownerHint].name.wire.count == record.owner.wire.count, owners[ownerHint].name == record.owner {
            ownerIndex = ownerHint
            if owners[ownerHint].name.wire != record.owner.wire { outputIsInput = false }
        } else {
            let hash = record.owner.caseFoldedHash
            if let found = findOwner(record.owner, hash: hash) {
                ownerIndex = found
                if owners[found].name.wire != record.owner.wire { outputIsInput = false }
            } else {
                ownerIndex = insertOwner(record.owner, hash: hash)
            }
            ownerHint = ownerIndex
        }
        var setIndex = Int(owners[ownerIndex].firstSet)
        while setIndex >= 0, sets[setIndex].type != record.type {
            setIndex = Int(sets[setIndex].nextOfOwner)
        }
        if setIndex < 0 {
            sets.append(RRset(
                owner: Int32(ownerIndex), type: record.type, rrClass: record.rrClass, ttl: ttl, count: 1,
                firstRecord: Int32(index), lastRecord: Int32(index), nextOfOwner: -1))
            let newIndex = Int32(sets.count - 1)
            if owners[ownerIndex].lastSet >= 0 {
                sets[Int(owners[ownerIndex].lastSet)].nextOfOwner = newIndex
            } else {
                owners[ownerIndex].firstSet = newIndex
            }
            owners[ownerIndex].lastSet = newIndex
            return
        }
        if setIndex != sets.count - 1 || sets[setIndex].ttl != ttl { outputIsInput = false }
        sets[setIndex].ttl = ttl
        if contains(setIndex, rdata: record.rdata) {
            outputIsInput = false
            return
        }
        nextRecord[Int(sets[setIndex].lastRecord)] = Int32(index)
        sets[setIndex].lastRecord = Int32(index)
        sets[setIndex].count += 1
        if sets[setIndex].count > Self.linearScanLimit {
            largeSetKeys[Int32(setIndex), default: []].insert(CanonicalRData.key(type: record.type, rdata: record.rdata))
        }
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
            member = Int(nextRecord[member])
        }
        return false
    }

    /// The RDATA of an RRset in order.
    func rdatas(_ setIndex: Int) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var member = Int(sets[setIndex].firstRecord)
        while member >= 0 {
            result.append(input[member].rdata)
            member = Int(nextRecord[member])
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

    func set(_ name: DomainName, _ type: RRType) -> Int? {
        guard let owner = owner(name) else { return nil }
        return set(owner: owner, type)
    }

    func hasRRset(_ name: DomainName, _ type: RRType) -> Bool {
        set(name, type) != nil
    }

    /// Owners of the RRsets of this type, in order of first appearance.
    func owners(of type: RRType) -> [DomainName] {
        sets.lazy.filter { $0.type == type }.map { owners[Int($0.owner)].name }
    }

    /// The records, grouped by RRset in order of first appearance. Every record of an RRset
    /// carries the owner spelling of the RRset's first record.
    func records() -> [ResourceRecord] {
        if outputIsInput && sets.reduce(0, { $0 + Int($1.count) }) == input.count { return input }
        var result: [ResourceRecord] = []
        result.reserveCapacity(input.count)
        for set in sets {
            let owner = owners[Int(set.owner)].name
            var member = Int(set.firstRecord)
            while member >= 0 {
                result.append(ResourceRecord(owner: owner, type: set.type, rrClass: set.rrClass, ttl: set.ttl, rdata: input[member].rdata))
                member = Int(nextRecord[member])
            }
        }
        return result
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
