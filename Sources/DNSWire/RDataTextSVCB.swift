/// SVCB and HTTPS SvcParams (RFC 9460 section 2.2): `key=value` fields in any order on input,
/// sorted by key number on the wire.
enum ServiceParameters {
    static let names: [UInt16: String] = [
        0: "mandatory", 1: "alpn", 2: "no-default-alpn", 3: "port", 4: "ipv4hint", 5: "ech", 6: "ipv6hint",
    ]

    /// The key number for `mandatory`, `alpn`, ... or `keyNNNNN`. BIND 9.18 reads `dohpath`
    /// (key 7) but prints it as key7.
    static func key(named text: String) -> UInt16? {
        let lower = text.lowercased()
        if lower == "dohpath" { return 7 }
        if let entry = names.first(where: { $0.value == lower }) { return entry.key }
        guard lower.hasPrefix("key"), lower.count > 3, lower.count <= 8, lower.dropFirst(3).utf8.allSatisfy(isDigit),
            let value = UInt16(lower.dropFirst(3))
        else { return nil }
        return value
    }

    static func keyName(_ key: UInt16) -> String { names[key] ?? "key\(key)" }

    static func parse(_ reader: inout FieldReader) throws(RDataTextError) -> [UInt8] {
        var parameters: [UInt16: [UInt8]] = [:]
        // The field of each key, for errors found after all keys are read.
        var keyFields: [UInt16: Int] = [:]
        while !reader.atEnd {
            let field = try reader.next("SvcParam")
            let fieldIndex = reader.index - 1
            var keyText = field.text
            var valueText: String? = nil
            if let equals = field.text.firstIndex(of: "=") {
                keyText = String(field.text[..<equals])
                valueText = String(field.text[field.text.index(after: equals)...])
                // The lexer returns `alpn="h2,h3"` as `alpn=` and the quoted string.
                if valueText == "", !reader.atEnd, reader.fields[reader.index].isQuoted {
                    valueText = try reader.next("SvcParam value").text
                }
            }
            guard let key = key(named: keyText) else {
                throw RDataTextError("invalid SvcParam key '\(keyText)' in \(reader.type) record: expected mandatory, alpn, no-default-alpn, port, ipv4hint, ech, ipv6hint or keyNNNNN")
            }
            guard parameters[key] == nil else {
                throw RDataTextError("duplicate SvcParam key '\(keyName(key))' in \(reader.type) record: give each key once")
            }
            let isGeneric = keyText.lowercased().hasPrefix("key") || key > 6
            let value = try parseValue(key: key, text: valueText, generic: isGeneric, type: reader.type)
            guard value.count <= 65535 else {
                throw RDataTextError("SvcParam \(keyName(key)) in \(reader.type) record is longer than 65535 octets: shorten it")
            }
            parameters[key] = value
            keyFields[key] = fieldIndex
        }
        try checkMandatory(parameters, type: reader.type, keyFields: keyFields)
        var wire: [UInt8] = []
        for key in parameters.keys.sorted() {
            let value = parameters[key]!
            wire += [UInt8(key >> 8), UInt8(key & 0xFF), UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
        }
        return wire
    }

    /// The checks of RFC 9460 section 8: `mandatory` may not list itself, and every key it
    /// lists must be present. `no-default-alpn` also needs `alpn` (section 7.1.1).
    static func checkMandatory(_ parameters: [UInt16: [UInt8]], type: RRType, keyFields: [UInt16: Int]) throws(RDataTextError) {
        if let mandatory = parameters[0] {
            for index in stride(from: 0, to: mandatory.count, by: 2) {
                let key = UInt16(mandatory[index]) << 8 | UInt16(mandatory[index + 1])
                guard key != 0 else {
                    throw RDataTextError("SvcParam mandatory in \(type) record lists 'mandatory' itself: remove it from the list", fieldIndex: keyFields[0])
                }
                guard parameters[key] != nil else {
                    throw RDataTextError("SvcParam mandatory in \(type) record lists '\(keyName(key))', which the record does not contain: add \(keyName(key))=... or remove it from the list",
                        fieldIndex: keyFields[0])
                }
            }
        }
        if parameters[2] != nil && parameters[1] == nil {
            throw RDataTextError("\(type) record has no-default-alpn without alpn: add an alpn list", fieldIndex: keyFields[2])
        }
    }

    static func parseValue(key: UInt16, text: String?, generic: Bool, type: RRType) throws(RDataTextError) -> [UInt8] {
        let bytes = try text.map { (value: String) throws(RDataTextError) -> [UInt8] in try RDataText.unescape(value) } ?? []
        if generic {
            // A known key written as keyNNNNN carries its wire form, which must still be valid.
            if key <= 6 && !validValue(key: key, bytes) {
                throw RDataTextError("invalid value for key\(key) in \(type) record: the octets are not a valid \(keyName(key)) value")
            }
            return bytes
        }
        let name = keyName(key)
        if key == 2 {
            guard text == nil else {
                throw RDataTextError("SvcParam no-default-alpn in \(type) record has the value '\(text ?? "")' but takes none: write no-default-alpn alone")
            }
            return []
        }
        guard text != nil, !bytes.isEmpty else {
            throw RDataTextError("SvcParam \(name) in \(type) record is missing its value: write \(name)=VALUE")
        }
        let items = splitList(bytes)
        switch key {
        case 0:
            var keys: [UInt16] = []
            for item in items {
                let itemText = String(decoding: item, as: UTF8.self)
                guard let listed = self.key(named: itemText) else {
                    throw RDataTextError("invalid key '\(itemText)' in SvcParam mandatory of \(type) record: expected key names such as alpn,port")
                }
                guard !keys.contains(listed) else {
                    throw RDataTextError("key '\(itemText)' appears twice in SvcParam mandatory of \(type) record: list each key once")
                }
                keys.append(listed)
            }
            return keys.sorted().flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case 1:
            var wire: [UInt8] = []
            for item in items {
                guard !item.isEmpty, item.count <= 255 else {
                    throw RDataTextError("invalid ALPN id in SvcParam alpn of \(type) record: each id must be 1 to 255 octets, as in alpn=h2,h3")
                }
                wire += [UInt8(item.count)] + item
            }
            return wire
        case 3:
            let portText = String(decoding: bytes, as: UTF8.self)
            guard portText.utf8.allSatisfy(isDigit), let port = UInt16(portText) else {
                throw RDataTextError("invalid port '\(portText)' in \(type) record: expected a number from 0 to 65535")
            }
            return [UInt8(port >> 8), UInt8(port & 0xFF)]
        case 4, 6:
            var wire: [UInt8] = []
            for item in items {
                let address = String(decoding: item, as: UTF8.self)
                guard let parsed = key == 4 ? RDataText.parseIPv4(address) : RDataText.parseIPv6(address) else {
                    throw RDataTextError("invalid address '\(address)' in SvcParam \(name) of \(type) record: expected a comma-separated list such as \(key == 4 ? "192.0.2.1,192.0.2.2" : "2001:db8::1,2001:db8::2")")
                }
                wire += parsed
            }
            return wire
        default:
            return try RDataText.decodeBase64(String(decoding: bytes, as: UTF8.self), what: "SvcParam ech")
        }
    }

    /// Splits a value list at commas; a backslash makes the next octet literal (RFC 9460 appendix A.1).
    static func splitList(_ bytes: [UInt8]) -> [[UInt8]] {
        var items: [[UInt8]] = [[]]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                items[items.count - 1].append(bytes[index + 1])
                index += 2
                continue
            }
            if byte == UInt8(ascii: ",") {
                items.append([])
            } else {
                items[items.count - 1].append(byte)
            }
            index += 1
        }
        return items
    }

    static func validValue(key: UInt16, _ value: [UInt8]) -> Bool {
        switch key {
        case 0: return !value.isEmpty && value.count % 2 == 0
        case 1:
            var offset = 0
            while offset < value.count {
                let length = Int(value[offset])
                guard length > 0, offset + 1 + length <= value.count else { return false }
                offset += 1 + length
            }
            return !value.isEmpty
        case 2: return value.isEmpty
        case 3: return value.count == 2
        case 4: return !value.isEmpty && value.count % 4 == 0
        case 5: return !value.isEmpty
        case 6: return !value.isEmpty && value.count % 16 == 0
        default: return true
        }
    }

    /// The SvcParams as text, or nil if keys are out of order or a value is malformed.
    static func format(_ bytes: [UInt8]) -> [String]? {
        var reader = RDataReader(bytes)
        var previous = -1
        var texts: [String] = []
        while !reader.atEnd {
            guard let key = reader.uint16(), Int(key) > previous, let length = reader.uint16(),
                let value = reader.bytes(Int(length)), validValue(key: key, value)
            else { return nil }
            previous = Int(key)
            switch key {
            case 0:
                let keys = stride(from: 0, to: value.count, by: 2).map { keyName(UInt16(value[$0]) << 8 | UInt16(value[$0 + 1])) }
                texts.append("mandatory=" + keys.joined(separator: ","))
            case 1:
                var ids: [String] = []
                var offset = 0
                while offset < value.count {
                    let length = Int(value[offset])
                    ids.append(escapeListItem(Array(value[(offset + 1)...(offset + length)])))
                    offset += 1 + length
                }
                texts.append("alpn=\"" + ids.joined(separator: ",") + "\"")
            case 2:
                texts.append("no-default-alpn")
            case 3:
                texts.append("port=\(UInt16(value[0]) << 8 | UInt16(value[1]))")
            case 4:
                texts.append("ipv4hint=" + stride(from: 0, to: value.count, by: 4).map { value[$0..<($0 + 4)].map(String.init).joined(separator: ".") }.joined(separator: ","))
            case 5:
                texts.append("ech=" + RDataText.splitBase64(value).replacingSpaces())
            case 6:
                texts.append("ipv6hint=" + stride(from: 0, to: value.count, by: 16).map { RDataText.formatIPv6(Array(value[$0..<($0 + 16)])) }.joined(separator: ","))
            default:
                texts.append(value.isEmpty ? "key\(key)" : "key\(key)=" + RDataText.quoted(value))
            }
        }
        return texts
    }

    /// One ALPN id inside the quoted list: a comma or backslash is escaped for the list and again
    /// for the quoted string, so `,` prints as `\\,` and `\` as `\\\\`.
    static func escapeListItem(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: ","): text += "\\\\,"
            case UInt8(ascii: "\\"): text += "\\\\\\\\"
            case UInt8(ascii: "\""): text += "\\\""
            case 0x20...0x7E: text.append(Character(Unicode.Scalar(byte)))
            default:
                let digits = String(byte)
                text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            }
        }
        return text
    }
}

extension String {
    fileprivate func replacingSpaces() -> String { String(self.filter { $0 != " " }) }
}
