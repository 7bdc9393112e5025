/// One resource record with its RDATA in uncompressed wire form.
public struct ResourceRecord: Sendable, Hashable {
    public var owner: DomainName
    public var type: RRType
    public var rrClass: RRClass
    public var ttl: UInt32
    /// RDATA in wire form with every embedded name uncompressed.
    public var rdata: [UInt8]

    public init(owner: DomainName, type: RRType, rrClass: RRClass = .in, ttl: UInt32, rdata: [UInt8]) {
        self.owner = owner
        self.type = type
        self.rrClass = rrClass
        self.ttl = ttl
        self.rdata = rdata
    }
}

/// Where the domain names sit inside RDATA of the types whose names matter to a server:
/// for compression on output (RFC 1035 types) and for additional-section processing.
public enum RDataNames {
    /// Offsets of the embedded names for types with compressible names, or an empty array.
    /// Returns nil when the RDATA is malformed for its type.
    public static func compressibleNameOffsets(type: RRType, rdata: [UInt8]) -> [Int]? {
        switch type {
        case .ns, .md, .mf, .cname, .mb, .mg, .mr, .ptr:
            return nameEnd(rdata, at: 0) == rdata.count ? [0] : nil
        case .mx:
            guard rdata.count > 2, nameEnd(rdata, at: 2) == rdata.count else { return nil }
            return [2]
        case .soa, .minfo:
            guard let first = nameEnd(rdata, at: 0), let second = nameEnd(rdata, at: first) else { return nil }
            let expected = type == .soa ? second + 20 : second
            return expected == rdata.count ? [0, first] : nil
        default:
            return []
        }
    }

    /// The name that additional-section processing looks up for this RDATA (RFC 1035 section 3.3
    /// for NS and MX, RFC 2782 for SRV), or nil.
    public static func additionalTarget(type: RRType, rdata: [UInt8]) -> DomainName? {
        let offset: Int
        switch type {
        case .ns: offset = 0
        case .mx: offset = 2
        case .srv: offset = 6
        default: return nil
        }
        guard let end = nameEnd(rdata, at: offset) else { return nil }
        return DomainName(uncheckedWire: Array(rdata[offset..<end]))
    }

    /// The single name that forms CNAME, DNAME, NS or PTR RDATA.
    public static func singleName(_ rdata: [UInt8]) -> DomainName? {
        guard nameEnd(rdata, at: 0) == rdata.count else { return nil }
        return DomainName(uncheckedWire: rdata)
    }

    /// Offset just past the uncompressed name starting at `offset`, or nil if it is malformed.
    public static func nameEnd(_ bytes: [UInt8], at offset: Int) -> Int? {
        var position = offset
        while position < bytes.count {
            let length = Int(bytes[position])
            if length == 0 {
                return position - offset + 1 <= DomainName.maxWireLength ? position + 1 : nil
            }
            guard length <= DomainName.maxLabelLength else { return nil }
            position += 1 + length
        }
        return nil
    }
}

/// Fields of SOA RDATA (RFC 1035 section 3.3.13).
public struct SOAData: Sendable, Equatable {
    public var primaryServer: DomainName
    public var responsibleMailbox: DomainName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    public var minimum: UInt32

    public init?(rdata: [UInt8]) {
        guard let first = RDataNames.nameEnd(rdata, at: 0),
            let second = RDataNames.nameEnd(rdata, at: first),
            second + 20 == rdata.count
        else { return nil }
        primaryServer = DomainName(uncheckedWire: Array(rdata[0..<first]))
        responsibleMailbox = DomainName(uncheckedWire: Array(rdata[first..<second]))
        func field(_ index: Int) -> UInt32 {
            let base = second + index * 4
            return UInt32(rdata[base]) << 24 | UInt32(rdata[base + 1]) << 16
                | UInt32(rdata[base + 2]) << 8 | UInt32(rdata[base + 3])
        }
        serial = field(0)
        refresh = field(1)
        retry = field(2)
        expire = field(3)
        minimum = field(4)
    }
}
