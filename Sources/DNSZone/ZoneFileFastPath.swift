import DNSWire

/// The fast path for the records that make up almost all of a large zone: TTL, class and type
/// read from bytes, and the RDATA of the common types converted to wire form straight from the
/// file's bytes. Anything outside it (escapes, uncommon types, any error) goes to the general
/// path, which then gives the same result or the error message.
extension ParserState {
    /// Reads the record on `tokens` from `start`, or returns false, having changed nothing, when
    /// the record needs the general path.
    mutating func fastRecord(
        _ lexer: ZoneFileLexer, _ tokens: [RawToken], from start: Int, owner: DomainName, origin: DomainName, file: String, line: Int
    ) throws(ZoneFileError) -> Bool {
        var index = start
        var ttl: UInt32? = nil
        var ttlLine = line
        var sawClass = false
        while index < tokens.count, !tokens[index].isQuoted {
            let token = tokens[index]
            guard token.isPlain else { return false }
            let bytes = lexer.bytes(token)
            if ttl == nil, isDigitByte(bytes[0]) {
                guard let value = TTLText.parse(utf8: bytes) else { return false }
                ttl = value
                ttlLine = token.line
                index += 1
            } else if !sawClass, bytes.count == 2, bytes[0] | 0x20 == UInt8(ascii: "i"), bytes[1] | 0x20 == UInt8(ascii: "n") {
                guard zoneClass == .in else { return false }
                sawClass = true
                index += 1
            } else {
                break
            }
        }
        guard index < tokens.count, !tokens[index].isQuoted, tokens[index].isPlain,
            let type = Self.commonType(lexer.bytes(tokens[index]))
        else { return false }
        index += 1

        var rdata: [UInt8] = []
        switch type {
        case .a:
            guard index + 1 == tokens.count, tokens[index].isPlain else { return false }
            rdata.reserveCapacity(4)
            guard RDataBytes.appendIPv4(lexer.bytes(tokens[index]), to: &rdata) else { return false }
        case .aaaa:
            guard index + 1 == tokens.count, tokens[index].isPlain else { return false }
            rdata.reserveCapacity(16)
            guard RDataBytes.appendIPv6(lexer.bytes(tokens[index]), to: &rdata) else { return false }
        case .ns, .cname, .ptr, .dname:
            guard index + 1 == tokens.count else { return false }
            guard Self.appendName(lexer, tokens[index], origin: origin, to: &rdata) else { return false }
        case .mx:
            guard index + 2 == tokens.count, tokens[index].isPlain,
                let preference = RDataBytes.unsigned(lexer.bytes(tokens[index]), max: 0xFFFF)
            else { return false }
            rdata.append(UInt8(preference >> 8))
            rdata.append(UInt8(preference & 0xFF))
            guard Self.appendName(lexer, tokens[index + 1], origin: origin, to: &rdata) else { return false }
        case .srv:
            guard index + 4 == tokens.count else { return false }
            for offset in 0..<3 {
                guard tokens[index + offset].isPlain,
                    let value = RDataBytes.unsigned(lexer.bytes(tokens[index + offset]), max: 0xFFFF)
                else { return false }
                rdata.append(UInt8(value >> 8))
                rdata.append(UInt8(value & 0xFF))
            }
            guard Self.appendName(lexer, tokens[index + 3], origin: origin, to: &rdata) else { return false }
        case .txt, .spf:
            guard index < tokens.count else { return false }
            var total = 0
            for token in tokens[index...] {
                guard token.isPlain, token.end - token.start <= 255 else { return false }
                total += 1 + token.end - token.start
            }
            rdata.reserveCapacity(total)
            for token in tokens[index...] {
                let bytes = lexer.bytes(token)
                rdata.append(UInt8(bytes.count))
                rdata.append(contentsOf: bytes)
            }
        default:
            return false
        }

        if let value = ttl {
            ttl = clampTTL(value, file: file, line: ttlLine)
        }
        try finishRecord(owner: owner, type: type, ttl: ttl, rdata: rdata, file: file, line: line)
        return true
    }

    /// Appends the wire form of a name field, or returns false when the field needs the general path.
    @inline(__always)
    static func appendName(_ lexer: ZoneFileLexer, _ token: RawToken, origin: DomainName, to rdata: inout [UInt8]) -> Bool {
        guard token.isPlain else { return false }
        let bytes = lexer.bytes(token)
        rdata.reserveCapacity(rdata.count + bytes.count + 2 + origin.wire.count)
        do {
            try DomainName.appendWire(parsingUTF8: bytes, origin: origin, to: &rdata)
            return true
        } catch {
            return false
        }
    }

    /// The types the fast path reads, from their mnemonic in any case; nil for any other text.
    static func commonType(_ bytes: UnsafeBufferPointer<UInt8>) -> RRType? {
        var word: UInt64 = 0
        guard bytes.count <= 5 else { return nil }
        for byte in bytes {
            word = word << 8 | UInt64(byte & 0xDF)
        }
        switch (bytes.count, word) {
        case (1, 0x41): return .a
        case (4, 0x4141_4141): return .aaaa
        case (2, 0x4E53): return .ns
        case (5, 0x43_4E41_4D45): return .cname
        case (2, 0x4D58): return .mx
        case (3, 0x54_5854): return .txt
        case (3, 0x53_5256): return .srv
        case (3, 0x50_5452): return .ptr
        case (5, 0x44_4E41_4D45): return .dname
        case (3, 0x53_5046): return .spf
        default: return nil
        }
    }
}
