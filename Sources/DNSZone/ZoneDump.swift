#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DNSWire

/// Prints a zone the way BIND 9.18's `named-checkzone -D` does (its "full" style): one record
/// per line, absolute owner names, each RRset sorted by canonical RDATA.
///
/// The order is that of Debian's BIND 9.18.49, found by comparing its output (BINDDumpComparisonTests):
/// - owner names in DNSSEC canonical order (RFC 4034 section 6.1), except that NSEC3 records
///   and the RRSIGs that cover them live in a tree of their own, which comes after all other
///   names;
/// - at each name the SOA first, then NS, then the other types by number, and every RRSIG
///   RRset (one per covered type) right after the type it covers.
public enum ZoneDump {
    // Column positions and tab width of BIND's "full" master-file style.
    static let ttlColumn = 46
    static let classColumn = 46
    static let typeColumn = 46
    static let rdataColumn = 64
    static let tabWidth = 8

    /// Prints records that need no load-order details, as `rndc dumpdb` does: the owner of each
    /// name is spelled as in its first record, and no re-signing comments are printed.
    public static func format(_ records: [ResourceRecord]) -> String {
        var output = ""
        for record in sorted(records) {
            output += line(record)
            output += "\n"
        }
        return output
    }

    /// Prints a zone as `named-checkzone -D` does right after loading it. `fileOrder` contains the
    /// records as the parser returned them, in file order. From it come two details that the
    /// merged records lack:
    /// - the owner spelling of each RRset, which is that of its first record;
    /// - after each RRSIG RRset, the `; resign=` comment BIND prints, with `now` used for
    ///   signatures whose inception lies in the future.
    public static func format(_ records: [ResourceRecord], fileOrder: [ResourceRecord], now: UInt32 = currentTime()) -> String {
        let history = LoadHistory(fileOrder, now: now)
        let ordered = sorted(records)
        var output = ""
        for (index, var record) in ordered.enumerated() {
            let key = RRsetKey(record)
            if let spelling = history.spelling[key] {
                record.owner = spelling
            }
            output += line(record)
            output += "\n"
            let endsRRset = index + 1 == ordered.count || RRsetKey(ordered[index + 1]) != key
            if record.type == .rrsig, endsRRset, let resign = history.resignTime(key) {
                output += "; resign=\(SignatureTime.absoluteText(resign))\n"
            }
        }
        return output
    }

    public static func currentTime() -> UInt32 {
        UInt32(truncatingIfNeeded: time(nil))
    }

    /// The records in dump order. Owner spelling comes from the first record seen at each name.
    public static func sorted(_ records: [ResourceRecord]) -> [ResourceRecord] {
        var spelling: [DomainName: DomainName] = [:]
        for record in records where spelling[record.owner] == nil {
            spelling[record.owner] = record.owner
        }
        // Sort keys are computed once per record: comparing names directly builds their labels
        // on every comparison.
        var ownerKeys: [DomainName: [UInt16]] = [:]
        let keyed = records.map { record in
            let ownerKey: [UInt16]
            if let known = ownerKeys[record.owner] {
                ownerKey = known
            } else {
                ownerKey = canonicalKey(record.owner)
                ownerKeys[record.owner] = ownerKey
            }
            return (record: record, ownerKey: ownerKey, typeKey: typeKey(record), isNSEC3Tree: isInNSEC3Tree(record),
                    rdataKey: CanonicalRData.key(type: record.type, rdata: record.rdata))
        }
        let ordered = keyed.sorted { left, right in
            if left.isNSEC3Tree != right.isNSEC3Tree {
                return right.isNSEC3Tree
            }
            if left.ownerKey != right.ownerKey {
                return left.ownerKey.lexicographicallyPrecedes(right.ownerKey)
            }
            if left.typeKey != right.typeKey { return left.typeKey < right.typeKey }
            return left.rdataKey.lexicographicallyPrecedes(right.rdataKey)
        }
        return ordered.map { entry in
            var record = entry.record
            record.owner = spelling[record.owner] ?? record.owner
            return record
        }
    }

    /// A key whose lexicographic order is the canonical order of names (RFC 4034 section 6.1):
    /// the labels from the rightmost, each as its lower-cased octets plus one, then a 0 that
    /// sorts a label before every longer label that starts with it.
    static func canonicalKey(_ name: DomainName) -> [UInt16] {
        var key: [UInt16] = []
        key.reserveCapacity(name.wire.count)
        for label in name.labels.reversed() {
            for byte in label {
                let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                key.append(UInt16(lower) + 1)
            }
            key.append(0)
        }
        return key
    }

    /// The rank of a record's RRset at its name: SOA, then NS, then the other types by number,
    /// each RRSIG RRset right after the type it covers.
    static func typeKey(_ record: ResourceRecord) -> Int {
        let isSignature = record.type == .rrsig
        let type = isSignature ? coveredType(record) : record.type.rawValue
        let rank: Int
        switch type {
        case RRType.soa.rawValue: rank = 0
        case RRType.ns.rawValue: rank = 1
        default: rank = Int(type) + 2
        }
        return rank << 1 | (isSignature ? 1 : 0)
    }

