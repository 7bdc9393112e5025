/// Consumes RDATA fields one by one and converts each to wire bytes.
struct FieldReader {
    let fields: [PresentationField]
    let origin: DomainName?
    let type: RRType
    var index = 0
    /// The field that the last read started at, which an error found after the read is about.
    /// Equal to the field count after a read past the end.
    private(set) var lastFieldIndex = 0

    init(fields: [PresentationField], origin: DomainName?, type: RRType) {
        self.fields = fields
        self.origin = origin
        self.type = type
    }

    var atEnd: Bool { index >= fields.count }

    mutating func next(_ what: String) throws(RDataTextError) -> PresentationField {
        lastFieldIndex = index
        guard index < fields.count else {
            throw RDataTextError("\(type) record is missing its \(what): add it after the other fields", fieldIndex: fields.count)
        }
        defer { index += 1 }
        return fields[index]
    }

    /// Consumes and returns the remaining fields.
    mutating func rest() -> [PresentationField] {
        lastFieldIndex = index
        defer { index = fields.count }
        return Array(fields[index...])
    }

    func expectEnd() throws(RDataTextError) {
        guard index < fields.count else { return }
        throw RDataTextError(
            "unexpected extra text '\(fields[index].text)' after the \(type) RDATA: remove it or quote it", fieldIndex: index)
    }

    mutating func name(_ what: String) throws(RDataTextError) -> [UInt8] {
        let field = try next(what)
        do {
            return try DomainName(parsing: field.text, origin: origin).wire
        } catch {
            throw RDataTextError("invalid \(what) '\(field.text)' in \(type) record: \(error): \(error.remedy)")
        }
    }

    mutating func unsigned(_ what: String, max: UInt64) throws(RDataTextError) -> UInt64 {
        let field = try next(what)
        guard let value = UInt64(field.text), value <= max else {
            throw RDataTextError("invalid \(what) '\(field.text)' in \(type) record: expected a number from 0 to \(max)")
        }
        return value
    }

    mutating func uint8(_ what: String) throws(RDataTextError) -> [UInt8] {
        [UInt8(try unsigned(what, max: 255))]
    }

    mutating func uint16(_ what: String) throws(RDataTextError) -> [UInt8] {
        let value = UInt16(try unsigned(what, max: 65535))
        return [UInt8(value >> 8), UInt8(value & 0xFF)]
    }

    mutating func uint32(_ what: String) throws(RDataTextError) -> [UInt8] {
        bigEndian(UInt32(try unsigned(what, max: 0xFFFF_FFFF)))
    }

    /// Reads a 32-bit time value, accepting BIND's units (`1w2d`, `1h30m`).
    mutating func duration(_ what: String) throws(RDataTextError) -> [UInt8] {
        let field = try next(what)
        guard let value = TTLText.parse(field.text) else {
            throw RDataTextError("invalid \(what) '\(field.text)' in \(type) record: expected seconds or a duration such as 1W2D or 1h30m")
        }
        return bigEndian(value)
    }

    mutating func characterString(_ what: String) throws(RDataTextError) -> [UInt8] {
        let field = try next(what)
        return try RDataText.characterString(field, what: what, type: type)
    }

    /// Base64 or hex text that may be split over several fields, up to the end of the RDATA.
    mutating func joinedRest() -> String {
        rest().map(\.text).joined()
    }
}

func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

