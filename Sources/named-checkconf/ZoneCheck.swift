import DNSWire
import DNSZone
import NamedConfig

/// The printed outcome of loading one zone for `named-checkconf -z`.
struct ZoneCheckResult {
    /// Warnings and errors, then `loaded serial N` or `not loaded due to errors.`, as BIND 9.18's
    /// named-checkconf -z prints them.
    var lines: [String]
    var loaded: Bool
}

/// Parses the zone file at `path` and runs the same load-time checks as named-checkzone and the
/// server. `path` is opened as given, so a relative path resolves against the working
/// directory, which the caller has set to `options { directory }`.
/// `primaryCheckNames` is `check-names primary` from `options`, used when the zone sets none.
func checkZone(_ zone: ZoneConfiguration, path: String, primaryCheckNames: NamedConfig.CheckNamesMode = .fail) -> ZoneCheckResult {
    let label = "zone \(zone.name)/\(zone.dnsClass)"
    let origin: DomainName
    do {
        origin = try DomainName(parsing: zone.name.hasSuffix(".") ? zone.name : zone.name + ".")
    } catch {
        return ZoneCheckResult(
            lines: ["\(label): invalid zone name '\(zone.name)': \(error)", "\(label): not loaded due to errors."],
            loaded: false)
    }
    guard let zoneClass = RRClass(mnemonic: zone.dnsClass) else {
        return ZoneCheckResult(
            lines: ["\(label): invalid class '\(zone.dnsClass)': expected IN, CH or HS", "\(label): not loaded due to errors."],
            loaded: false)
    }
    let zoneLabel = "zone \(origin.descriptionWithoutDot)/\(zoneClass)"

    var lines: [String] = []
    let parsed: ParsedZoneFile
    do {
        let mode = DNSZone.CheckNamesMode(rawValue: (zone.checkNames ?? primaryCheckNames).rawValue) ?? .fail
        parsed = try ZoneFileParser.parse(path: path, origin: origin, defaultClass: zoneClass, checkNames: mode)
    } catch {
        lines.append(error.description)
        lines.append("\(zoneLabel): not loaded due to errors.")
        return ZoneCheckResult(lines: lines, loaded: false)
    }

    // Diagnostics about the zone as a whole have no line, so they are prefixed with the zone.
    func format(_ diagnostic: ZoneDiagnostic) -> String {
        diagnostic.line > 0 ? diagnostic.description : "\(zoneLabel): \(diagnostic.message)"
    }
    lines += parsed.warnings.map(format)
    if let reason = CheckNames.failureReason(parsed.warnings) {
        lines.append("\(zoneLabel): loading from master file \(path) failed: \(reason)")
        lines.append("\(zoneLabel): not loaded due to errors.")
        return ZoneCheckResult(lines: lines, loaded: false)
    }
    let checked = ZoneValidator.validate(origin: origin, records: parsed.records, file: path)
    // BIND checks the NSEC3PARAM RRset first and the DS, CDS and DNSKEY records last, and stops
    // at the first group with an error.
    let groups = [
        ZoneSigningChecks.checkNSEC3Parameters(origin: origin, records: checked.records),
        checked.diagnostics,
        ZoneSigningChecks.checkKeys(origin: origin, records: checked.records),
    ]
    for diagnostics in groups {
        lines += diagnostics.map(format)
        guard !diagnostics.contains(where: { $0.severity == .error }) else {
            lines.append("\(zoneLabel): not loaded due to errors.")
            return ZoneCheckResult(lines: lines, loaded: false)
        }
    }

    let soa = checked.records.first { $0.type == .soa && $0.owner == origin }.flatMap { SOAData(rdata: $0.rdata) }
    let signedNote = ZoneSigningChecks.isSigned(origin: origin, records: checked.records) ? " (DNSSEC signed)" : ""
    lines.append("\(zoneLabel): loaded serial \(soa?.serial ?? 0)\(signedNote)")
    return ZoneCheckResult(lines: lines, loaded: true)
}
