/// A resource record type (RFC 1035 section 3.2.2 and later registrations).
public struct RRType: RawRepresentable, Hashable, Sendable, Comparable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    public static func < (lhs: RRType, rhs: RRType) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let a = RRType(rawValue: 1)
    public static let ns = RRType(rawValue: 2)
    public static let md = RRType(rawValue: 3)
    public static let mf = RRType(rawValue: 4)
    public static let cname = RRType(rawValue: 5)
    public static let soa = RRType(rawValue: 6)
    public static let mb = RRType(rawValue: 7)
    public static let mg = RRType(rawValue: 8)
    public static let mr = RRType(rawValue: 9)
    public static let null = RRType(rawValue: 10)
    public static let wks = RRType(rawValue: 11)
    public static let ptr = RRType(rawValue: 12)
    public static let hinfo = RRType(rawValue: 13)
    public static let minfo = RRType(rawValue: 14)
    public static let mx = RRType(rawValue: 15)
    public static let txt = RRType(rawValue: 16)
    public static let rp = RRType(rawValue: 17)
    public static let afsdb = RRType(rawValue: 18)
    public static let x25 = RRType(rawValue: 19)
    public static let isdn = RRType(rawValue: 20)
    public static let rt = RRType(rawValue: 21)
    public static let sig = RRType(rawValue: 24)
    public static let key = RRType(rawValue: 25)
    public static let aaaa = RRType(rawValue: 28)
    public static let loc = RRType(rawValue: 29)
    public static let srv = RRType(rawValue: 33)
    public static let naptr = RRType(rawValue: 35)
    public static let kx = RRType(rawValue: 36)
    public static let cert = RRType(rawValue: 37)
    public static let dname = RRType(rawValue: 39)
    public static let opt = RRType(rawValue: 41)
    public static let apl = RRType(rawValue: 42)
    public static let ds = RRType(rawValue: 43)
    public static let sshfp = RRType(rawValue: 44)
    public static let ipseckey = RRType(rawValue: 45)
    public static let rrsig = RRType(rawValue: 46)
    public static let nsec = RRType(rawValue: 47)
    public static let dnskey = RRType(rawValue: 48)
    public static let dhcid = RRType(rawValue: 49)
    public static let nsec3 = RRType(rawValue: 50)
    public static let nsec3param = RRType(rawValue: 51)
    public static let tlsa = RRType(rawValue: 52)
    public static let smimea = RRType(rawValue: 53)
    public static let hip = RRType(rawValue: 55)
    public static let ninfo = RRType(rawValue: 56)
    public static let talink = RRType(rawValue: 58)
    public static let cds = RRType(rawValue: 59)
    public static let cdnskey = RRType(rawValue: 60)
    public static let openpgpkey = RRType(rawValue: 61)
    public static let csync = RRType(rawValue: 62)
    public static let zonemd = RRType(rawValue: 63)
    public static let svcb = RRType(rawValue: 64)
    public static let https = RRType(rawValue: 65)
    public static let spf = RRType(rawValue: 99)
    public static let nid = RRType(rawValue: 104)
    public static let l32 = RRType(rawValue: 105)
    public static let l64 = RRType(rawValue: 106)
    public static let lp = RRType(rawValue: 107)
    public static let eui48 = RRType(rawValue: 108)
    public static let eui64 = RRType(rawValue: 109)
    public static let tkey = RRType(rawValue: 249)
    public static let tsig = RRType(rawValue: 250)
    public static let ixfr = RRType(rawValue: 251)
    public static let axfr = RRType(rawValue: 252)
    public static let mailb = RRType(rawValue: 253)
    public static let maila = RRType(rawValue: 254)
    public static let any = RRType(rawValue: 255)
    public static let uri = RRType(rawValue: 256)
    public static let caa = RRType(rawValue: 257)
    public static let avc = RRType(rawValue: 258)
    public static let ta = RRType(rawValue: 32768)
    public static let dlv = RRType(rawValue: 32769)

    /// Mnemonics as BIND prints them.
    static let mnemonics: [UInt16: String] = [
        1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR",
        10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP",
        18: "AFSDB", 19: "X25", 20: "ISDN", 21: "RT", 24: "SIG", 25: "KEY", 28: "AAAA", 29: "LOC", 33: "SRV", 35: "NAPTR", 36: "KX",
        37: "CERT", 39: "DNAME", 41: "OPT", 42: "APL", 43: "DS", 44: "SSHFP", 45: "IPSECKEY",
        46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID", 50: "NSEC3", 51: "NSEC3PARAM",
        52: "TLSA", 53: "SMIMEA", 55: "HIP", 56: "NINFO", 58: "TALINK", 59: "CDS", 60: "CDNSKEY", 61: "OPENPGPKEY",
        62: "CSYNC", 63: "ZONEMD", 64: "SVCB", 65: "HTTPS", 99: "SPF", 104: "NID", 105: "L32",
        106: "L64", 107: "LP", 108: "EUI48", 109: "EUI64", 249: "TKEY", 250: "TSIG", 251: "IXFR",
        252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY", 256: "URI", 257: "CAA",
        258: "AVC", 32768: "TA", 32769: "DLV",
    ]

    static let byMnemonic: [String: UInt16] = {
        var table: [String: UInt16] = [:]
        for (value, name) in mnemonics {
            table[name] = value
        }
        return table
    }()

    /// Parses a mnemonic (`MX`, any case) or the generic form `TYPEnnn` (RFC 3597).
    public init?(mnemonic text: String) {
        let upper = text.uppercased()
        if let value = Self.byMnemonic[upper] {
            self.init(rawValue: value)
            return
        }
        guard upper.hasPrefix("TYPE"), let value = UInt16(upper.dropFirst(4)) else { return nil }
        self.init(rawValue: value)
    }

    /// Whether RDATA of this type may contain compressed names on output (RFC 3597 section 4:
    /// only the types defined in RFC 1035).
    public var hasCompressibleNames: Bool {
        switch rawValue {
        case 2, 3, 4, 5, 6, 7, 8, 9, 12, 14, 15: return true
        default: return false
        }
    }

    /// Whether the type is a query-only meta type that cannot be stored in a zone.
    public var isMetaType: Bool {
        rawValue == 41 || (rawValue >= 128 && rawValue <= 255)
    }
}

