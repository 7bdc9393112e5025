#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DNSWire

/// A message about a zone that does not stop it from loading (warning) or does (error).
public struct ZoneDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: Sendable, Equatable {
        case error
        case warning
    }

    public var severity: Severity
    public var file: String
    /// Line number in `file`, or 0 when the diagnostic is about the zone as a whole.
    public var line: Int
    public var message: String
    /// The BIND function name, such as `dns_rdata_fromtext`, that BIND prints before
    /// `FILE:LINE` for some errors. It is nil for most messages.
    public var source: String?

    public init(severity: Severity, file: String, line: Int, message: String, source: String? = nil) {
        self.severity = severity
        self.file = file
        self.line = line
        self.message = message
        self.source = source
    }

    /// `[SOURCE: ]FILE:LINE: MESSAGE`, or only the message when no line applies.
    public var description: String {
        guard line > 0 else { return message }
        return (source.map { $0 + ": " } ?? "") + "\(file):\(line): \(message)"
    }
}

/// The records of a zone file in file order, with the warnings raised while reading it.
public struct ParsedZoneFile: Sendable {
    public var records: [ResourceRecord]
    public var warnings: [ZoneDiagnostic]
}

/// Reads a zone file in the master-file format of RFC 1035 section 5, with the extensions and
/// defaults of BIND 9: `$TTL` (RFC 2308), `$GENERATE`, TTL units, and BIND's TTL rules.
public struct ZoneFileParser {
    /// Deepest `$INCLUDE` nesting accepted, which stops a file from including itself forever.
    public static let maxIncludeDepth = 20

    /// `checkNames` applies BIND's host name rules to each record (see `CheckNames`): in
    /// `fail` mode a bad name is an error in `warnings`, in `warn` mode a warning.
    public static func parse(
        path: String, origin: DomainName, defaultClass: RRClass = .in, baseDirectory: String? = nil,
        checkNames: CheckNamesMode = .ignore
    ) throws(ZoneFileError) -> ParsedZoneFile {
        try parse(path: path, origin: origin, defaultClass: defaultClass, baseDirectory: baseDirectory, chunks: nil,
                  checkNames: checkNames)
    }

    /// `chunks` is the number of pieces the file is split into for parsing on several cores,
    /// at most; nil picks a number from the file size and the core count, and 1 parses the file
    /// in one piece. The result is the same for every value.
    static func parse(
        path: String, origin: DomainName, defaultClass: RRClass, baseDirectory: String?, chunks: Int?,
        checkNames: CheckNamesMode = .ignore
    ) throws(ZoneFileError) -> ParsedZoneFile {
        let bytes = try ZoneFileBytes(path: resolve(path, baseDirectory: nil), displayName: path, includedFrom: nil)
        let chunkCount = chunks ?? automaticChunkCount(size: bytes.count)
        if chunkCount <= 1 {
            var state = ParserState(zoneOrigin: origin, zoneClass: defaultClass, baseDirectory: baseDirectory)
            state.checkNames = checkNames
            try state.readMainFile(bytes, displayName: path)
            return ParsedZoneFile(records: state.records, warnings: state.warnings)
        }
        return try ParallelZoneParse(
            bytes: bytes, displayName: path, zoneOrigin: origin, zoneClass: defaultClass,
            baseDirectory: baseDirectory, chunks: chunkCount, checkNames: checkNames
        ).run()
    }

    /// Returns 1 for files below 1 MiB. Larger files get pieces of at least 1 MiB, up to four
    /// per core, so that pieces that take longer than others even out.
    static func automaticChunkCount(size: Int) -> Int {
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        guard cores > 1 else { return 1 }
        return max(1, min(cores * 4, size >> 20))
    }

    static func resolve(_ path: String, baseDirectory: String?) -> String {
        guard !path.hasPrefix("/"), let baseDirectory, !baseDirectory.isEmpty else { return path }
        return baseDirectory.hasSuffix("/") ? baseDirectory + path : baseDirectory + "/" + path
    }
}

