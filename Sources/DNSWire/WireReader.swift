/// Why a message could not be parsed.
public enum WireFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated(String)
    case badPointer
    case labelTooLong
    case nameTooLong
    case badLabelType
    case trailingData

    public var description: String {
        switch self {
        case .truncated(let what): return "message truncated in \(what)"
        case .badPointer: return "compression pointer does not point to an earlier name"
        case .labelTooLong: return "label longer than 63 octets"
        case .nameTooLong: return "name longer than 255 octets"
        case .badLabelType: return "unsupported label type"
        case .trailingData: return "data after the last record"
        }
    }
}

/// A cursor over a received message that decodes integers and compressed names.
public struct WireReader {
    public let bytes: [UInt8]
    public var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var remaining: Int { bytes.count - offset }

    public mutating func readUInt8(_ what: String) throws(WireFormatError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(what) }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readUInt16(_ what: String) throws(WireFormatError) -> UInt16 {
        guard offset + 2 <= bytes.count else { throw .truncated(what) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    public mutating func readUInt32(_ what: String) throws(WireFormatError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw .truncated(what) }
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    public mutating func readBytes(_ count: Int, _ what: String) throws(WireFormatError) -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else { throw .truncated(what) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// Reads a possibly compressed name. Every compression pointer must point strictly before
    /// the label that holds it, which rules out loops (as BIND requires).
    public mutating func readName() throws(WireFormatError) -> DomainName {
        var wire: [UInt8] = []
        wire.reserveCapacity(32)
        var position = offset
        var jumped = false
        var lowestTarget = offset
        while true {
            guard position < bytes.count else { throw .truncated("name") }
            let length = Int(bytes[position])
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    wire.append(0)
                    if !jumped { offset = position + 1 }
                    guard wire.count <= DomainName.maxWireLength else { throw .nameTooLong }
                    return DomainName(uncheckedWire: wire)
                }
                guard position + 1 + length <= bytes.count else { throw .truncated("name") }
                wire.append(UInt8(length))
                wire.append(contentsOf: bytes[(position + 1)...(position + length)])
                guard wire.count < DomainName.maxWireLength else { throw .nameTooLong }
                position += 1 + length
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncated("name") }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < lowestTarget else { throw .badPointer }
                if !jumped {
                    offset = position + 2
                    jumped = true
                }
                lowestTarget = target
                position = target
            default:
                throw .badLabelType
            }
        }
    }

    /// Reads RDATA of `length` bytes, expanding compressed names in RFC 1035 types so that
    /// the result is the uncompressed wire form.
    public mutating func readRData(type: RRType, length: Int) throws(WireFormatError) -> [UInt8] {
        let end = offset + length
        guard end <= bytes.count else { throw .truncated("RDATA") }
        guard type.hasCompressibleNames else { return try readBytes(length, "RDATA") }
        var rdata: [UInt8] = []
        switch type {
        case .mx:
            rdata += try readBytes(2, "MX preference")
            rdata += try readName().wire
        case .soa:
            rdata += try readName().wire
            rdata += try readName().wire
            rdata += try readBytes(20, "SOA fields")
        case .minfo:
            rdata += try readName().wire
            rdata += try readName().wire
        default:
            rdata += try readName().wire
        }
        guard offset == end else { throw .truncated("RDATA length") }
        return rdata
    }
}
