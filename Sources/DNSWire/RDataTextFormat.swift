/// A bounds-checked cursor over RDATA for printing. Every read returns nil past the end.
struct RDataReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { offset == bytes.count }

    mutating func uint8() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16() -> UInt16? {
        guard offset + 2 <= bytes.count else { return nil }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func uint32() -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }

    mutating func name() -> String? {
        guard let end = RDataNames.nameEnd(bytes, at: offset) else { return nil }
        defer { offset = end }
        return DomainName(uncheckedWire: Array(bytes[offset..<end])).description
    }

    /// A length-prefixed <character-string>, quoted and escaped.
    mutating func characterString() -> String? {
        guard let length = uint8(), let text = bytes(Int(length)) else { return nil }
        return RDataText.quoted(text)
    }
}

extension RDataText {
    static func formatKnown(type: RRType, reader: inout RDataReader) -> String? {
        switch type {
        case .a:
            guard let bytes = reader.bytes(4) else { return nil }
            return bytes.map(String.init).joined(separator: ".")
        case .aaaa:
            guard let bytes = reader.bytes(16) else { return nil }
            return formatIPv6(bytes)
        case .ns, .md, .mf, .cname, .mb, .mg, .mr, .ptr, .dname:
            return reader.name()
        case .soa:
            guard let primary = reader.name(), let mailbox = reader.name(),
                let serial = reader.uint32(), let refresh = reader.uint32(), let retry = reader.uint32(),
                let expire = reader.uint32(), let minimum = reader.uint32()
            else { return nil }
            return "\(primary) \(mailbox) \(serial) \(refresh) \(retry) \(expire) \(minimum)"
        case .mx, .afsdb, .kx, .rt:
            guard let preference = reader.uint16(), let name = reader.name() else { return nil }
            return "\(preference) \(name)"
        case .minfo, .rp, .talink:
            guard let first = reader.name(), let second = reader.name() else { return nil }
            return "\(first) \(second)"
        case .txt, .spf, .avc, .ninfo:
            var strings: [String] = []
            while !reader.atEnd {
                guard let string = reader.characterString() else { return nil }
                strings.append(string)
            }
            return strings.isEmpty ? nil : strings.joined(separator: " ")
        case .x25:
            return reader.characterString()
        case .isdn:
            guard let address = reader.characterString() else { return nil }
            guard !reader.atEnd else { return address }
            guard let subaddress = reader.characterString() else { return nil }
            return "\(address) \(subaddress)"
        case .dhcid:
            let data = reader.rest()
            return data.isEmpty ? nil : splitBase64(data)
        case .hinfo:
            guard let cpu = reader.characterString(), let os = reader.characterString() else { return nil }
            return "\(cpu) \(os)"
        case .srv:
            guard let priority = reader.uint16(), let weight = reader.uint16(), let port = reader.uint16(),
                let target = reader.name()
            else { return nil }
            return "\(priority) \(weight) \(port) \(target)"
        case .naptr:
            guard let order = reader.uint16(), let preference = reader.uint16(),
                let flags = reader.characterString(), let services = reader.characterString(),
                let regexp = reader.characterString(), let replacement = reader.name()
            else { return nil }
            return "\(order) \(preference) \(flags) \(services) \(regexp) \(replacement)"
        case .caa:
            guard let flags = reader.uint8(), let tagLength = reader.uint8(), tagLength > 0,
                let tag = reader.bytes(Int(tagLength)), tag.allSatisfy(isASCIIAlphanumeric)
            else { return nil }
            return "\(flags) \(String(decoding: tag, as: UTF8.self)) \(quoted(reader.rest()))"
        case .uri:
            guard let priority = reader.uint16(), let weight = reader.uint16() else { return nil }
            return "\(priority) \(weight) \(quoted(reader.rest()))"
        case .ds, .cds, .ta, .dlv:
            guard let tag = reader.uint16(), let algorithm = reader.uint8(), let digestType = reader.uint8() else { return nil }
            let digest = reader.rest()
            return "\(tag) \(algorithm) \(digestType)" + (digest.isEmpty ? "" : " " + splitHex(digest).uppercased())
        case .sshfp:
            guard let algorithm = reader.uint8(), let fingerprintType = reader.uint8() else { return nil }
            let fingerprint = reader.rest()
            return "\(algorithm) \(fingerprintType)" + (fingerprint.isEmpty ? "" : " " + splitHex(fingerprint).uppercased())
        case .tlsa, .smimea:
            guard let usage = reader.uint8(), let selector = reader.uint8(), let matching = reader.uint8() else { return nil }
            let data = reader.rest()
            return "\(usage) \(selector) \(matching)" + (data.isEmpty ? "" : " " + splitHex(data).uppercased())
        case .dnskey, .cdnskey, .key:
            guard let flags = reader.uint16(), let proto = reader.uint8(), let algorithm = reader.uint8() else { return nil }
            let key = reader.rest()
            return "\(flags) \(proto) \(algorithm)" + (key.isEmpty ? "" : " " + splitBase64(key))
        case .openpgpkey:
            let key = reader.rest()
            return key.isEmpty ? nil : splitBase64(key)
        case .eui48, .eui64:
            guard let address = reader.bytes(type == .eui48 ? 6 : 8) else { return nil }
            return address.map { hexString([$0]).lowercased() }.joined(separator: "-")
        case .nid, .l64:
            guard let preference = reader.uint16(), let locator = reader.bytes(8) else { return nil }
            let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(locator[$0]) << 8 | UInt16(locator[$0 + 1]), radix: 16) }
            return "\(preference) " + groups.joined(separator: ":")
        case .l32:
            guard let preference = reader.uint16(), let locator = reader.bytes(4) else { return nil }
            return "\(preference) " + locator.map(String.init).joined(separator: ".")
        case .lp:
            guard let preference = reader.uint16(), let name = reader.name() else { return nil }
            return "\(preference) \(name)"
        default:
            return formatDNSSEC(type: type, reader: &reader) ?? formatLocationOrService(type: type, reader: &reader)
        }
    }

    /// A string in double quotes: `"` and `\` escaped with a backslash, bytes outside
    /// printable ASCII as `\DDD`.
    public static func quoted(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                text.append("\\")
                text.append(Character(Unicode.Scalar(byte)))
            case 0x20...0x7E:
                text.append(Character(Unicode.Scalar(byte)))
            default:
                let digits = String(byte)
                text.append("\\" + String(repeating: "0", count: 3 - digits.count) + digits)
            }
        }
        text.append("\"")
        return text
    }

    /// IPv6 text as BIND prints it: RFC 5952 zero compression in lower case, with the
    /// IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms in dotted notation.
    public static func formatIPv6(_ bytes: [UInt8]) -> String {
        var words: [Int] = []
        for i in 0..<8 {
            words.append(Int(bytes[2 * i]) << 8 | Int(bytes[2 * i + 1]))
        }
        // The first longest run of at least two zero words.
        var bestStart = -1
        var bestLength = 0
        var i = 0
        while i < 8 {
            if words[i] == 0 {
                var j = i
                while j < 8 && words[j] == 0 { j += 1 }
                if j - i > bestLength {
                    bestStart = i
                    bestLength = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        if bestLength < 2 {
            bestStart = -1
        }
        var text = ""
        i = 0
        while i < 8 {
            if i == bestStart {
                text += "::"
                i += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix("::") {
                text += ":"
            }
            if i == 6 && bestStart == 0
                && (bestLength == 6 || (bestLength == 7 && words[7] != 1) || (bestLength == 5 && words[5] == 0xFFFF))
            {
                text += bytes[12..<16].map(String.init).joined(separator: ".")
                break
            }
            text += String(words[i], radix: 16)
            i += 1
        }
        return text
    }

    /// Hex digits in groups separated by spaces, as BIND prints long hex fields on one line.
    static func splitHex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if index > 0 && index % hexGroupOctets == 0 {
                text.append(0x20)
            }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Base64 text in groups separated by spaces, as BIND prints long keys on one line.
    static func splitBase64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var text: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            text.append(alphabet[Int((triple >> 18) & 63)])
            text.append(alphabet[Int((triple >> 12) & 63)])
            text.append(index + 1 < bytes.count ? alphabet[Int((triple >> 6) & 63)] : UInt8(ascii: "="))
            text.append(index + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            index += 3
        }
        var grouped: [UInt8] = []
        for (position, char) in text.enumerated() {
            if position > 0 && position % base64GroupCharacters == 0 {
                grouped.append(0x20)
            }
            grouped.append(char)
        }
        return String(decoding: grouped, as: UTF8.self)
    }

    // BIND 9.18 splits hex and base64 fields into groups of 56 characters when it prints one record per line.
    static let hexGroupOctets = 28
    static let base64GroupCharacters = 56
}
