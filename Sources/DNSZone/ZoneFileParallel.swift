import Dispatch
import DNSWire

/// Parses one zone file in pieces on all cores, with the same records, warnings and first
/// error as a parse in one piece.
///
/// A first pass over the bytes follows parentheses, quotes, comments and escapes, and cuts the
/// file only at the start of a line that is outside parentheses and names its owner, so that no
/// piece depends on the owner of the line before it. The pass also follows `$ORIGIN` and `$TTL`,
/// so each piece starts with the origin and default TTL in force where it begins. Cuts are made
/// only once a `$TTL` is in force (before that a record's TTL can depend on earlier records), and
/// not after a `$INCLUDE`, an unknown directive or anything the lexer would reject.
///
/// One piece of state crosses cuts: the run of records with one owner, whose RRsets keep the
/// TTL of their first record. A cut avoids lines that repeat the previous owner's text, and when
/// a piece still starts with the owner the piece before ended with, it is parsed again with that
/// run carried over.
struct ParallelZoneParse {
    let bytes: ZoneFileBytes
    let displayName: String
    let zoneOrigin: DomainName
    let zoneClass: RRClass
    let baseDirectory: String?
    let chunks: Int
    var checkNames = CheckNamesMode.ignore

    struct Piece {
        var start: Int
        var end: Int
        var line: Int
        var origin: DomainName
        var defaultTTL: UInt32?
    }

    struct PieceResult {
        var state: ParserState
        var error: ZoneFileError?
    }

    final class Results: @unchecked Sendable {
        var slots: [PieceResult?]
        init(count: Int) { slots = Array(repeating: nil, count: count) }
    }

    func run() throws(ZoneFileError) -> ParsedZoneFile {
        try runCountingReparses().parsed
    }