/// Reader state that persists across `$INCLUDE`d files.
struct ParserState {
    let zoneOrigin: DomainName
    let zoneClass: RRClass
    let baseDirectory: String?
    var records: [ResourceRecord] = []
    /// Warnings, and the errors of `check-names` in fail mode.
    var warnings: [ZoneDiagnostic] = []
    var checkNames = CheckNamesMode.ignore

    /// The `$TTL` value, or the SOA minimum when the SOA had no TTL and no `$TTL` came before.
    var defaultTTL: UInt32?
    /// The last TTL written on a record, used when there is no `$TTL` (RFC 1035 section 5.1).
    var lastExplicitTTL: UInt32?
    var warnedRFC1035TTL = false
    /// Set after the first warning about an expired RRSIG: BIND warns once per load.
    // NOTE: each piece of a file parsed in parallel has its own state, so such a file can get
    // one warning per piece.
    var warnedExpiredSignature = false
    /// Seconds since 1970 when reading started, which RRSIG expirations are compared with.
    let loadTime = UInt32(truncatingIfNeeded: time(nil))

    /// The owner of the current run of records, and the TTL of each RRset in that run: BIND
    /// gives all records of an RRset within one run the first record's TTL.
    var runOwner: DomainName?
    var runTTLs: [(type: RRType, ttl: UInt32)] = []
    /// The owner that started the first run, when no run was started or ended before it. A
    /// piece of a file parsed on its own compares it with the last run of the piece before.
    var firstRunOwner: DomainName?
    var runStateTouched = false

    /// The last owner checked against the zone origin, and the result.
    var inZoneCache: (owner: DomainName, inZone: Bool)?

    /// Scratch space for the tokens of one line.
    var tokens: [RawToken] = []

    init(zoneOrigin: DomainName, zoneClass: RRClass, baseDirectory: String?) {
        self.zoneOrigin = zoneOrigin
        self.zoneClass = zoneClass
        self.baseDirectory = baseDirectory
    }

    mutating func warn(_ file: String, _ line: Int, _ message: String) {
        warnings.append(ZoneDiagnostic(severity: .warning, file: file, line: line, message: message))
    }

    mutating func readMainFile(_ bytes: ZoneFileBytes, displayName: String) throws(ZoneFileError) {
        var lexer = ZoneFileLexer(path: displayName, base: bytes.base, start: 0, end: bytes.count, line: 1)
        var origin = zoneOrigin
        try readLines(&lexer, origin: &origin, depth: 0)
        withExtendedLifetime(bytes) {}
    }

    mutating func readFile(
        path: String, displayName: String, origin startOrigin: DomainName, depth: Int, includedFrom: (file: String, line: Int)?
    ) throws(ZoneFileError) {
        let bytes = try ZoneFileBytes(path: path, displayName: displayName, includedFrom: includedFrom)
        var lexer = ZoneFileLexer(path: displayName, base: bytes.base, start: 0, end: bytes.count, line: 1)
        var origin = startOrigin
        try readLines(&lexer, origin: &origin, depth: depth)
        withExtendedLifetime(bytes) {}
    }