    /// The type an RRSIG record covers, from the first two octets of its RDATA.
    static func coveredType(_ record: ResourceRecord) -> UInt16 {
        guard record.rdata.count >= 2 else { return 0 }
        return UInt16(record.rdata[0]) << 8 | UInt16(record.rdata[1])
    }

    /// Whether BIND keeps the record in its NSEC3 tree: NSEC3 records and the RRSIGs covering them.
    static func isInNSEC3Tree(_ record: ResourceRecord) -> Bool {
        record.type == .nsec3 || (record.type == .rrsig && coveredType(record) == RRType.nsec3.rawValue)
    }

    /// One record as a line without the line end.
    public static func line(_ record: ResourceRecord) -> String {
        var text = record.owner.description
        var column = text.utf8.count
        indent(&text, &column, to: ttlColumn)
        let ttl = String(record.ttl)
        text += ttl
        column += ttl.utf8.count
        indent(&text, &column, to: classColumn)
        let rrClass = record.rrClass.description
        text += rrClass
        column += rrClass.utf8.count
        indent(&text, &column, to: typeColumn)
        let type = record.type.description
        text += type
        column += type.utf8.count
        indent(&text, &column, to: rdataColumn)
        text += RDataText.format(type: record.type, rdata: record.rdata)
        return text
    }

    /// Advances to `target` with tabs where they fit and spaces after them, or by one space
    /// when the text already reaches the target. The column then counts as `target`.
    static func indent(_ text: inout String, _ column: inout Int, to target: Int) {
        let goal = max(target, column + 1)
        let tabs = goal / tabWidth - column / tabWidth
        if tabs > 0 {
            text += String(repeating: "\t", count: tabs)
            text += String(repeating: " ", count: goal % tabWidth)
        } else {
            text += String(repeating: " ", count: goal - column)
        }
        column = goal
    }
}

/// An RRset as BIND stores it: owner (any case), type, and for RRSIG the covered type.
struct RRsetKey: Hashable {
    var owner: DomainName
    var type: RRType
    var covered: UInt16

    init(_ record: ResourceRecord) {
        owner = record.owner
        type = record.type
        covered = record.type == .rrsig ? ZoneDump.coveredType(record) : 0
    }
}

/// What BIND 9.18's loader remembers about each RRset from the order of the zone file.
///
/// The loader collects records in batches: a batch ends where the owner name changes, compared
/// with its letter case. Each batch is added to the database RRset by RRset. An RRset keeps the
/// owner spelling of the batch that created it. An RRSIG RRset created by one batch gets a
/// re-signing time: the earliest signature expiration, or the load time when a signature's
/// inception lies in the future. A later batch that adds a new signature to the RRset merges
/// it, and the merged RRset has no re-signing time. A batch that adds only duplicates leaves
/// the RRset as it was.
struct LoadHistory {
    struct Signatures {
        var firstBatch: Int
        var rdatas: Set<[UInt8]>
        var resign: UInt32
        var merged = false
    }

    private(set) var spelling: [RRsetKey: DomainName] = [:]
    private var signatures: [RRsetKey: Signatures] = [:]

    // NOTE: BIND also ends a batch at `$INCLUDE` and at out-of-zone records, and keeps glue for
    // a delegation in a batch of its own. The parsed records do not show those boundaries, so
    // an RRSIG RRset split only by one of them still gets its `; resign=` comment here.
    init(_ records: [ResourceRecord], now: UInt32) {
        var batch = 0
        var previousOwner: [UInt8]? = nil
        for record in records {
            if previousOwner != record.owner.wire {
                batch += 1
                previousOwner = record.owner.wire
            }
            let key = RRsetKey(record)
            if spelling[key] == nil {
                spelling[key] = record.owner
            }
            guard record.type == .rrsig else { continue }
            let resign = Self.resignTime(record.rdata, now: now)
            guard var entry = signatures[key] else {
                signatures[key] = Signatures(firstBatch: batch, rdatas: [record.rdata], resign: resign)
                continue
            }
            if entry.firstBatch == batch {
                entry.rdatas.insert(record.rdata)
                entry.resign = min(entry.resign, resign)
            } else if !entry.rdatas.contains(record.rdata) {
                entry.merged = true
                entry.rdatas.insert(record.rdata)
            }
            signatures[key] = entry
        }
    }

    /// The `; resign=` time of an RRSIG RRset, or nil when BIND prints none.
    func resignTime(_ key: RRsetKey) -> UInt32? {
        guard let entry = signatures[key], !entry.merged else { return nil }
        return entry.resign
    }

    /// The expiration of one signature, or `now` when its inception is later than `now` in
    /// serial number arithmetic (RFC 1982).
    static func resignTime(_ rdata: [UInt8], now: UInt32) -> UInt32 {
        guard rdata.count >= 16 else { return now }
        func field(_ offset: Int) -> UInt32 {
            rdata[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let expiration = field(8)
        let inception = field(12)
        let difference = inception &- now
        if difference != 0 && difference < 0x8000_0000 {
            return now
        }
        return expiration
    }
}