    /// Also returns how many pieces had to be parsed again with the run of the piece before.
    func runCountingReparses() throws(ZoneFileError) -> (parsed: ParsedZoneFile, reparsed: Int) {
        let pieces = split()
        let results = Results(count: pieces.count)
        results.slots.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
                slots[index] = parse(pieces[index], carrying: nil)
            }
        }

        var finals: [PieceResult] = []
        var run: (owner: DomainName, ttls: [(type: RRType, ttl: UInt32)])? = nil
        var reparsed = 0
        for index in pieces.indices {
            var result = results.slots[index]!
            results.slots[index] = nil
            if let run, let first = result.state.firstRunOwner, first == run.owner {
                result = parse(pieces[index], carrying: run)
                reparsed += 1
            }
            if let error = result.error { throw error }
            if result.state.runStateTouched {
                run = result.state.runOwner.map { ($0, result.state.runTTLs) }
            }
            finals.append(result)
        }
        withExtendedLifetime(bytes) {}

        // Move the records instead of copying them: a copy would touch every owner and RDATA
        // buffer to count one more reference. Each piece moves its own records, on all cores.
        var starts: [Int] = [0]
        for final in finals { starts.append(starts.last! + final.state.records.count) }
        let offsets = starts
        let total = starts.last!
        let placeholder = ResourceRecord(owner: DomainName(uncheckedWire: []), type: .a, ttl: 0, rdata: [])
        let records = [ResourceRecord](unsafeUninitializedCapacity: total) { buffer, initialized in
            finals.withUnsafeMutableBufferPointer { finals in
                nonisolated(unsafe) let finals = finals
                nonisolated(unsafe) let buffer = buffer
                DispatchQueue.concurrentPerform(iterations: finals.count) { index in
                    finals[index].state.records.withUnsafeMutableBufferPointer { source in
                        guard let from = source.baseAddress, source.count > 0 else { return }
                        (buffer.baseAddress! + offsets[index]).moveInitialize(from: from, count: source.count)
                        from.initialize(repeating: placeholder, count: source.count)
                    }
                    // Releasing the placeholders takes a call per record: do it here, on all cores.
                    finals[index].state.records = []
                }
            }
            initialized = total
        }
        let warnings = finals.flatMap(\.state.warnings)
        return (ParsedZoneFile(records: records, warnings: warnings), reparsed)
    }

    func parse(_ piece: Piece, carrying run: (owner: DomainName, ttls: [(type: RRType, ttl: UInt32)])?) -> PieceResult {
        var state = ParserState(zoneOrigin: zoneOrigin, zoneClass: zoneClass, baseDirectory: baseDirectory)
        state.checkNames = checkNames
        // Records take about 30 bytes of text: room for all of them, so that the array is not
        // copied while it grows (pages reserved and never touched cost nothing).
        state.records.reserveCapacity((piece.end - piece.start) / 20)
        state.defaultTTL = piece.defaultTTL
        if let run {
            state.runOwner = run.owner
            state.runTTLs = run.ttls
            state.runStateTouched = true
        }
        var lexer = ZoneFileLexer(path: displayName, base: bytes.base, start: piece.start, end: piece.end, line: piece.line)
        var origin = piece.origin
        do {
            try state.readLines(&lexer, origin: &origin, depth: 0)
            return PieceResult(state: state, error: nil)
        } catch {
            return PieceResult(state: state, error: error)
        }
    }

    /// Finds the cuts. See the type's description for where a cut may go.
    func split() -> [Piece] {
        let base = bytes.base
        let end = bytes.count
        let target = max(end / max(chunks, 1), 1)
        var pieces: [Piece] = []
        var current = Piece(start: 0, end: end, line: 1, origin: zoneOrigin, defaultTTL: nil)
        var origin = zoneOrigin
        var defaultTTL: UInt32? = nil
        var position = 0
        var line = 1
        var depth = 0
        var lastOwnerStart = -1
        var nextCut = target
        var tokens: [RawToken] = []
        let classes = zoneByteClasses

        scan: while position < end {
            // Here `position` is at the start of a line outside parentheses.
            let first = base[position]
            if first == UInt8(ascii: "$") {
                var lexer = ZoneFileLexer(path: displayName, base: base, start: position, end: end, line: line)
                guard let found = try? lexer.nextLine(&tokens), !found.startsWithBlank,
                    applyDirective(lexer, tokens, origin: &origin, defaultTTL: &defaultTTL)
                else { break scan }
                position = lexer.offset
                line = lexer.line
                continue scan
            }
            if Self.startsOwner(first) {
                if defaultTTL != nil, position >= nextCut, position > current.start,
                    !Self.sameToken(base, end, lastOwnerStart, position)
                {
                    current.end = position
                    pieces.append(current)
                    current = Piece(start: position, end: end, line: line, origin: origin, defaultTTL: defaultTTL)
                    nextCut = position + target
                }
                lastOwnerStart = position
            }
            while position < end {
                position = nextStructuralByte(base, from: position, end: end)
                guard position < end else { break }
                let byte = base[position]
                position += 1
                guard classes[Int(byte)] & structuralByte != 0 else { continue }
                switch byte {
                case UInt8(ascii: "\n"):
                    line += 1
                    if depth == 0 { continue scan }
                case UInt8(ascii: ";"):
                    while position < end, base[position] != UInt8(ascii: "\n") { position += 1 }
                case UInt8(ascii: "("):
                    depth += 1
                case UInt8(ascii: ")"):
                    guard depth > 0 else { break scan }
                    depth -= 1
                case UInt8(ascii: "\\"):
                    if position < end {
                        if base[position] == UInt8(ascii: "\n") { line += 1 }
                        position += 1
                    }
                case UInt8(ascii: "\""):
                    while true {
                        guard position < end else { break scan }
                        let quoted = base[position]
                        position += 1
                        if quoted == UInt8(ascii: "\"") { break }
                        if quoted == UInt8(ascii: "\n") { break scan }
                        if quoted == UInt8(ascii: "\\"), position < end {
                            if base[position] == UInt8(ascii: "\n") { line += 1 }
                            position += 1
                        }
                    }
                default:
                    break
                }
            }
        }
        current.end = end
        pieces.append(current)
        return pieces
    }

    /// Follows `$ORIGIN` and `$TTL` and passes over `$GENERATE`; returns false for any other directive and for any
    /// directive the parser would reject, after which no more cuts are made.
    func applyDirective(_ lexer: ZoneFileLexer, _ tokens: [RawToken], origin: inout DomainName, defaultTTL: inout UInt32?) -> Bool {
        guard !tokens[0].isQuoted else { return false }
        let directive = lexer.text(tokens[0]).uppercased()
        // `$GENERATE` makes records, which carry no state across a cut that the merge does not check.
        if directive == "$GENERATE" { return true }
        guard tokens.count == 2 else { return false }
        switch directive {
        case "$ORIGIN":
            guard let name = try? DomainName(parsing: lexer.text(tokens[1]), origin: origin) else { return false }
            origin = name
        case "$TTL":
            guard let value = TTLText.parse(lexer.text(tokens[1])) else { return false }
            defaultTTL = value > 0x7FFF_FFFF ? 0 : value
        default:
            return false
        }
        return true
    }

    /// Whether a line starting with this byte starts with an owner name.
    static func startsOwner(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: ";"),
            UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "$"):
            return false
        default:
            return true
        }
    }

    /// Whether the unquoted tokens at two offsets have the same bytes, ignoring ASCII case.
    static func sameToken(_ base: UnsafePointer<UInt8>, _ end: Int, _ a: Int, _ b: Int) -> Bool {
        guard a >= 0 else { return false }
        func isDelimiter(_ offset: Int) -> Bool {
            guard offset < end else { return true }
            switch base[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: ";"),
                UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""):
                return true
            default:
                return false
            }
        }
        var i = 0
        while true {
            let endA = isDelimiter(a + i)
            let endB = isDelimiter(b + i)
            if endA || endB { return endA && endB }
            if base[a + i] | 0x20 != base[b + i] | 0x20 { return false }
            i += 1
        }
    }
}

