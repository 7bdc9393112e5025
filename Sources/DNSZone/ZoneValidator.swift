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
        var sets = RRsetTable()
        for var record in records {
            guard record.owner.isSubdomain(of: origin) else {
                report(.warning, "ignoring out-of-zone data (\(record.owner.descriptionWithoutDot))")
                continue
            }
            if record.rrClass != zoneClass {
                report(.error, "\(record.owner.descriptionWithoutDot): class '\(record.rrClass)' != zone class '\(zoneClass)'")
                continue
            }
            if record.ttl > 0x7FFF_FFFF {
                report(.warning, "\(record.owner.descriptionWithoutDot)/\(record.type): TTL \(record.ttl) > MAXTTL, setting TTL to 0")
                record.ttl = 0
            }
            sets.add(record)
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
        let apexSOA = sets.rrset(origin, .soa)
        if apexSOA == nil {
            report(.error, "has 0 SOA records")
        }
        for owner in soaOwners where owner != origin {
            report(.error, "SOA record not at top of zone (\(owner.descriptionWithoutDot))")
        }
        if sets.rrset(origin, .ns) == nil {
            report(.error, "has no NS records")
        }
    }

    static func checkSingletons(sets: RRsetTable, report: (ZoneDiagnostic.Severity, String) -> Void) {
        for (owner, types) in sets.typesByOwner() {
            let name = owner.descriptionWithoutDot
            for type in [RRType.soa, .cname, .dname] {
                if let rrset = sets.rrset(owner, type), rrset.rdatas.count > 1 {
                    report(.error, "\(name): multiple RRs of singleton type")
                }
            }
            if types.contains(.spf) {
                let txt = sets.rrset(owner, .txt)?.rdatas ?? []
                let hasSPFText = txt.contains { rdata in
                    rdata.count > 1 && Array(rdata[1..<min(rdata.count, 1 + Int(rdata[0]))]).starts(with: Array("v=spf1".utf8))
                }
                if !hasSPFText {
                    report(.warning, "'\(name)' found type SPF record but no SPF TXT record found, add matching type TXT record")
                }
            }
            // CNAME may share its name only with DNSSEC records (RFC 2181 section 10.1, RFC 4035).
            if types.contains(.cname), types.contains(where: { ![.cname, .rrsig, .nsec, .key].contains($0) }) {
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
            sets.rrset(name, .a) != nil || sets.rrset(name, .aaaa) != nil
        }

        for owner in sets.owners(of: .ns) {
            guard let rrset = sets.rrset(owner, .ns) else { continue }
            for rdata in rrset.rdatas {
                guard let target = RDataNames.singleName(rdata), target.isSubdomain(of: origin) else { continue }
                let targetName = target.descriptionWithoutDot
                if owner == origin {
                    if belowCut(target) == nil && !hasAddress(target) {
                        report(.error, "NS '\(targetName)' has no address records (A or AAAA)")
                    }
                } else if target.isSubdomain(of: owner) && !hasAddress(target) {
                    report(.warning, "\(owner.descriptionWithoutDot)/NS '\(targetName)' has no REQUIRED GLUE address records (A or AAAA)")
                }
            }
        }
        for type in [RRType.mx, .srv] {
            for owner in sets.owners(of: type) {
                guard let rrset = sets.rrset(owner, type) else { continue }
                for rdata in rrset.rdatas {
                    guard let target = RDataNames.additionalTarget(type: type, rdata: rdata),
                        target.isSubdomain(of: origin), sets.rrset(target, .cname) != nil
                    else { continue }
                    report(.warning, "\(owner.descriptionWithoutDot)/\(type) '\(target.descriptionWithoutDot)' is a CNAME (illegal)")
                }
            }
        }
    }
}

/// RRsets keyed by owner and type, remembering the order in which they first appeared.
struct RRsetTable {
    struct Key: Hashable {
        var owner: DomainName
        var type: RRType
    }

    struct RRset {
        var owner: DomainName
        var type: RRType
        var rrClass: RRClass
        var ttl: UInt32
        var rdatas: [[UInt8]]
        var canonicalRdatas: Set<[UInt8]>
    }

    private(set) var order: [Key] = []
    private var sets: [Key: RRset] = [:]
    private var ownerTypes: [DomainName: [RRType]] = [:]
    private var ownerOrder: [DomainName] = []

    mutating func add(_ record: ResourceRecord) {
        let key = Key(owner: record.owner, type: record.type)
        let canonical = CanonicalRData.key(type: record.type, rdata: record.rdata)
        if var existing = sets[key] {
            existing.ttl = record.ttl
            if !existing.canonicalRdatas.contains(canonical) {
                existing.canonicalRdatas.insert(canonical)
                existing.rdatas.append(record.rdata)
            }
            sets[key] = existing
            return
        }
        sets[key] = RRset(
            owner: record.owner, type: record.type, rrClass: record.rrClass, ttl: record.ttl,
            rdatas: [record.rdata], canonicalRdatas: [canonical])
        order.append(key)
        if ownerTypes[record.owner] == nil {
            ownerOrder.append(record.owner)
        }
        ownerTypes[record.owner, default: []].append(record.type)
    }

    func rrset(_ owner: DomainName, _ type: RRType) -> RRset? {
        sets[Key(owner: owner, type: type)]
    }

    func owners(of type: RRType) -> [DomainName] {
        order.filter { $0.type == type }.map(\.owner)
    }

    func typesByOwner() -> [(DomainName, [RRType])] {
        ownerOrder.map { ($0, ownerTypes[$0] ?? []) }
    }

    /// The records, grouped by RRset in order of first appearance. Every record of an RRset
    /// carries the owner spelling of the RRset's first record.
    func records() -> [ResourceRecord] {
        var result: [ResourceRecord] = []
        for key in order {
            guard let rrset = sets[key] else { continue }
            for rdata in rrset.rdatas {
                result.append(ResourceRecord(owner: rrset.owner, type: rrset.type, rrClass: rrset.rrClass, ttl: rrset.ttl, rdata: rdata))
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
}
