import DNSWire

/// The `check-names` action for a name that breaks the host name rules.
public enum CheckNamesMode: String, Sendable, Equatable {
    /// The record is an error and the zone does not load (BIND's default for primary zones).
    case fail
    /// The record loads with a warning (the default for secondary zones and named-checkzone).
    case warn
    case ignore
}

/// The `check-names` rules of BIND 9.18, per type as BIND 9.18.49's named-checkzone applies them.
/// Host names (RFC 952 as relaxed by RFC 1123 section 2.1) are required for the owners of A,
/// AAAA, WKS and MX records and for the names in NS, MX, SRV, AFSDB, RT, reverse-zone PTR and
/// the SOA MNAME. Mailbox names are required in SOA RNAME, RP and MINFO data and as MB and MG owners.
public enum CheckNames {
    /// The text BIND gives for a bad owner name.
    public static let badOwnerName = "bad owner name (check-names)"
    /// The text BIND gives for a bad name inside RDATA.
    public static let badName = "bad name (check-names)"

    static let rt = RRType(rawValue: 21)
    static let reverseZones = ["in-addr.arpa.", "ip6.arpa.", "ip6.int."].compactMap { try? DomainName(parsing: $0) }

    /// Checks the owner and the names inside the RDATA of one record and appends what is wrong
    /// to `diagnostics`: errors in `fail` mode, warnings in `warn` mode, in BIND's wording.
    static func check(owner: DomainName, type: RRType, rrClass: RRClass, rdata: [UInt8], mode: CheckNamesMode,
                      origin: DomainName, file: String, line: Int, into diagnostics: inout [ZoneDiagnostic]) {
        guard mode != .ignore else { return }
        let severity: ZoneDiagnostic.Severity = mode == .fail ? .error : .warning
        if !isValidOwner(owner, type: type, rrClass: rrClass) {
            // BIND prints this message without "warning:" in warn mode, unlike the RDATA one.
            diagnostics.append(ZoneDiagnostic(severity: severity, file: file, line: line,
                                              message: "\(owner.descriptionWithoutDot): \(badOwnerName)"))
        }
        let badNames = badRDataNames(owner: owner, type: type, rrClass: rrClass, rdata: rdata)
        if mode == .fail, let name = badNames.first {
            // BIND's RDATA parser stops at the first bad name of a record in fail mode.
            diagnostics.append(ZoneDiagnostic(severity: .error, file: file, line: line,
                                              message: "near '\(writtenForm(name, origin: origin))': \(badName)",
                                              source: "dns_rdata_fromtext"))
            return
        }
        for name in badNames {
            diagnostics.append(ZoneDiagnostic(severity: .warning, file: file, line: line,
                                              message: "warning: \(name.descriptionWithoutDot): \(badName)"))
        }
    }

    /// Returns the name as a zone file most likely wrote it: relative to `origin` when below it,
    /// otherwise absolute with the trailing dot. BIND quotes the token as written, which a
    /// parsed record no longer has.
    static func writtenForm(_ name: DomainName, origin: DomainName) -> String {
        guard name.labelCount > origin.labelCount, name.isSubdomain(of: origin) else { return name.description }
        let text = name.descriptionWithoutDot
        let suffix = origin.descriptionWithoutDot
        return origin.labelCount == 0 ? text : String(text.dropLast(suffix.count + 1))
    }

    /// Returns the reason BIND gives for a failed load when `diagnostics` contains a
    /// check-names error: the text of the first one.
    public static func failureReason(_ diagnostics: [ZoneDiagnostic]) -> String? {
        for diagnostic in diagnostics where diagnostic.severity == .error {
            if diagnostic.message.hasSuffix(badOwnerName) { return badOwnerName }
            if diagnostic.message.hasSuffix(badName) { return badName }
        }
        return nil
    }

