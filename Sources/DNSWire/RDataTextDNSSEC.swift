#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Text forms of the DNSSEC types (RFC 4034, RFC 5155), CSYNC (RFC 7477), ZONEMD (RFC 8976)
// and CERT (RFC 4398), printed as BIND 9.18 prints them.

extension FieldReader {
    /// Reads an RRSIG time: 14 digits as YYYYMMDDHHmmSS in UTC, or seconds since 1970 as a
    /// plain number. Dates past 2106 wrap modulo 2^32 (RFC 4034 section 3.1.5).
    mutating func signatureTime(_ what: String) throws(RDataTextError) -> [UInt8] {
        let field = try next(what)
        let digits = Array(field.text.utf8)
        if digits.count == 14 {
            guard digits.allSatisfy(isDigit), let seconds = SignatureTime.seconds(fromDigits: digits) else {
                throw RDataTextError("invalid \(what) '\(field.text)' in \(type) record: expected a UTC time YYYYMMDDHHmmSS such as 20240131235959")
            }
            return bigEndian(UInt32(truncatingIfNeeded: seconds))
        }
        guard digits.count <= 10, let value = UInt64(field.text), value <= 0xFFFF_FFFF else {
            throw RDataTextError("invalid \(what) '\(field.text)' in \(type) record: expected YYYYMMDDHHmmSS or seconds since 1970 up to 4294967295")
        }
        return bigEndian(UInt32(value))
    }

    /// Reads a type mnemonic (`A`, `TYPE1234`) or, where `allowNumber` is set, a bare type number.
    mutating func typeCode(_ what: String, allowNumber: Bool) throws(RDataTextError) -> UInt16 {
        let field = try next(what)
        if let type = RRType(mnemonic: field.text) {
            return type.rawValue
        }
        if allowNumber, let value = UInt16(field.text) {
            return value
        }
        throw RDataTextError("invalid \(what) '\(field.text)' in \(type) record: expected a type mnemonic such as A or TYPE1234")
    }

    /// Reads the remaining fields as a type bitmap (RFC 4034 section 4.1.2).
    mutating func typeBitmap(allowEmpty: Bool) throws(RDataTextError) -> [UInt8] {
        var types: [UInt16] = []
        while !atEnd {
            let field = try next("type")
            guard let type = RRType(mnemonic: field.text) else {
                throw RDataTextError("invalid type '\(field.text)' in the \(self.type) type bitmap: expected a type mnemonic such as A or TYPE1234")
            }
            types.append(type.rawValue)
        }
        guard allowEmpty || !types.isEmpty else {
            throw RDataTextError("\(type) record has an empty type bitmap: list at least one type, for example RRSIG NSEC")
        }
        return TypeBitmap.encode(types)
    }

    /// Reads a salt: hexadecimal digits, or `-` for none. Returns the length-prefixed form.
    mutating func salt() throws(RDataTextError) -> [UInt8] {
        let field = try next("salt")
        if field.text == "-" && !field.isQuoted {
            return [0]
        }
        guard !field.text.isEmpty else {
            throw RDataTextError("invalid salt '' in \(type) record: write '-' for an empty salt")
        }
        let salt = try RDataText.decodeHex(field.text, what: "\(type) salt")
        guard salt.count <= 255 else {
            throw RDataTextError("\(type) salt '\(field.text)' is \(salt.count) octets long, more than 255: shorten it to at most 510 hex digits")
        }
        return [UInt8(salt.count)] + salt
    }
}

/// The NSEC, NSEC3 and CSYNC type bitmap: window blocks in ascending order, each with its
/// number, the length of its bitmap (1 to 32) and the bitmap with trailing zero octets removed.
enum TypeBitmap {
    static func encode(_ types: [UInt16]) -> [UInt8] {
        var windows: [UInt8: [UInt8]] = [:]
        for type in types {
            let window = UInt8(type >> 8)
            let low = Int(type & 0xFF)
            var bits = windows[window] ?? []
            if bits.count <= low / 8 {
                bits += [UInt8](repeating: 0, count: low / 8 + 1 - bits.count)
            }
            bits[low / 8] |= 0x80 >> UInt8(low % 8)
            windows[window] = bits
        }
        var wire: [UInt8] = []
        for window in windows.keys.sorted() {
            let bits = windows[window]!
            wire += [window, UInt8(bits.count)] + bits
        }
        return wire
    }

