/// An IPv4 or IPv6 address. IPv6 addresses are stored as two 64-bit halves, most significant first.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    case v6(UInt64, UInt64)

    public static let anyV4 = IPAddress.v4(0)
    public static let anyV6 = IPAddress.v6(0, 0)
    public static let loopbackV4 = IPAddress.v4(0x7F00_0001)
    public static let loopbackV6 = IPAddress.v6(0, 1)

    /// Parses dotted-quad IPv4 or RFC 4291 text IPv6 (with `::` and an embedded IPv4 tail).
    /// Returns nil for anything else, including IPv6 zone indexes such as `fe80::1%eth0`.
    public init?(_ text: String) {
        if text.contains(":") {
            guard let value = IPAddress.parseV6(Array(text.utf8)) else { return nil }
            self = value
        } else {
            guard let value = IPAddress.parseV4(Array(text.utf8), minimumOctets: 4) else { return nil }
            self = .v4(value.address)
        }
    }

    public var isV4: Bool {
        if case .v4 = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        case .v6(let high, let low):
            var groups: [UInt16] = []
            for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(shift))) }
            for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(shift))) }
            return IPAddress.formatV6(groups)
        }
    }

    /// Parses 1 to 4 decimal octets. Fewer than 4 are accepted only in prefixes such as `10/8`.
    static func parseV4(_ bytes: [UInt8], minimumOctets: Int) -> (address: UInt32, octets: Int)? {
        var value: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        for byte in bytes + [UInt8(ascii: ".")] {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 3 || current > 255 { return nil }
            } else if byte == UInt8(ascii: ".") {
                if digits == 0 || octets == 4 { return nil }
                value = value << 8 | current
                octets += 1
                current = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard octets >= minimumOctets else { return nil }
        value <<= UInt32(8 * (4 - octets))
        return (value, octets)
    }

    private static func parseV6(_ bytes: [UInt8]) -> IPAddress? {
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDoubleColon = false
        var parts = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map(Array.init)
        if bytes.starts(with: [UInt8(ascii: ":"), UInt8(ascii: ":")]) { parts.removeFirst() }
        if bytes.count >= 2 && bytes.suffix(2) == [UInt8(ascii: ":"), UInt8(ascii: ":")] { parts.removeLast() }
        for (position, part) in parts.enumerated() {
            if part.isEmpty {
                if sawDoubleColon { return nil }
                sawDoubleColon = true
                continue
            }
            if part.contains(UInt8(ascii: ".")) {
                guard position == parts.count - 1, let v4 = parseV4(part, minimumOctets: 4) else { return nil }
                let pair = [UInt16(v4.address >> 16), UInt16(v4.address & 0xFFFF)]
                if sawDoubleColon { tail += pair } else { head += pair }
                continue
            }
            guard part.count <= 4, let group = UInt16(String(decoding: part, as: UTF8.self), radix: 16) else { return nil }
            if sawDoubleColon { tail.append(group) } else { head.append(group) }
        }
        let total = head.count + tail.count
        if sawDoubleColon {
            guard total <= 7 else { return nil }
        } else {
            guard total == 8 else { return nil }
        }
        let groups = head + Array(repeating: 0, count: 8 - total) + tail
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<4 { high = high << 16 | UInt64(groups[index]) }
        for index in 4..<8 { low = low << 16 | UInt64(groups[index]) }
        return .v6(high, low)
    }

    /// Formats groups per RFC 5952: lower case, the longest run of two or more zero groups as `::`.
    private static func formatV6(_ groups: [UInt16]) -> String {
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength && end - index >= 2 {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}

/// An address prefix such as `10.0.0.0/8` or `2001:db8::/32`.
public struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var length: Int

    public init(address: IPAddress, length: Int) {
        self.address = address
        self.length = length
    }

    /// A prefix that matches only `address`.
    public init(host address: IPAddress) {
        self.address = address
        self.length = address.isV4 ? 32 : 128
    }

    /// Parses `ADDRESS`, `ADDRESS/LENGTH`, or a shortened IPv4 network such as `10/8` or
    /// `192.168/16`. Bits set past the prefix length are rejected, as BIND rejects them.
    public init?(_ text: String) {
        switch IPPrefix.parse(text) {
        case .success(let prefix): self = prefix
        case .failure: return nil
        }
    }

    enum ParseFailure: Error {
        case badAddress
        case badLength
        /// Host bits are set. The payload is the network address the text most likely meant.
        case hostBitsSet(IPPrefix)
    }

    static func parse(_ text: String) -> Result<IPPrefix, ParseFailure> {
        let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = String(pieces[0])
        var address: IPAddress
        var impliedLength: Int
        if addressText.contains(":") {
            guard let parsed = IPAddress(addressText) else { return .failure(.badAddress) }
            address = parsed
            impliedLength = 128
        } else {
            let minimum = pieces.count == 2 ? 1 : 4
            guard let parsed = IPAddress.parseV4(Array(addressText.utf8), minimumOctets: minimum) else {
                return .failure(.badAddress)
            }
            address = .v4(parsed.address)
            impliedLength = parsed.octets * 8
        }
        var length = impliedLength
        if pieces.count == 2 {
            let maximum = address.isV4 ? 32 : 128
            guard let value = Int(pieces[1]), value >= 0, value <= maximum, pieces[1].allSatisfy(\.isASCII) else {
                return .failure(.badLength)
            }
            length = value
        }
        let prefix = IPPrefix(address: address, length: length)
        let network = prefix.masked()
        if network.address != address { return .failure(.hostBitsSet(network)) }
        return .success(prefix)
    }

    /// The prefix with every bit past `length` cleared.
    func masked() -> IPPrefix {
        switch address {
        case .v4(let value):
            let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
            return IPPrefix(address: .v4(value & mask), length: length)
        case .v6(let high, let low):
            let (highMask, lowMask) = IPPrefix.v6Masks(length)
            return IPPrefix(address: .v6(high & highMask, low & lowMask), length: length)
        }
    }

    private static func v6Masks(_ length: Int) -> (UInt64, UInt64) {
        if length == 0 { return (0, 0) }
        if length <= 64 { return (~UInt64(0) << UInt64(64 - length), 0) }
        if length == 128 { return (~UInt64(0), ~UInt64(0)) }
        return (~UInt64(0), ~UInt64(0) << UInt64(128 - length))
    }

    /// Tests whether `candidate` lies in this prefix. An IPv4 address never matches an IPv6
    /// prefix and the other way round, and IPv4-mapped IPv6 addresses are not unwrapped.
    @inline(__always)
    public func contains(_ candidate: IPAddress) -> Bool {
        switch (address, candidate) {
        case (.v4(let network), .v4(let value)):
            let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
            return value & mask == network
        case (.v6(let networkHigh, let networkLow), .v6(let high, let low)):
            let (highMask, lowMask) = IPPrefix.v6Masks(length)
            return high & highMask == networkHigh && low & lowMask == networkLow
        default:
            return false
        }
    }

    public var description: String {
        let full = address.isV4 ? 32 : 128
        return length == full ? address.description : "\(address)/\(length)"
    }
}