/// TTL and duration text: a plain number of seconds, or number-unit pairs with the units
/// W, D, H, M, S in any case, as BIND accepts them (`1W2D`, `1h30m`). A trailing number without
/// a unit after other pairs (`1h30`) is rejected, as BIND rejects it.
public enum TTLText {
    public static func parse(_ text: String) -> UInt32? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// Parses TTL text given as UTF-8 bytes.
    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard !bytes.isEmpty, bytes.count < 64 else { return nil }
        var total: UInt64 = 0
        var sawUnit = false
        var index = 0
        while index < bytes.count {
            var number: UInt64 = 0
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                number = number * 10 + UInt64(bytes[index] - 0x30)
                guard number <= 0xFFFF_FFFF else { return nil }
                index += 1
            }
            guard index > start else { return nil }
            if index == bytes.count {
                guard !sawUnit else { return nil }
                total = number
                break
            }
            let multiplier: UInt64
            switch bytes[index] | 0x20 {
            case UInt8(ascii: "w"): multiplier = 7 * 86400
            case UInt8(ascii: "d"): multiplier = 86400
            case UInt8(ascii: "h"): multiplier = 3600
            case UInt8(ascii: "m"): multiplier = 60
            case UInt8(ascii: "s"): multiplier = 1
            default: return nil
            }
            index += 1
            sawUnit = true
            total += number * multiplier
            guard total <= 0xFFFF_FFFF else { return nil }
        }
        return UInt32(total)
    }
}

/// Strict parsers for the common RDATA fields, working on UTF-8 bytes. Each accepts a subset
/// of what the `String` parsers accept and gives the same result for it; nil means "not in the
/// subset", after which the caller uses the `String` parser, which gives the error message.
public enum RDataBytes {
    /// A decimal number of 1 to 10 digits no greater than `max`.
    @inline(__always)
    public static func unsigned(_ bytes: UnsafeBufferPointer<UInt8>, max: UInt32) -> UInt32? {
        guard !bytes.isEmpty, bytes.count <= 10 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + UInt64(digit)
        }
        return value <= UInt64(max) ? UInt32(value) : nil
    }

    /// A dotted-quad IPv4 address, appended to `out` in network order.
    public static func appendIPv4(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        var parts = 0
        var value = 0
        var digits = 0
        var result: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return false }
                withUnsafeMutableBytes(of: &result) { $0[parts] = UInt8(value) }
                parts += 1
                value = 0
                digits = 0
                continue
            }
            let digit = Int(byte &- 0x30)
            guard digit < 10, digits < 3 else { return false }
            value = value * 10 + digit
            guard value <= 255 else { return false }
            digits += 1
        }
        guard digits > 0, parts == 3 else { return false }
        withUnsafeMutableBytes(of: &result) { $0[3] = UInt8(value) }
        out.append(result.0)
        out.append(result.1)
        out.append(result.2)
        out.append(result.3)
        return true
    }

    /// An IPv6 address of hexadecimal groups with at most one `::` and no embedded IPv4 part,
    /// appended to `out` in network order.
    public static func appendIPv6(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
        var groups: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &groups) { raw -> Bool in
            let words = raw.bindMemory(to: UInt16.self)
            var count = 0
            var gap = -1
            var index = 0
            let end = bytes.count
            if end >= 2, bytes[0] == UInt8(ascii: ":"), bytes[1] == UInt8(ascii: ":") {
                gap = 0
                index = 2
                if index == end { count = 0 }
            } else if end == 0 {
                return false
            }
            while index < end {
                var value: UInt16 = 0
                var digits = 0
                while index < end, let nibble = hexValue(bytes[index]) {
                    guard digits < 4 else { return false }
                    value = value << 4 | UInt16(nibble)
                    digits += 1
                    index += 1
                }
                guard digits > 0, count < 8 else { return false }
                words[count] = value
                count += 1
                if index == end { break }
                guard bytes[index] == UInt8(ascii: ":") else { return false }
                index += 1
                guard index < end else { return false }
                if bytes[index] == UInt8(ascii: ":") {
                    guard gap < 0 else { return false }
                    gap = count
                    index += 1
                }
            }
            if gap < 0 {
                guard count == 8 else { return false }
            } else {
                guard count < 8 else { return false }
            }
            let zeros = 8 - count
            var group = 0
            for position in 0..<8 {
                var value: UInt16 = 0
                if gap >= 0, position >= gap, position < gap + zeros {
                    value = 0
                } else {
                    value = words[group]
                    group += 1
                }
                out.append(UInt8(value >> 8))
                out.append(UInt8(value & 0xFF))
            }
            return true
        }
    }
}

