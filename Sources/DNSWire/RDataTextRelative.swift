// RDATA in BIND 9.18's default master-file style, which `named-checkzone -s relative` uses:
// names relative to the current origin where BIND shortens them, and long fields split over
// several lines inside parentheses. The rules were found by comparing with the output of
// Debian's named-checkzone 9.18.49.

extension RDataText {
    /// Characters per line of base64 and hex text in the multi-line style.
    static let multilineChunkCharacters = 44

    /// Prints RDATA in BIND's default style. Names that end in `origin`, compared with their
    /// letter case, are printed relative to it in the types where BIND shortens them.
    /// `lineBreak` starts each continuation line: a line end and the indent.
    public static func formatRelative(type: RRType, rdata: [UInt8], origin: DomainName, lineBreak: String) -> String {
        var reader = RDataReader(rdata)
        if let text = formatRelativeKnown(type: type, reader: &reader, origin: origin, lineBreak: lineBreak), reader.atEnd {
            return text
        }
        var plain = RDataReader(rdata)
        if let text = formatKnown(type: type, reader: &plain), plain.atEnd {
            return text
        }
        if rdata.isEmpty { return "\\# 0" }
        return "\\# \(rdata.count) ( " + chunks(hexString(rdata), lineBreak: lineBreak) + " )"
    }

    static func formatRelativeKnown(type: RRType, reader: inout RDataReader, origin: DomainName, lineBreak: String) -> String? {
        func name() -> String? {
            guard let end = RDataNames.nameEnd(reader.bytes, at: reader.offset) else { return nil }
            let name = DomainName(uncheckedWire: Array(reader.bytes[reader.offset..<end]))
            reader.offset = end
            return relativeText(name, origin: origin)
        }
        switch type {
        case .ns, .md, .mf, .cname, .mb, .mg, .mr, .ptr, .dname:
            return name()
        case .mx, .afsdb, .kx, .lp, .rt:
            guard let preference = reader.uint16(), let target = name() else { return nil }
            return "\(preference) \(target)"
        case .minfo, .rp, .talink:
            guard let first = name(), let second = name() else { return nil }
            return "\(first) \(second)"
        case .srv:
            guard let priority = reader.uint16(), let weight = reader.uint16(), let port = reader.uint16(),
                let target = name()
            else { return nil }
            return "\(priority) \(weight) \(port) \(target)"
        case .naptr:
            guard let order = reader.uint16(), let preference = reader.uint16(),
                let flags = reader.characterString(), let services = reader.characterString(),
                let regexp = reader.characterString(), let replacement = name()
            else { return nil }
            return "\(order) \(preference) \(flags) \(services) \(regexp) \(replacement)"
        case .svcb, .https:
            guard let priority = reader.uint16(), let target = name(),
                let parameters = ServiceParameters.format(reader.rest())
            else { return nil }
            return (["\(priority) \(target)"] + parameters).joined(separator: " ")
        case .soa:
            guard let primary = name(), let mailbox = name() else { return nil }
            var text = "\(primary) \(mailbox) ("
            for field in ["serial", "refresh", "retry", "expire", "minimum"] {
                guard let value = reader.uint32() else { return nil }
                let digits = String(value)
                text += lineBreak + digits + String(repeating: " ", count: max(0, 10 - digits.count)) + " ; " + field
                if field != "serial" {
                    text += " (\(durationText(value)))"
                }
            }
            return text + lineBreak + ")"
        case .rrsig:
            guard let fields = RRSIGText(&reader) else { return nil }
            return "\(fields.typeAndTTL) (" + lineBreak + fields.timesTagAndSigner
                + lineBreak + chunks(base64(fields.signature), lineBreak: lineBreak) + " )"
        case .nsec3:
            guard let algorithm = reader.uint8(), let flags = reader.uint8(), let iterations = reader.uint16(),
                let saltLength = reader.uint8(), let salt = reader.bytes(Int(saltLength)),
                let hashLength = reader.uint8(), hashLength > 0, let hash = reader.bytes(Int(hashLength)),
                let types = TypeBitmap.format(reader.rest())
            else { return nil }
            let saltText = salt.isEmpty ? "-" : hexString(salt)
            var text = "\(algorithm) \(flags) \(iterations) \(saltText) (" + lineBreak + Base32Hex.encode(hash)
            if !types.isEmpty {
                text += lineBreak + types.joined(separator: " ")
            }
            return text + " )"
        case .dnskey, .cdnskey, .key:
            guard let flags = reader.uint16(), let proto = reader.uint8(), let algorithm = reader.uint8() else { return nil }
            let key = reader.rest()
            guard !key.isEmpty else { return nil }
            // A PRIVATEDNS key starts with the domain name of its algorithm (RFC 4034 appendix
            // A.1.1), which BIND names in the comment.
            // NOTE: BIND also names a PRIVATEOID key's algorithm from its key data; here the
            // comment says PRIVATEOID.
            var algorithmName = SecurityAlgorithm.names[algorithm] ?? String(algorithm)
            if algorithm == 253, let end = RDataNames.nameEnd(key, at: 0) {
                let name = DomainName(uncheckedWire: Array(key[..<end])).description
                algorithmName = name == "." ? name : String(name.dropLast())
            }
            if type == .key {
                return "\(flags) \(proto) \(algorithm) (" + lineBreak + chunks(base64(key), lineBreak: lineBreak) + lineBreak
                    + "); alg = \(algorithmName) ; key id = \(keyTag(reader.bytes))"
            }
            let revoked = flags & 0x0080 != 0 ? "revoked " : ""
            let role = flags & 0x0001 != 0 ? "KSK" : "ZSK"
            return "\(flags) \(proto) \(algorithm) (" + lineBreak + chunks(base64(key), lineBreak: lineBreak) + lineBreak
                + ") ; \(revoked)\(role); alg = \(algorithmName) ; key id = \(keyTag(reader.bytes))"
        case .ds, .cds, .ta, .dlv:
            guard let tag = reader.uint16(), let algorithm = reader.uint8(), let digestType = reader.uint8() else { return nil }
            return withHexBlock("\(tag) \(algorithm) \(digestType)", reader.rest(), lineBreak: lineBreak)
        case .sshfp:
            guard let algorithm = reader.uint8(), let fingerprintType = reader.uint8() else { return nil }
            return withHexBlock("\(algorithm) \(fingerprintType)", reader.rest(), lineBreak: lineBreak)
        case .tlsa, .smimea:
            guard let usage = reader.uint8(), let selector = reader.uint8(), let matching = reader.uint8() else { return nil }
            return withHexBlock("\(usage) \(selector) \(matching)", reader.rest(), lineBreak: lineBreak)
        case .zonemd:
            guard let serial = reader.uint32(), let scheme = reader.uint8(), let algorithm = reader.uint8() else { return nil }
            let digest = reader.rest()
            guard digest.count >= 12 else { return nil }
            return withHexBlock("\(serial) \(scheme) \(algorithm)", digest, lineBreak: lineBreak)
        case .cert:
            guard let certificateType = reader.uint16(), let tag = reader.uint16(), let algorithm = reader.uint8() else { return nil }
            let certificate = reader.rest()
            guard !certificate.isEmpty else { return nil }
            let typeText = CertificateType.names[certificateType] ?? String(certificateType)
            let algorithmText = SecurityAlgorithm.names[algorithm] ?? String(algorithm)
            return "\(typeText) \(tag) \(algorithmText) (" + lineBreak + chunks(base64(certificate), lineBreak: lineBreak) + " )"
        case .openpgpkey:
            let key = reader.rest()
            guard !key.isEmpty else { return nil }
            return "( " + chunks(base64(key), lineBreak: lineBreak) + " )"
        case .dhcid:
            let data = reader.rest()
            guard data.count >= 3 else { return nil }
            // The comment gives the identifier type, the digest type and the digest length (RFC 4701).
            let identifierType = UInt16(data[0]) << 8 | UInt16(data[1])
            return "( " + chunks(base64(data), lineBreak: lineBreak) + " ) ; \(identifierType) \(data[2]) \(data.count - 3)"
        case .hip:
            guard let hitLength = reader.uint8(), hitLength > 0, let algorithm = reader.uint8(),
                let keyLength = reader.uint16(), keyLength > 0, let hit = reader.bytes(Int(hitLength)),
                let key = reader.bytes(Int(keyLength))
            else { return nil }
            var text = "( \(algorithm) \(hexString(hit))" + lineBreak + base64(key)
            while !reader.atEnd {
                guard let server = reader.name() else { return nil }
                text += lineBreak + server
            }
            return text + " )"
        default:
            return nil
        }
    }

