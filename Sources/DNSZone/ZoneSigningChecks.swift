import DNSWire

/// The checks BIND 9.18 makes on a loaded zone's DNSSEC records, with its messages. The rules
/// and the order of the messages were found by running Debian's named-checkzone 9.18.49 on
/// test zones.
public enum ZoneSigningChecks {
    /// Checks the NSEC3PARAM RRset at the apex. BIND runs this check before the others and
    /// stops when it fails: a warning for each unsupported hash algorithm, and an error when
    /// none is supported. SHA-1 (1) is the only algorithm defined (RFC 5155).
    public static func checkNSEC3Parameters(origin: DomainName, records: [ResourceRecord]) -> [ZoneDiagnostic] {
        let records = signingRecords(records)
        let parameters = sortedRData(records, owner: origin, type: .nsec3param)
        guard !parameters.isEmpty else { return [] }
        var diagnostics: [ZoneDiagnostic] = []
        var supported = false
        for rdata in parameters where !rdata.isEmpty {
            if rdata[0] == 1 {
                supported = true
            } else {
                diagnostics.append(zoneDiagnostic(.warning, "unsupported nsec3 hash algorithm: \(rdata[0])"))
            }
        }
        if !supported {
            diagnostics.append(zoneDiagnostic(.error, "no supported nsec3 hash algorithm"))
        }
        return diagnostics
    }

    /// Checks DS records at delegations, and CDS, CDNSKEY and DNSKEY records at the apex. The
    /// messages come in BIND's order: deprecated DS digest types and algorithms, deprecated CDS
    /// digest types, then CDS and CDNSKEY algorithms missing from the DNSKEY RRset. That last
    /// one is an error, after which BIND stops. Otherwise deprecated DNSKEY algorithms follow.
    public static func checkKeys(origin: DomainName, records: [ResourceRecord]) -> [ZoneDiagnostic] {
        let records = signingRecords(records)
        var diagnostics: [ZoneDiagnostic] = []

        let delegations = Set(records.lazy.filter { $0.type == .ns && $0.owner != origin }.map(\.owner))
        let signedDelegations = Set(records.lazy.filter { $0.type == .ds && delegations.contains($0.owner) }.map(\.owner))
        for owner in signedDelegations.sorted() {
            for rdata in sortedRData(records, owner: owner, type: .ds) where rdata.count >= 4 {
                let name = "\(messageName(owner, origin: origin))/DS"
                if let digest = deprecatedDigestTypes[rdata[3]] {
                    diagnostics.append(zoneDiagnostic(.warning, "\(name) deprecated digest type \(rdata[3]) (\(digest))"))
                }
                if let algorithm = deprecatedDSAlgorithms[rdata[2]] {
                    diagnostics.append(zoneDiagnostic(.warning, "\(name) deprecated algorithm \(rdata[2]) (\(algorithm))"))
                }
            }
        }

        for rdata in sortedRData(records, owner: origin, type: .cds) where rdata.count >= 4 {
            if let digest = deprecatedDigestTypes[rdata[3]] {
                diagnostics.append(zoneDiagnostic(.warning, "deprecated CDS digest type \(rdata[3]) (\(digest))"))
            }
        }

        let keys = sortedRData(records, owner: origin, type: .dnskey).filter { $0.count >= 4 }
        let keyAlgorithms = Set(keys.map { $0[3] })
        // A CDS or CDNSKEY with algorithm 0 requests the deletion of the DS records (RFC 8078).
        let cdsAlgorithms = sortedRData(records, owner: origin, type: .cds).filter { $0.count >= 3 }.map { $0[2] }
        let cdnskeyAlgorithms = sortedRData(records, owner: origin, type: .cdnskey).filter { $0.count >= 4 }.map { $0[3] }
        if (cdsAlgorithms + cdnskeyAlgorithms).contains(where: { $0 != 0 && !keyAlgorithms.contains($0) }) {
            diagnostics.append(zoneDiagnostic(.error, "CDS/CDNSKEY consistency checks failed"))
            return diagnostics
        }

        var reported: Set<UInt8> = []
        for key in keys {
            let algorithm = key[3]
            guard let mnemonic = deprecatedKeyAlgorithms[algorithm], reported.insert(algorithm).inserted else { continue }
            // BIND's message ends with a line break, so a blank line follows it.
            diagnostics.append(zoneDiagnostic(.warning, "deprecated DNSKEY algorithm found: \(algorithm) (\(mnemonic))\n"))
        }
        if !keyAlgorithms.isEmpty, keyAlgorithms.allSatisfy({ deprecatedKeyAlgorithms[$0] != nil }) {
            diagnostics.append(zoneDiagnostic(.warning, "all DNSKEY algorithms found are deprecated"))
        }
        return diagnostics
    }