extension RDataText {
    static func parseKnown(type: RRType, reader: inout FieldReader) throws(RDataTextError) -> [UInt8] {
        switch type {
        case .a:
            let field = try reader.next("IPv4 address")
            guard let bytes = parseIPv4(field.text) else {
                throw RDataTextError("invalid IPv4 address '\(field.text)' in A record: expected a dotted quad such as 192.0.2.1")
            }
            return bytes
        case .aaaa:
            let field = try reader.next("IPv6 address")
            guard let bytes = parseIPv6(field.text) else {
                throw RDataTextError("invalid IPv6 address '\(field.text)' in AAAA record: expected an address such as 2001:db8::1")
            }
            return bytes
        case .ns, .md, .mf, .cname, .mb, .mg, .mr, .ptr, .dname:
            return try reader.name("target name")
        case .soa:
            var rdata = try reader.name("primary server name")
            rdata += try reader.name("responsible mailbox name")
            rdata += try reader.uint32("serial")
            rdata += try reader.duration("refresh")
            rdata += try reader.duration("retry")
            rdata += try reader.duration("expire")
            rdata += try reader.duration("minimum")
            return rdata
        case .mx, .afsdb, .kx, .rt:
            var rdata = try reader.uint16("preference")
            rdata += try reader.name("exchange name")
            return rdata
        case .minfo, .rp, .talink:
            var rdata = try reader.name("mailbox name")
            rdata += try reader.name("second name")
            return rdata
        case .txt, .spf, .avc, .ninfo:
            guard !reader.atEnd else {
                throw RDataTextError("\(type) record has no strings: add at least one, for example \"\"")
            }
            var rdata: [UInt8] = []
            while !reader.atEnd {
                rdata += try reader.characterString("string")
            }
            return rdata
        case .x25:
            return try reader.characterString("PSDN address")
        case .isdn:
            var rdata = try reader.characterString("ISDN address")
            if !reader.atEnd {
                rdata += try reader.characterString("subaddress")
            }
            return rdata
        case .dhcid:
            let data = try decodeBase64(reader.joinedRest(), what: "DHCID data")
            guard !data.isEmpty else {
                throw RDataTextError("DHCID record is missing its data: add the base64 data")
            }
            return data
        case .hinfo:
            var rdata = try reader.characterString("CPU string")
            rdata += try reader.characterString("OS string")
            return rdata
        case .srv:
            var rdata = try reader.uint16("priority")
            rdata += try reader.uint16("weight")
            rdata += try reader.uint16("port")
            rdata += try reader.name("target name")
            return rdata
        case .naptr:
            var rdata = try reader.uint16("order")
            rdata += try reader.uint16("preference")
            rdata += try reader.characterString("flags")
            rdata += try reader.characterString("services")
            rdata += try reader.characterString("regexp")
            rdata += try reader.name("replacement name")
            return rdata
        case .caa:
            var rdata = try reader.uint8("flags")
            let tag = try reader.next("tag")
            let tagBytes = try unescape(tag.text)
            guard !tagBytes.isEmpty, tagBytes.count <= 255,
                tagBytes.allSatisfy({ isASCIIAlphanumeric($0) })
            else {
                throw RDataTextError("invalid CAA tag '\(tag.text)': expected letters and digits such as issue, issuewild or iodef")
            }
            rdata.append(UInt8(tagBytes.count))
            rdata += tagBytes
            let value = try reader.next("value")
            rdata += try unescape(value.text)
            return rdata
        case .uri:
            var rdata = try reader.uint16("priority")
            rdata += try reader.uint16("weight")
            let target = try reader.next("target")
            guard target.isQuoted else {
                throw RDataTextError("URI target '\(target.text)' must be quoted: write \"\(target.text)\"")
            }
            rdata += try unescape(target.text)
            return rdata
        case .ds, .cds, .ta, .dlv:
            var rdata = try reader.uint16("key tag")
            rdata += try reader.uint8("algorithm")
            let digestType = try reader.uint8("digest type")[0]
            rdata.append(digestType)
            let digestText = reader.joinedRest()
            let digest = try decodeHex(digestText, what: "digest")
            guard !digest.isEmpty else {
                throw RDataTextError("\(type) record is missing its digest: add the digest in hex after the digest type")
            }
            // BIND 9.18 requires the full length for the digest types it knows (RFC 4509, RFC 6605).
            let known: [UInt8: (name: String, length: Int)] = [1: ("SHA-1", 20), 2: ("SHA-256", 32), 4: ("SHA-384", 48)]
            if let expected = known[digestType], digest.count != expected.length {
                throw RDataTextError(
                    "\(type) digest '\(digestText)' is \(digest.count) octets long: digest type \(digestType) (\(expected.name)) needs \(expected.length) octets, \(2 * expected.length) hex digits")
            }
            return rdata + digest
        case .sshfp:
            var rdata = try reader.uint8("algorithm")
            rdata += try reader.uint8("fingerprint type")
            rdata += try decodeHex(reader.joinedRest(), what: "fingerprint")
            return rdata
        case .tlsa, .smimea:
            var rdata = try reader.uint8("certificate usage")
            rdata += try reader.uint8("selector")
            rdata += try reader.uint8("matching type")
            rdata += try decodeHex(reader.joinedRest(), what: "certificate data")
            return rdata
        case .dnskey, .cdnskey, .key:
            var rdata = try reader.uint16("flags")
            rdata += try reader.uint8("protocol")
            rdata += try reader.uint8("algorithm")
            rdata += try decodeBase64(reader.joinedRest(), what: "public key")
            return rdata
        case .openpgpkey:
            return try decodeBase64(reader.joinedRest(), what: "public key")
        case .eui48, .eui64:
            let count = type == .eui48 ? 6 : 8
            let field = try reader.next("address")
            let groups = field.text.split(separator: "-", omittingEmptySubsequences: false)
            guard groups.count == count, groups.allSatisfy({ $0.utf8.count == 2 && $0.utf8.allSatisfy { hexValue($0) != nil } }) else {
                let example = type == .eui48 ? "00-00-5e-00-53-2a" : "00-00-5e-ef-10-00-00-2a"
                throw RDataTextError("invalid address '\(field.text)' in \(type) record: expected \(count) pairs of hex digits joined by '-', such as \(example)")
            }
            return groups.map { UInt8($0, radix: 16)! }
        case .nid, .l64:
            var rdata = try reader.uint16("preference")
            let field = try reader.next("locator")
            let groups = field.text.split(separator: ":", omittingEmptySubsequences: false)
            guard groups.count == 4, groups.allSatisfy({ (1...4).contains($0.utf8.count) && $0.utf8.allSatisfy { hexValue($0) != nil } }) else {
                throw RDataTextError("invalid locator '\(field.text)' in \(type) record: expected four groups of 1 to 4 hex digits joined by ':', such as 2001:db8:1140:1000")
            }
            for group in groups {
                let value = UInt16(group, radix: 16)!
                rdata += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return rdata
        case .l32:
            var rdata = try reader.uint16("preference")
            let field = try reader.next("locator")
            guard let address = parseIPv4(field.text) else {
                throw RDataTextError("invalid locator '\(field.text)' in L32 record: expected a dotted quad such as 10.1.2.0")
            }
            rdata += address
            return rdata
        case .lp:
            var rdata = try reader.uint16("preference")
            rdata += try reader.name("locator name")
            return rdata
        default:
            if let rdata = try parseDNSSEC(type: type, reader: &reader) {
                return rdata
            }
            if let rdata = try parseLocationOrService(type: type, reader: &reader) {
                return rdata
            }
            throw RDataTextError("type \(type) has no text format here: write its RDATA in the RFC 3597 generic form, for example '\\# 4 0a000001'")
        }
    }

    /// Converts one <character-string> to wire form: unescaped, at most 255 octets, length first.
    static func characterString(_ field: PresentationField, what: String, type: RRType) throws(RDataTextError) -> [UInt8] {
        let bytes = try unescape(field.text)
        guard bytes.count <= 255 else {
            throw RDataTextError("\(type) \(what) '\(field.text)' is \(bytes.count) octets long, more than 255: split it into several quoted strings")
        }
        return [UInt8(bytes.count)] + bytes
    }

    /// Resolves `\DDD` (decimal octet) and `\X` (literal X) escapes.
    public static func unescape(_ text: String) throws(RDataTextError) -> [UInt8] {
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                result.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else {
                throw RDataTextError("text '\(text)' ends with a lone backslash: write '\\\\' for a backslash")
            }
            if isDigit(bytes[index]) {
                guard index + 2 < bytes.count, isDigit(bytes[index + 1]), isDigit(bytes[index + 2]) else {
                    throw RDataTextError("invalid escape in '\(text)': a backslash followed by a digit needs exactly three digits, as in \\065")
                }
                let value = Int(bytes[index] - 0x30) * 100 + Int(bytes[index + 1] - 0x30) * 10 + Int(bytes[index + 2] - 0x30)
                guard value <= 255 else {
                    throw RDataTextError("invalid escape '\\\(value)' in '\(text)': the decimal value must be at most 255")
                }
                result.append(UInt8(value))
                index += 3
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy(isDigit), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        var groups: [UInt16] = []
        var tail: [UInt8] = []
        var source = Substring(text)
        // An embedded IPv4 address in the last 32 bits.
        if source.contains(".") {
            guard let colon = source.lastIndex(of: ":"), let v4 = parseIPv4(String(source[source.index(after: colon)...])) else {
                return nil
            }
            tail = v4
            source = source[...colon]
            if source.hasSuffix("::") {
                // keep the double colon
            } else {
                source = source.dropLast()
            }
        }
        let halves = source.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func parseGroups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        let wanted = tail.isEmpty ? 8 : 6
        if halves.count == 1 {
            guard let all = parseGroups(halves[0]), all.count == wanted else { return nil }
            groups = all
        } else {
            guard let head = parseGroups(halves[0]), let rear = parseGroups(halves[1]),
                head.count + rear.count < wanted
            else { return nil }
            groups = head + Array(repeating: 0, count: wanted - head.count - rear.count) + rear
        }
        var bytes: [UInt8] = []
        for group in groups {
            bytes.append(UInt8(group >> 8))
            bytes.append(UInt8(group & 0xFF))
        }
        return bytes + tail
    }

    static func decodeHex(_ text: String, what: String = "hex data") throws(RDataTextError) -> [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8? = nil
        for char in text.utf8 {
            guard let nibble = hexValue(char) else {
                throw RDataTextError("invalid \(what) '\(text)': expected hexadecimal digits")
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else {
            throw RDataTextError("invalid \(what) '\(text)': odd number of hexadecimal digits")
        }
        return bytes
    }

    static func decodeBase64(_ text: String, what: String) throws(RDataTextError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        var padding = 0
        for char in text.utf8 {
            if char == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0, let value = base64Value(char) else {
                throw RDataTextError("invalid \(what) '\(text)': expected base64 text")
            }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        guard (text.utf8.count % 4) == 0, padding <= 2 else {
            throw RDataTextError("invalid \(what) '\(text)': base64 text must be a multiple of 4 characters long")
        }
        return bytes
    }
}

func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
}

func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: return byte - 0x30
    case 0x41...0x46: return byte - 0x41 + 10
    case 0x61...0x66: return byte - 0x61 + 10
    default: return nil
    }
}

func base64Value(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x41...0x5A: return byte - 0x41
    case 0x61...0x7A: return byte - 0x61 + 26
    case 0x30...0x39: return byte - 0x30 + 52
    case UInt8(ascii: "+"): return 62
    case UInt8(ascii: "/"): return 63
    default: return nil
    }
}

extension Substring {
    /// Splits at `::` occurrences.
    fileprivate func components(separatedByDoubleColon: Void) -> [Substring] {
        var parts: [Substring] = []
        var start = startIndex
        var index = startIndex
        while index < endIndex {
            let next = self.index(after: index)
            if self[index] == ":", next < endIndex, self[next] == ":" {
                parts.append(self[start..<index])
                index = self.index(after: next)
                start = index
                continue
            }
            index = next
        }
        parts.append(self[start..<endIndex])
        return parts
    }
}