/// Byte classes for the scanners, one table lookup instead of a chain of comparisons:
/// `structuralByte` marks the bytes that can change the lexer's state (line end, `;`, `(`, `)`,
/// `"` and backslash), `plainTokenByte` the bytes that continue a plain unquoted token
/// (printable ASCII other than those).
nonisolated(unsafe) let zoneByteClasses: UnsafePointer<UInt8> = {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    for byte in 0..<256 {
        var classes: UInt8 = 0
        switch UInt8(byte) {
        case UInt8(ascii: "\n"), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "\\"):
            classes |= structuralByte
        case 0x21...0x7E:
            classes |= plainTokenByte
        default:
            break
        }
        table[byte] = classes
    }
    return UnsafePointer(table)
}()

let structuralByte: UInt8 = 1
let plainTokenByte: UInt8 = 2

/// Offset of the first byte at or after `start` that can change the lexer's state (line end,
/// `;`, `(`, `)`, `"` or backslash). It tests eight bytes at a time, where a zero byte in
/// `word ^ pattern` marks a match, so in the last seven bytes it returns the offset where it
/// stopped and the caller tests the remaining bytes one by one.
@inline(__always)
func nextStructuralByte(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highBits: UInt64 = 0x8080_8080_8080_8080
    @inline(__always) func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highBits }
    var position = start
    while position + 8 <= end {
        let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
        let matches = zeroBytes(word ^ (ones &* 0x0A)) | zeroBytes(word ^ (ones &* 0x3B)) | zeroBytes(word ^ (ones &* 0x28))
            | zeroBytes(word ^ (ones &* 0x29)) | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
        if matches != 0 {
            // The lowest marked byte is always a real match; marks above it may not be.
            return position + matches.trailingZeroBitCount / 8
        }
        position += 8
    }
    return position
}