    /// The mnemonics of the types in a bitmap, or nil if its window blocks are malformed.
    static func format(_ bytes: [UInt8]) -> [String]? {
        var names: [String] = []
        var offset = 0
        var previousWindow = -1
        while offset < bytes.count {
            guard offset + 2 <= bytes.count else { return nil }
            let window = Int(bytes[offset])
            let length = Int(bytes[offset + 1])
            offset += 2
            guard window > previousWindow, length >= 1, length <= 32, offset + length <= bytes.count,
                bytes[offset + length - 1] != 0
            else { return nil }
            for index in 0..<length {
                let octet = bytes[offset + index]
                for bit in 0..<8 where octet & (0x80 >> UInt8(bit)) != 0 {
                    names.append(RRType(rawValue: UInt16(window << 8 | index * 8 + bit)).description)
                }
            }
            previousWindow = window
            offset += length
        }
        return names
    }
}

/// Conversion between RRSIG times and YYYYMMDDHHmmSS text in UTC.
public enum SignatureTime {
    /// Seconds since 1970 for 14 digits YYYYMMDDHHmmSS, or nil if a field is out of range.
    static func seconds(fromDigits digits: [UInt8]) -> Int64? {
        func number(_ start: Int, _ count: Int) -> Int64 {
            var value: Int64 = 0
            for index in start..<(start + count) {
                value = value * 10 + Int64(digits[index] - 0x30)
            }
            return value
        }
        let year = number(0, 4), month = number(4, 2), day = number(6, 2)
        let hour = number(8, 2), minute = number(10, 2), second = number(12, 2)
        guard year >= 1970, month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second
    }

    /// YYYYMMDDHHmmSS for a 32-bit time. The value is placed within 2^31 seconds of `now`
    /// (serial number arithmetic, RFC 4034 section 3.1.5), as BIND does, so that the same
    /// wire value may print as a different date in a later era.
    static func text(_ value: UInt32, now: Int64) -> String {
        var seconds = Int64(value)
        if seconds - now > 0x7FFF_FFFF {
            seconds -= 0x1_0000_0000
        } else if now - seconds > 0x8000_0000 {
            seconds += 0x1_0000_0000
        }
        var days = seconds / 86400
        var rest = seconds % 86400
        if rest < 0 {
            rest += 86400
            days -= 1
        }
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(rest / 3600, 2) + pad(rest % 3600 / 60, 2) + pad(rest % 60, 2)
    }

    /// YYYYMMDDHHmmSS in UTC for an unsigned 32-bit count of seconds since 1970, with no
    /// serial number arithmetic: BIND 9.18 prints the re-signing time of a dump this way.
    public static func absoluteText(_ value: UInt32) -> String {
        let seconds = Int64(value)
        let (year, month, day) = civilFromDays(seconds / 86400)
        let rest = seconds % 86400
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(rest / 3600, 2) + pad(rest % 3600 / 60, 2) + pad(rest % 60, 2)
    }