    /// Returns whether BIND calls the zone "DNSSEC signed" when it loads it. The apex must have
    /// a zone key: a DNSKEY with owner bits 01 (the zone flag), the "no authentication" bit clear
    /// and protocol 3 or 255. It must also have an NSEC record with an RRSIG covering it, or an
    /// NSEC3PARAM record with hash algorithm 1 and flags 0.
    public static func isSigned(origin: DomainName, records: [ResourceRecord]) -> Bool {
        let records = signingRecords(records)
        let hasZoneKey = sortedRData(records, owner: origin, type: .dnskey).contains { rdata in
            guard rdata.count >= 4 else { return false }
            let flags = UInt16(rdata[0]) << 8 | UInt16(rdata[1])
            return flags & 0x8000 == 0 && flags & 0x0300 == 0x0100 && (rdata[2] == 3 || rdata[2] == 255)
        }
        guard hasZoneKey else { return false }
        let hasSignedNSEC = records.contains { $0.type == .nsec && $0.owner == origin }
            && records.contains { record in
                record.type == .rrsig && record.owner == origin && ZoneDump.coveredType(record) == RRType.nsec.rawValue
            }
        let hasNSEC3 = sortedRData(records, owner: origin, type: .nsec3param).contains { $0.count >= 2 && $0[0] == 1 && $0[1] == 0 }
        return hasSignedNSEC || hasNSEC3
    }

    static let deprecatedDigestTypes: [UInt8: String] = [1: "SHA-1", 3: "GOST"]
    static let deprecatedDSAlgorithms: [UInt8: String] = [5: "RSASHA1", 7: "NSEC3RSASHA1"]
    static let deprecatedKeyAlgorithms: [UInt8: String] = [
        1: "RSAMD5", 3: "DSA", 5: "RSASHA1", 6: "NSEC3DSA", 7: "NSEC3RSASHA1", 12: "ECCGOST",
    ]

    /// Selects the records of the types these checks read, so that the checks scan a short list.
    static func signingRecords(_ records: [ResourceRecord]) -> [ResourceRecord] {
        records.filter { record in
            switch record.type {
            case .ns, .ds, .cds, .cdnskey, .dnskey, .nsec, .nsec3param, .rrsig: return true
            default: return false
            }
        }
    }

    /// Returns the RDATA of one RRset in canonical order, the order BIND stores and checks it in.
    static func sortedRData(_ records: [ResourceRecord], owner: DomainName, type: RRType) -> [[UInt8]] {
        records.filter { $0.type == type && $0.owner == owner }.map(\.rdata).sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Formats a name as BIND writes it in these messages: the labels below the origin as
    /// spelled in the zone file, then the origin as the zone's name spells it.
    static func messageName(_ name: DomainName, origin: DomainName) -> String {
        guard name != origin else { return origin.descriptionWithoutDot }
        let relative = name.relativeDescription(to: origin)
        return origin.labelCount == 0 ? relative : relative + "." + origin.descriptionWithoutDot
    }

    static func zoneDiagnostic(_ severity: ZoneDiagnostic.Severity, _ message: String) -> ZoneDiagnostic {
        ZoneDiagnostic(severity: severity, file: "", line: 0, message: message)
    }
}