    /// Reads the logical lines of one file, or of one piece of it, to the end of the lexer's input.
    mutating func readLines(_ lexer: inout ZoneFileLexer, origin: inout DomainName, depth: Int) throws(ZoneFileError) {
        var owner: DomainName? = nil
        let file = lexer.path
        // The text of the last owner field and the origin it was read with, to skip parsing a
        // repeated owner again.
        var ownerText: [UInt8] = []
        var tokens = self.tokens
        defer { self.tokens = tokens }

        while let (lineNumber, startsWithBlank) = try lexer.nextLine(&tokens) {
            let first = tokens[0]
            if !startsWithBlank, !first.isQuoted, lexer.base[first.start] == UInt8(ascii: "$") {
                let line = lexer.line(tokens, line: lineNumber, startsWithBlank: startsWithBlank)
                try directive(line, file: file, origin: &origin, owner: &owner, depth: depth)
                ownerText.removeAll()
                continue
            }
            var index = 0
            if startsWithBlank {
                guard owner != nil else {
                    throw ZoneFileError(
                        file: file, line: lineNumber, token: lexer.text(first),
                        message: "record has no owner name and no earlier record to take it from: start the line with a name instead of a blank")
                }
            } else {
                let text = lexer.bytes(first)
                if !first.isPlain || owner == nil || !sameBytes(text, ownerText) {
                    if first.isPlain {
                        do {
                            owner = try DomainName(parsingUTF8: text, origin: origin)
                        } catch {
                            owner = try parseName(lexer.field(first), file: file, line: first.line, origin: origin, what: "owner name")
                        }
                        ownerText.removeAll(keepingCapacity: true)
                        ownerText.append(contentsOf: text)
                    } else {
                        owner = try parseName(lexer.field(first), file: file, line: first.line, origin: origin, what: "owner name")
                        ownerText.removeAll()
                    }
                }
                index = 1
            }
            if try !fastRecord(lexer, tokens, from: index, owner: owner!, origin: origin, file: file, line: lineNumber) {
                let line = lexer.line(tokens, line: lineNumber, startsWithBlank: startsWithBlank)
                try record(line, from: index, owner: owner!, origin: origin, file: file)
            }
        }
    }

    func parseName(_ field: PresentationField, file: String, line: Int, origin: DomainName, what: String) throws(ZoneFileError) -> DomainName {
        do {
            return try DomainName(parsing: field.text, origin: origin)
        } catch {
            throw ZoneFileError(file: file, line: line, token: field.text, message: "invalid \(what) '\(field.text)': \(error): \(error.remedy)")
        }
    }

    // MARK: Records