    static func currentTime() -> Int64 {
        Int64(time(nil))
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Day counts since 1970-01-01 in the proleptic Gregorian calendar, using 400-year eras.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// Base32 with the "extended hex" alphabet (RFC 4648 section 7), without padding, as NSEC3 uses it.
enum Base32Hex {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUV".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                text.append(alphabet[Int((buffer >> UInt32(bits)) & 31)])
            }
        }
        if bits > 0 {
            text.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Decodes unpadded base32hex in either case. Returns nil for other characters, for a
    /// length that no whole number of octets produces, or for non-zero unused trailing bits.
    static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for char in text.utf8 {
            let value: UInt8
            switch char {
            case 0x30...0x39: value = char - 0x30
            case 0x41...0x56: value = char - 0x41 + 10
            case 0x61...0x76: value = char - 0x61 + 10
            default: return nil
            }
            buffer = (buffer << 5 | UInt32(value)) & 0xFFFF
            bits += 5
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        guard bits < 5, buffer & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return bytes
    }
}

/// Mnemonics of CERT certificate types (RFC 4398 section 2.1).
enum CertificateType {
    static let names: [UInt16: String] = [
        1: "PKIX", 2: "SPKI", 3: "PGP", 4: "IPKIX", 5: "ISPKI", 6: "IPGP", 7: "ACPKIX", 8: "IACPKIX",
        253: "URI", 254: "OID",
    ]
}

/// Mnemonics of DNSSEC algorithm numbers as BIND 9.18 prints them in CERT records.
enum SecurityAlgorithm {
    static let names: [UInt8: String] = [
        1: "RSAMD5", 2: "DH", 3: "DSA", 4: "ECC", 5: "RSASHA1", 6: "NSEC3DSA", 7: "NSEC3RSASHA1",
        8: "RSASHA256", 10: "RSASHA512", 12: "ECCGOST", 13: "ECDSAP256SHA256", 14: "ECDSAP384SHA384",
        15: "ED25519", 16: "ED448", 252: "INDIRECT", 253: "PRIVATEDNS", 254: "PRIVATEOID",
    ]
}

extension RDataText {
    static func parseDNSSEC(type: RRType, reader: inout FieldReader) throws(RDataTextError) -> [UInt8]? {
        switch type {
        case .rrsig:
            let covered = try reader.typeCode("type covered", allowNumber: true)
            var rdata: [UInt8] = [UInt8(covered >> 8), UInt8(covered & 0xFF)]
            rdata += try reader.uint8("algorithm")
            rdata += try reader.uint8("labels")
            rdata += try reader.uint32("original TTL")
            rdata += try reader.signatureTime("signature expiration")
            rdata += try reader.signatureTime("signature inception")
            rdata += try reader.uint16("key tag")
            let signer = try reader.next("signer name")
            // BIND 9.18 accepts only an absolute signer name or '@'.
            guard signer.text == "@" || endsWithUnescapedDot(signer.text) else {
                throw RDataTextError("invalid signer name '\(signer.text)' in RRSIG record: write it as an absolute name ending in '.', or '@' for the origin")
            }
            reader.index -= 1
            rdata += try reader.name("signer name")
            let signature = try decodeBase64(reader.joinedRest(), what: "signature")
            guard !signature.isEmpty else {
                throw RDataTextError("RRSIG record is missing its signature: add the base64 signature after the signer name")
            }
            return rdata + signature
        case .nsec:
            var rdata = try reader.name("next domain name")
            rdata += try reader.typeBitmap(allowEmpty: false)
            return rdata
        case .nsec3:
            let algorithm = try reader.unsigned("hash algorithm", max: 255)
            var rdata: [UInt8] = [UInt8(algorithm)]
            rdata += try reader.uint8("flags")
            rdata += try reader.uint16("iterations")
            rdata += try reader.salt()
            let next = try reader.next("next hashed owner name")
            guard let hash = Base32Hex.decode(next.text), !hash.isEmpty, hash.count <= 255 else {
                throw RDataTextError("invalid next hashed owner name '\(next.text)' in NSEC3 record: expected base32hex digits 0-9 and A-V without padding")
            }
            // SHA-1, the only hash algorithm defined, gives 20 octets; BIND 9.18 enforces that.
            guard algorithm != 1 || hash.count == 20 else {
                throw RDataTextError("next hashed owner name '\(next.text)' in NSEC3 record is \(hash.count) octets long: a SHA-1 hash (algorithm 1) is 20 octets, 32 base32hex digits")
            }
            rdata += [UInt8(hash.count)] + hash
            rdata += try reader.typeBitmap(allowEmpty: true)
            return rdata
        case .nsec3param:
            var rdata = try reader.uint8("hash algorithm")
            rdata += try reader.uint8("flags")
            rdata += try reader.uint16("iterations")
            rdata += try reader.salt()
            return rdata
        case .csync:
            var rdata = try reader.uint32("SOA serial")
            rdata += try reader.uint16("flags")
            rdata += try reader.typeBitmap(allowEmpty: true)
            return rdata
        case .zonemd:
            var rdata = try reader.uint32("serial")
            rdata += try reader.uint8("scheme")
            let algorithm = try reader.unsigned("hash algorithm", max: 255)
            rdata.append(UInt8(algorithm))
            let digestText = reader.joinedRest()
            let digest = try decodeHex(digestText, what: "digest")
            let expected: Int? = algorithm == 1 ? 48 : algorithm == 2 ? 64 : nil
            if let expected, digest.count != expected {
                throw RDataTextError("ZONEMD digest '\(digestText)' is \(digest.count) octets long: hash algorithm \(algorithm) (\(algorithm == 1 ? "SHA-384" : "SHA-512")) needs \(expected) octets, \(2 * expected) hex digits")
            }
            guard digest.count >= 12 else {
                throw RDataTextError("ZONEMD digest '\(digestText)' is \(digest.count) octets long: RFC 8976 requires at least 12 octets, 24 hex digits")
            }
            return rdata + digest
        case .cert:
            let typeField = try reader.next("certificate type")
            let certificateType: UInt16
            if let value = UInt16(typeField.text) {
                certificateType = value
            } else if let entry = CertificateType.names.first(where: { $0.value == typeField.text.uppercased() }) {
                certificateType = entry.key
            } else {
                throw RDataTextError("invalid certificate type '\(typeField.text)' in CERT record: expected a number from 0 to 65535 or PKIX, SPKI, PGP, IPKIX, ISPKI, IPGP, ACPKIX, IACPKIX, URI, OID")
            }
            var rdata: [UInt8] = [UInt8(certificateType >> 8), UInt8(certificateType & 0xFF)]
            rdata += try reader.uint16("key tag")
            let algorithmField = try reader.next("algorithm")
            if let value = UInt8(algorithmField.text) {
                rdata.append(value)
            } else if let entry = SecurityAlgorithm.names.first(where: { $0.value == algorithmField.text.uppercased() }) {
                rdata.append(entry.key)
            } else {
                throw RDataTextError("invalid algorithm '\(algorithmField.text)' in CERT record: expected a number from 0 to 255 or a mnemonic such as RSASHA256")
            }
            rdata += try decodeBase64(reader.joinedRest(), what: "certificate")
            return rdata
        case .hip:
            // RFC 8005: algorithm, HIT in hex, public key in base64, then rendezvous server names.
            let algorithm = try reader.unsigned("public key algorithm", max: 255)
            let hitField = try reader.next("HIT")
            let hit = try decodeHex(hitField.text, what: "HIT")
            guard !hit.isEmpty, hit.count <= 255 else {
                throw RDataTextError("invalid HIT '\(hitField.text)' in HIP record: expected 1 to 255 octets of hex")
            }
            let keyField = try reader.next("public key")
            let key = try decodeBase64(keyField.text, what: "public key")
            guard !key.isEmpty, key.count <= 65535 else {
                throw RDataTextError("invalid public key '\(keyField.text)' in HIP record: expected base64 text of 1 to 65535 octets")
            }
            var rdata: [UInt8] = [UInt8(hit.count), UInt8(algorithm), UInt8(key.count >> 8), UInt8(key.count & 0xFF)] + hit + key
            while !reader.atEnd {
                rdata += try reader.name("rendezvous server name")
            }
            return rdata
        default:
            return nil
        }
    }

