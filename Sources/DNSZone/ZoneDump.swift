import DNSWire

/// Prints a zone the way BIND 9.18's `named-checkzone -D` does: one record per line, absolute
/// owner names, names in DNSSEC canonical order (RFC 4034 section 6.1), the SOA first at each
/// name and then the other types in numeric order, and each RRset sorted by canonical RDATA.
public enum ZoneDump {
    // Column positions and tab width of BIND's "full" master-file style.
    static let ttlColumn = 46
    static let classColumn = 46
    static let typeColumn = 46
    static let rdataColumn = 64
    static let tabWidth = 8

    public static func format(_ records: [ResourceRecord]) -> String {
        var output = ""
        for record in sorted(records) {
            output += line(record)
            output += "\n"
        }
        return output
    }

    /// The records in dump order.
    public static func sorted(_ records: [ResourceRecord]) -> [ResourceRecord] {
        // Owner spelling comes from the first record seen at each name.
        var spelling: [DomainName: DomainName] = [:]
        for record in records where spelling[record.owner] == nil {
            spelling[record.owner] = record.owner
        }
        let keyed = records.map { record in
            (record: record, rdataKey: CanonicalRData.key(type: record.type, rdata: record.rdata))
        }
        let ordered = keyed.sorted { left, right in
            if left.record.owner != right.record.owner {
                return left.record.owner < right.record.owner
            }
            let leftType = typeRank(left.record.type), rightType = typeRank(right.record.type)
            if leftType != rightType { return leftType < rightType }
            return left.rdataKey.lexicographicallyPrecedes(right.rdataKey)
        }
        return ordered.map { entry in
            var record = entry.record
            record.owner = spelling[record.owner] ?? record.owner
            return record
        }
    }

    // NOTE: BIND sorts an RRSIG right after the type it covers. RRSIG RDATA is kept here in
    // generic form, so RRSIG sorts by its own type number.
    static func typeRank(_ type: RRType) -> Int {
        type == .soa ? 0 : Int(type.rawValue)
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