    mutating func record(_ line: ZoneFileLine, from start: Int, owner: DomainName, origin: DomainName, file: String) throws(ZoneFileError) {
        var index = start
        var ttl: UInt32? = nil
        var rrClass: RRClass? = nil
        let fields = line.fields

        // TTL and class may come in either order, each at most once.
        while index < fields.count, !fields[index].isQuoted {
            let text = fields[index].text
            let fieldLine = line.fieldLines[index]
            if ttl == nil, let first = text.utf8.first, isDigitByte(first), let value = TTLText.parse(text) {
                ttl = clampTTL(value, file: file, line: fieldLine)
                index += 1
            } else if rrClass == nil, let value = RRClass(mnemonic: text) {
                rrClass = value
                index += 1
            } else {
                break
            }
        }
        guard index < fields.count else {
            throw ZoneFileError(
                file: file, line: line.line, token: nil,
                message: "record for '\(owner)' has no type: add a type such as A, MX or TXT and its data")
        }
        let typeField = fields[index]
        let typeLine = line.fieldLines[index]
        guard !typeField.isQuoted, let type = RRType(mnemonic: typeField.text) else {
            throw ZoneFileError(
                file: file, line: typeLine, token: typeField.text,
                message: "unknown RR type '\(typeField.text)': expected a type such as A, MX or TYPE65280")
        }
        guard !type.isMetaType else {
            throw ZoneFileError(
                file: file, line: typeLine, token: typeField.text,
                message: "type '\(typeField.text)' is a query type and cannot appear in a zone: remove the record")
        }
        index += 1

        if let rrClass, rrClass != zoneClass {
            throw ZoneFileError(
                file: file, line: line.line, token: rrClass.description,
                message: "class '\(rrClass)' != zone class '\(zoneClass)': remove the class or change it to \(zoneClass)")
        }

        let rdataFields = Array(fields[index...])
        let rdata: [UInt8]
        do {
            rdata = try RDataText.parse(type: type, fields: rdataFields, origin: origin)
        } catch {
            // Point at the field at fault, or at the last field when one is missing at the end.
            let offending = index + (error.fieldIndex ?? 0)
            let lineNumber = offending < fields.count ? line.fieldLines[offending] : line.fieldLines.last ?? typeLine
            let token = offending < fields.count ? fields[offending].text : nil
            throw ZoneFileError(file: file, line: lineNumber, token: token, message: error.message)
        }
        if type == .rrsig, !warnedExpiredSignature, rdata.count >= 12 {
            // Expiration before the load time in serial number arithmetic (RFC 4034 section 3.1.5).
            let expiration = rdata[8..<12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            if Int32(bitPattern: expiration &- loadTime) < 0 {
                warn(file, line.line, "signature has expired")
                warnedExpiredSignature = true
            }
        }
        // A DS RRset belongs to the parent side of a zone cut (RFC 4034 section 5).
        guard type != .ds || owner != zoneOrigin else {
            throw ZoneFileError(
                file: file, line: typeLine, token: typeField.text,
                message: "DS record at top of zone (\(owner.descriptionWithoutDot)): move it to the parent zone")
        }

        try finishRecord(owner: owner, type: type, ttl: ttl, rdata: rdata, file: file, line: line.line)
    }

    /// Gives a record whose fields are read its TTL and adds it, or warns about it when it lies
    /// outside the zone.
    mutating func finishRecord(owner: DomainName, type: RRType, ttl: UInt32?, rdata: [UInt8], file: String, line: Int) throws(ZoneFileError) {
        let resolvedTTL = try recordTTL(explicit: ttl, type: type, rdata: rdata, file: file, line: line)

        let inZone: Bool
        if let cache = inZoneCache, cache.owner == owner {
            inZone = cache.inZone
        } else {
            inZone = owner.isSubdomain(of: zoneOrigin)
            inZoneCache = (owner, inZone)
        }
        guard inZone else {
            warn(file, line, "ignoring out-of-zone data (\(owner.descriptionWithoutDot))")
            return
        }
        if checkNames != .ignore {
            CheckNames.check(owner: owner, type: type, rrClass: zoneClass, rdata: rdata, mode: checkNames,
                             origin: zoneOrigin, file: file, line: line, into: &warnings)
        }

        var finalTTL = resolvedTTL
        if runOwner == nil || runOwner! != owner {
            if !runStateTouched { firstRunOwner = owner }
            runStateTouched = true
            runOwner = owner
            runTTLs.removeAll(keepingCapacity: true)
        }
        // RRSIG records of one owner sign different RRsets and take each one's TTL (RFC 4034
        // section 3), so they are exempt, as in BIND 9.18, which keeps them per covered type.
        if type != .rrsig, let prior = runTTLs.first(where: { $0.type == type })?.ttl {
            if prior != finalTTL {
                warn(file, line, "TTL set to prior TTL (\(prior))")
                finalTTL = prior
            }
        } else {
            runTTLs.append((type, finalTTL))
        }
        records.append(ResourceRecord(owner: owner, type: type, rrClass: zoneClass, ttl: finalTTL, rdata: rdata))
    }

    /// Picks a record's TTL as BIND 9.18 does when it has none of its own: the `$TTL` value;
    /// for an SOA record without `$TTL`, its minimum field, which then serves as `$TTL`; otherwise
    /// the last TTL written on a record (RFC 1035 section 5.1).
    mutating func recordTTL(explicit: UInt32?, type: RRType, rdata: [UInt8], file: String, line: Int) throws(ZoneFileError) -> UInt32 {
        if let explicit {
            lastExplicitTTL = explicit
            return explicit
        }
        if let defaultTTL { return defaultTTL }
        if type == .soa, let soa = SOAData(rdata: rdata) {
            warn(file, line, "no TTL specified; using SOA MINTTL instead")
            defaultTTL = soa.minimum
            return soa.minimum
        }
        if let lastExplicitTTL {
            if !warnedRFC1035TTL {
                warn(file, line, "using RFC1035 TTL semantics")
                warnedRFC1035TTL = true
            }
            return lastExplicitTTL
        }
        throw ZoneFileError(
            file: file, line: line, token: nil,
            message: "no TTL specified; zone rejected: add a $TTL directive before the first record, or give this record a TTL")
    }

    /// TTLs above 2^31 - 1 are read as 0, as RFC 2181 section 8 says and BIND does.
    mutating func clampTTL(_ value: UInt32, file: String, line: Int) -> UInt32 {
        guard value > 0x7FFF_FFFF else { return value }
        warn(file, line, "TTL \(value) > MAXTTL, setting TTL to 0")
        return 0
    }

    // MARK: Directives

    mutating func directive(
        _ line: ZoneFileLine, file: String, origin: inout DomainName, owner: inout DomainName?, depth: Int
    ) throws(ZoneFileError) {
        let fields = line.fields
        let name = fields[0].text.uppercased()
        func argument(_ index: Int, _ what: String, example: String) throws(ZoneFileError) -> PresentationField {
            guard index < fields.count else {
                throw ZoneFileError(
                    file: file, line: line.line, token: fields[0].text,
                    message: "\(fields[0].text) is missing its \(what): write it as in '\(example)'")
            }
            return fields[index]
        }
        switch name {
        case "$ORIGIN":
            let field = try argument(1, "domain name", example: "$ORIGIN example.com.")
            origin = try parseName(field, file: file, line: line.fieldLines[1], origin: origin, what: "$ORIGIN name")
            try expectNoMore(line, after: 1, file: file)
        case "$TTL":
            let field = try argument(1, "TTL value", example: "$TTL 3600")
            guard let value = TTLText.parse(field.text) else {
                throw ZoneFileError(
                    file: file, line: line.fieldLines[1], token: field.text,
                    message: "invalid $TTL value '\(field.text)': expected seconds or a duration such as 1W2D or 1h30m")
            }
            defaultTTL = clampTTL(value, file: file, line: line.line)
            try expectNoMore(line, after: 1, file: file)
        case "$INCLUDE":
            let pathField = try argument(1, "file name", example: "$INCLUDE hosts.db")
            let includePath: String
            do {
                includePath = String(decoding: try RDataText.unescape(pathField.text), as: UTF8.self)
            } catch {
                throw ZoneFileError(file: file, line: line.line, token: pathField.text, message: "invalid $INCLUDE file name: \(error.message)")
            }
            var includeOrigin = origin
            if fields.count > 2 {
                includeOrigin = try parseName(fields[2], file: file, line: line.fieldLines[2], origin: origin, what: "$INCLUDE origin")
            }
            try expectNoMore(line, after: 2, file: file)
            guard depth < ZoneFileParser.maxIncludeDepth else {
                throw ZoneFileError(
                    file: file, line: line.line, token: includePath,
                    message: "$INCLUDE of '\(includePath)' nests more than \(ZoneFileParser.maxIncludeDepth) files deep: check for a file that includes itself")
            }
            // The included file starts with the given origin. Afterwards the including file
            // continues with its own origin and owner name.
            try readFile(
                path: ZoneFileParser.resolve(includePath, baseDirectory: baseDirectory), displayName: includePath,
                origin: includeOrigin, depth: depth + 1, includedFrom: (file, line.line))
            runOwner = nil
            runTTLs.removeAll()
            runStateTouched = true
        case "$GENERATE":
            try generate(line, file: file, origin: origin)
        default:
            throw ZoneFileError(
                file: file, line: line.line, token: fields[0].text,
                message: "unknown directive '\(fields[0].text)': expected $ORIGIN, $TTL, $INCLUDE or $GENERATE")
        }
    }

    func expectNoMore(_ line: ZoneFileLine, after index: Int, file: String) throws(ZoneFileError) {
        guard line.fields.count > index + 1 else { return }
        let extra = line.fields[index + 1]
        throw ZoneFileError(
            file: file, line: line.fieldLines[index + 1], token: extra.text,
            message: "unexpected extra text '\(extra.text)' after \(line.fields[0].text): remove it")
    }
}

func isDigitByte(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

extension DomainName {
    /// Presentation form without the trailing dot, as BIND prints names in its messages.
    public var descriptionWithoutDot: String {
        let text = description
        return text == "." ? text : String(text.dropLast())
    }
}

/// Whether a byte range and an array hold the same bytes.
@inline(__always)
func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return b.withUnsafeBufferPointer { b in
        for index in 0..<a.count where a[index] != b[index] { return false }
        return true
    }
}