extension RRType: CustomStringConvertible {
    public var description: String { Self.mnemonics[rawValue] ?? "TYPE\(rawValue)" }
}

/// A resource record class (RFC 1035 section 3.2.4).
public struct RRClass: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    public static let `in` = RRClass(rawValue: 1)
    public static let chaos = RRClass(rawValue: 3)
    public static let hesiod = RRClass(rawValue: 4)
    public static let none = RRClass(rawValue: 254)
    public static let any = RRClass(rawValue: 255)

    /// Parses `IN`, `CH`, `CHAOS`, `HS`, `NONE`, `ANY` (any case) or the generic `CLASSnnn`.
    public init?(mnemonic text: String) {
        switch text.uppercased() {
        case "IN": self = .in
        case "CH", "CHAOS": self = .chaos
        case "HS": self = .hesiod
        case "NONE": self = .none
        case "ANY": self = .any
        default:
            let upper = text.uppercased()
            guard upper.hasPrefix("CLASS"), let value = UInt16(upper.dropFirst(5)) else { return nil }
            self.init(rawValue: value)
        }
    }
}

extension RRClass: CustomStringConvertible {
    public var description: String {
        switch rawValue {
        case 1: return "IN"
        case 3: return "CH"
        case 4: return "HS"
        case 254: return "NONE"
        case 255: return "ANY"
        default: return "CLASS\(rawValue)"
        }
    }
}

/// A message opcode (RFC 1035 section 4.1.1, RFC 1996, RFC 2136).
public struct Opcode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let query = Opcode(rawValue: 0)
    public static let iquery = Opcode(rawValue: 1)
    public static let status = Opcode(rawValue: 2)
    public static let notify = Opcode(rawValue: 4)
    public static let update = Opcode(rawValue: 5)
}

/// A response code, including the extended codes carried in the OPT record (RFC 6891).
public struct RCode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let noError = RCode(rawValue: 0)
    public static let formErr = RCode(rawValue: 1)
    public static let servFail = RCode(rawValue: 2)
    public static let nxDomain = RCode(rawValue: 3)
    public static let notImp = RCode(rawValue: 4)
    public static let refused = RCode(rawValue: 5)
    public static let notAuth = RCode(rawValue: 9)
    public static let badVers = RCode(rawValue: 16)
    public static let badCookie = RCode(rawValue: 23)
}

extension RCode: CustomStringConvertible {
    public var description: String {
        switch rawValue {
        case 0: return "NOERROR"
        case 1: return "FORMERR"
        case 2: return "SERVFAIL"
        case 3: return "NXDOMAIN"
        case 4: return "NOTIMP"
        case 5: return "REFUSED"
        case 9: return "NOTAUTH"
        case 16: return "BADVERS"
        case 23: return "BADCOOKIE"
        default: return "RCODE\(rawValue)"
        }
    }
}