    static func formatDNSSEC(type: RRType, reader: inout RDataReader) -> String? {
        switch type {
        case .rrsig:
            guard let fields = RRSIGText(&reader) else { return nil }
            return "\(fields.typeAndTTL) \(fields.timesTagAndSigner) \(splitBase64(fields.signature))"
        case .nsec:
            guard let next = reader.name(), let types = TypeBitmap.format(reader.rest()), !types.isEmpty else { return nil }
            return ([next] + types).joined(separator: " ")
        case .nsec3:
            guard let algorithm = reader.uint8(), let flags = reader.uint8(), let iterations = reader.uint16(),
                let saltLength = reader.uint8(), let salt = reader.bytes(Int(saltLength)),
                let hashLength = reader.uint8(), hashLength > 0, let hash = reader.bytes(Int(hashLength)),
                let types = TypeBitmap.format(reader.rest())
            else { return nil }
            let saltText = salt.isEmpty ? "-" : hexString(salt)
            return (["\(algorithm) \(flags) \(iterations) \(saltText) \(Base32Hex.encode(hash))"] + types).joined(separator: " ")
        case .nsec3param:
            guard let algorithm = reader.uint8(), let flags = reader.uint8(), let iterations = reader.uint16(),
                let saltLength = reader.uint8(), let salt = reader.bytes(Int(saltLength))
            else { return nil }
            return "\(algorithm) \(flags) \(iterations) \(salt.isEmpty ? "-" : hexString(salt))"
        case .csync:
            guard let serial = reader.uint32(), let flags = reader.uint16(), let types = TypeBitmap.format(reader.rest()) else { return nil }
            return (["\(serial) \(flags)"] + types).joined(separator: " ")
        case .zonemd:
            guard let serial = reader.uint32(), let scheme = reader.uint8(), let algorithm = reader.uint8() else { return nil }
            let digest = reader.rest()
            guard digest.count >= 12 else { return nil }
            return "\(serial) \(scheme) \(algorithm) \(splitHex(digest))"
        case .cert:
            guard let certificateType = reader.uint16(), let tag = reader.uint16(), let algorithm = reader.uint8() else { return nil }
            let certificate = reader.rest()
            let typeText = CertificateType.names[certificateType] ?? String(certificateType)
            let algorithmText = SecurityAlgorithm.names[algorithm] ?? String(algorithm)
            return "\(typeText) \(tag) \(algorithmText)" + (certificate.isEmpty ? "" : " " + splitBase64(certificate))
        case .hip:
            guard let hitLength = reader.uint8(), hitLength > 0, let algorithm = reader.uint8(),
                let keyLength = reader.uint16(), keyLength > 0, let hit = reader.bytes(Int(hitLength)),
                let key = reader.bytes(Int(keyLength))
            else { return nil }
            var parts = ["\(algorithm)", hexString(hit), String(splitBase64(key).filter { $0 != " " })]
            while !reader.atEnd {
                guard let server = reader.name() else { return nil }
                parts.append(server)
            }
            return parts.joined(separator: " ")
        default:
            return nil
        }
    }