    /// Formats a name relative to `origin` when it ends in `origin` with the same letter case
    /// and is longer than it, as BIND writes names in master files. Otherwise, and always for
    /// the root origin, it returns the absolute name.
    static func relativeText(_ name: DomainName, origin: DomainName) -> String {
        let originLabels = origin.labelCount
        let nameLabels = name.labelCount
        guard originLabels > 0, nameLabels > originLabels,
            Array(name.suffix(labelCount: originLabels).wire) == origin.wire
        else { return name.description }
        return name.relativeDescription(to: origin)
    }

    /// Formats `prefix`, then hex data on the following lines inside parentheses.
    static func withHexBlock(_ prefix: String, _ data: [UInt8], lineBreak: String) -> String? {
        guard !data.isEmpty else { return nil }
        return prefix + " (" + lineBreak + chunks(hexString(data), lineBreak: lineBreak) + " )"
    }

    /// Cuts text into lines of `multilineChunkCharacters` characters.
    static func chunks(_ text: String, lineBreak: String) -> String {
        let characters = Array(text.utf8)
        var lines: [String] = []
        var start = 0
        while start < characters.count {
            let end = min(start + multilineChunkCharacters, characters.count)
            lines.append(String(decoding: characters[start..<end], as: UTF8.self))
            start = end
        }
        return lines.joined(separator: lineBreak)
    }

    /// Encodes base64 without the spaces of the one-line style.
    static func base64(_ bytes: [UInt8]) -> String {
        String(splitBase64(bytes).filter { $0 != " " })
    }

    /// Spells a duration as BIND does in comments: "1 week 2 days 3 hours 4 minutes 5 seconds",
    /// leaving out zero units, or "0 seconds".
    public static func durationText(_ seconds: UInt32) -> String {
        let units: [(name: String, seconds: UInt32)] = [("week", 604_800), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)]
        var rest = seconds
        var parts: [String] = []
        for unit in units {
            let count = rest / unit.seconds
            rest %= unit.seconds
            if count > 0 {
                parts.append("\(count) \(unit.name)\(count == 1 ? "" : "s")")
            }
        }
        return parts.isEmpty ? "0 seconds" : parts.joined(separator: " ")
    }

    /// Computes the key tag of DNSKEY RDATA (RFC 4034 appendix B). BIND 9.18's comments use this sum for
    /// RSA/MD5 keys (algorithm 1) too, not that algorithm's own rule.
    static func keyTag(_ rdata: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        for (index, byte) in rdata.enumerated() {
            sum += index % 2 == 0 ? UInt32(byte) << 8 : UInt32(byte)
        }
        sum += sum >> 16
        return UInt16(sum & 0xFFFF)
    }
}