    static func isValidOwner(_ owner: DomainName, type: RRType, rrClass: RRClass) -> Bool {
        switch type {
        case .a where rrClass == .in:
            // Active Directory's gc._msdcs.FOREST names are accepted when FOREST is a host name.
            let wire = owner.wire
            let prefix = Self.gcMsdcs.count
            if startsWithGcMsdcs(wire), owner.labelCount > 2 {
                return isHostname(wire[prefix...], wildcard: false)
            }
            return isHostname(wire[...], wildcard: true)
        case .aaaa, .mx, .wks:
            return isHostname(owner.wire[...], wildcard: true)
        case .mb, .mg:
            return isMailbox(owner.wire[...])
        default:
            return true
        }
    }

    /// Whether a wire name is longer than `gcMsdcs` and starts with it, in any case. It compares
    /// in place because every A record's owner goes through it.
    static func startsWithGcMsdcs(_ wire: [UInt8]) -> Bool {
        guard wire.count > gcMsdcs.count else { return false }
        for index in 0..<gcMsdcs.count where asciiLower(wire[index]) != gcMsdcs[index] {
            return false
        }
        return true
    }

    /// `\x02gc\x07_msdcs`, the wire form of the first two labels of an AD global catalog name.
    static let gcMsdcs: [UInt8] = [2] + Array("gc".utf8) + [6] + Array("_msdcs".utf8)

    /// Returns the names inside `rdata` that break the rule for their field.
    static func badRDataNames(owner: DomainName, type: RRType, rrClass: RRClass, rdata: [UInt8]) -> [DomainName] {
        var bad: [DomainName] = []
        func checkName(at offset: Int, mailbox: Bool) -> Int? {
            guard offset < rdata.count, let end = RDataNames.nameEnd(rdata, at: offset) else { return nil }
            let slice = rdata[offset..<end]
            let valid = mailbox ? isMailbox(slice) : isHostname(slice, wildcard: false)
            if !valid { bad.append(DomainName(uncheckedWire: Array(slice))) }
            return end
        }
        switch type {
        case .ns:
            _ = checkName(at: 0, mailbox: false)
        case .mx, .afsdb, rt:
            _ = checkName(at: 2, mailbox: false)
        case .srv:
            _ = checkName(at: 6, mailbox: false)
        case .soa:
            if let end = checkName(at: 0, mailbox: false) { _ = checkName(at: end, mailbox: true) }
        case .rp:
            _ = checkName(at: 0, mailbox: true)
        case .minfo:
            if let end = checkName(at: 0, mailbox: true) { _ = checkName(at: end, mailbox: true) }
        case .ptr where rrClass == .in:
            // NOTE: BIND decides by the $ORIGIN in force where the record is written, which
            // a parsed record no longer carries, so the owner decides here. The two differ only
            // when a reverse zone file sets $ORIGIN outside the reverse trees.
            if reverseZones.contains(where: { owner.isSubdomain(of: $0) }) {
                _ = checkName(at: 0, mailbox: false)
            }
        default:
            break
        }
        return bad
    }

    /// Checks a wire name against the host name rules: labels of letters, digits and hyphens
    /// that start and end with a letter or digit. With `wildcard`, a leading `*` label is
    /// allowed. The root name is a valid host name.
    static func isHostname(_ wire: ArraySlice<UInt8>, wildcard: Bool) -> Bool {
        var offset = wire.startIndex
        if wildcard, wire.count >= 2, wire[offset] == 1, wire[offset + 1] == UInt8(ascii: "*") {
            offset += 2
        }
        while offset < wire.endIndex {
            let length = Int(wire[offset])
            if length == 0 { return true }
            let first = offset + 1
            let last = offset + length
            for index in first...last {
                let byte = wire[index]
                let valid = isLetterOrDigit(byte) || (byte == UInt8(ascii: "-") && index != first && index != last)
                if !valid { return false }
            }
            offset = last + 1
        }
        return true
    }

    /// Checks a wire name against the mailbox rule: a first label of any printable ASCII
    /// except space (the local part), then a host name.
    static func isMailbox(_ wire: ArraySlice<UInt8>) -> Bool {
        let start = wire.startIndex
        guard start < wire.endIndex else { return true }
        let length = Int(wire[start])
        if length == 0 { return true }
        for index in (start + 1)...(start + length) where wire[index] <= 0x20 || wire[index] >= 0x7F {
            return false
        }
        return isHostname(wire[(start + 1 + length)...], wildcard: false)
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