    static func endsWithUnescapedDot(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.last == UInt8(ascii: ".") else { return false }
        let backslashes = bytes.dropLast().reversed().prefix { $0 == UInt8(ascii: "\\") }.count
        return backslashes % 2 == 0
    }

    /// Upper-case hex digits without spaces.
    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The fields of RRSIG RDATA in presentation form, shared by the one-line and the multi-line
/// style, which differ only in where they break the line.
struct RRSIGText {
    /// Type covered, algorithm, labels and original TTL.
    var typeAndTTL: String
    /// Expiration, inception, key tag and signer's name.
    var timesTagAndSigner: String
    var signature: [UInt8]

    /// Reads the fields, or returns nil when the RDATA is too short or has no signature.
    init?(_ reader: inout RDataReader) {
        guard let covered = reader.uint16(), let algorithm = reader.uint8(), let labels = reader.uint8(),
            let ttl = reader.uint32(), let expiration = reader.uint32(), let inception = reader.uint32(),
            let tag = reader.uint16(), let signer = reader.name()
        else { return nil }
        signature = reader.rest()
        guard !signature.isEmpty else { return nil }
        let now = SignatureTime.currentTime()
        typeAndTTL = "\(RRType(rawValue: covered)) \(algorithm) \(labels) \(ttl)"
        timesTagAndSigner = "\(SignatureTime.text(expiration, now: now)) \(SignatureTime.text(inception, now: now)) "
            + "\(tag) \(signer)"
    }
}
