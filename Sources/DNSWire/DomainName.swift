/// A domain name in uncompressed wire form: length-prefixed labels ending with the root label.
///
/// The original case of every label is kept for output, but equality, hashing and ordering
/// ignore ASCII case (RFC 4343). Ordering is the canonical DNS order of RFC 4034 section 6.1.
public struct DomainName: Sendable {
    /// Longest name in wire form (RFC 1035 section 2.3.4).
    public static let maxWireLength = 255
    /// Longest label (RFC 1035 section 2.3.4).
    public static let maxLabelLength = 63

    /// Wire form, including the final zero byte.
    public private(set) var wire: [UInt8]

    public static let root = DomainName(uncheckedWire: [0])

    /// Creates a name from wire bytes that the caller has already validated.
    public init(uncheckedWire wire: [UInt8]) {
        self.wire = wire
    }

    /// Creates a name from uncompressed wire bytes, validating label lengths and the total length.
    public init(wire: [UInt8]) throws(DomainNameError) {
        var offset = 0
        while true {
            guard offset < wire.count else { throw .truncated }
            let length = Int(wire[offset])
            if length == 0 {
                guard offset + 1 == wire.count else { throw .trailingData }
                break
            }
            guard length <= Self.maxLabelLength else { throw .labelTooLong }
            offset += 1 + length
        }
        guard wire.count <= Self.maxWireLength else { throw .nameTooLong }
        self.wire = wire
    }

    /// Creates a name from labels given as raw bytes, first label first.
    public init<S: Sequence>(labels: S) throws(DomainNameError) where S.Element == [UInt8] {
        var wire: [UInt8] = []
        for label in labels {
            guard !label.isEmpty else { throw .emptyLabel }
            guard label.count <= Self.maxLabelLength else { throw .labelTooLong }
            wire.append(UInt8(label.count))
            wire.append(contentsOf: label)
        }
        wire.append(0)
        guard wire.count <= Self.maxWireLength else { throw .nameTooLong }
        self.wire = wire
    }

    public var isRoot: Bool { wire.count == 1 }

    /// Number of labels, not counting the root label.
    public var labelCount: Int {
        var count = 0
        var offset = 0
        while wire[offset] != 0 {
            count += 1
            offset += 1 + Int(wire[offset])
        }
        return count
    }

    /// Labels as raw bytes, first (leftmost) label first, without the root label.
    public var labels: [[UInt8]] {
        var result: [[UInt8]] = []
        var offset = 0
        while wire[offset] != 0 {
            let length = Int(wire[offset])
            result.append(Array(wire[(offset + 1)..<(offset + 1 + length)]))
            offset += 1 + length
        }
        return result
    }

    /// Whether the first label is `*`, which makes this a wildcard owner name (RFC 4592).
    public var isWildcard: Bool { wire.count >= 3 && wire[0] == 1 && wire[1] == UInt8(ascii: "*") }

    /// The name with its first label removed, or nil for the root.
    public var parent: DomainName? {
        guard !isRoot else { return nil }
        return DomainName(uncheckedWire: Array(wire[(1 + Int(wire[0]))...]))
    }

    /// The name with the ASCII letters of every label folded to lower case.
    public var lowercased: DomainName {
        DomainName(uncheckedWire: wire.map(asciiLowercase))
    }

    /// Prepends one label. Throws when the label or the result is too long.
    public func prepending(label: [UInt8]) throws(DomainNameError) -> DomainName {
        guard !label.isEmpty else { throw .emptyLabel }
        guard label.count <= Self.maxLabelLength else { throw .labelTooLong }
        guard wire.count + 1 + label.count <= Self.maxWireLength else { throw .nameTooLong }
        return DomainName(uncheckedWire: [UInt8(label.count)] + label + wire)
    }

    /// Appends `suffix` to this name, which is taken as relative (its root label is dropped).
    public func appending(_ suffix: DomainName) throws(DomainNameError) -> DomainName {
        let combined = Array(wire.dropLast()) + suffix.wire
        guard combined.count <= Self.maxWireLength else { throw .nameTooLong }
        return DomainName(uncheckedWire: combined)
    }

    /// Whether this name equals `ancestor` or lies below it.
    public func isSubdomain(of ancestor: DomainName) -> Bool {
        let extra = wire.count - ancestor.wire.count
        guard extra >= 0 else { return false }
        guard let offset = labelBoundary(atSuffixLength: ancestor.wire.count) else { return false }
        _ = extra
        return bytesEqualIgnoringCase(wire, from: offset, ancestor.wire, from: 0, count: ancestor.wire.count)
    }

    /// The trailing `count` labels of this name as a name (count 0 gives the root).
    public func suffix(labelCount count: Int) -> DomainName {
        let total = labelCount
        precondition(count <= total, "suffix longer than the name")
        var offset = 0
        for _ in 0..<(total - count) {
            offset += 1 + Int(wire[offset])
        }
        return DomainName(uncheckedWire: Array(wire[offset...]))
    }

    /// The name relative to `origin` in presentation form, `@` for the origin itself,
    /// or the absolute form when the name is not below origin.
    public func relativeDescription(to origin: DomainName) -> String {
        guard isSubdomain(of: origin) else { return description }
        if self == origin { return "@" }
        let keep = labelCount - origin.labelCount
        return labels.prefix(keep).map(Self.presentationLabel).joined(separator: ".")
    }

    /// Offset of the label that starts exactly `length` bytes before the end, or nil if no label does.
    private func labelBoundary(atSuffixLength length: Int) -> Int? {
        let target = wire.count - length
        var offset = 0
        while offset < target {
            offset += 1 + Int(wire[offset])
        }
        return offset == target ? offset : nil
    }
}

/// Why a byte sequence or text is not a valid domain name.
public enum DomainNameError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated
    case trailingData
    case emptyLabel
    case labelTooLong
    case nameTooLong
    case invalidEscape(String)

    public var description: String {
        switch self {
        case .truncated: return "name is truncated"
        case .trailingData: return "data follows the root label"
        case .emptyLabel: return "empty label"
        case .labelTooLong: return "label longer than 63 octets"
        case .nameTooLong: return "name longer than 255 octets"
        case .invalidEscape(let text): return "invalid escape '\(text)'"
        }
    }
}

@inline(__always)
func asciiLowercase(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}

func bytesEqualIgnoringCase(_ a: [UInt8], from aStart: Int, _ b: [UInt8], from bStart: Int, count: Int) -> Bool {
    for i in 0..<count where asciiLowercase(a[aStart + i]) != asciiLowercase(b[bStart + i]) {
        return false
    }
    return true
}

extension DomainName: Hashable {
    public static func == (lhs: DomainName, rhs: DomainName) -> Bool {
        lhs.wire.count == rhs.wire.count
            && bytesEqualIgnoringCase(lhs.wire, from: 0, rhs.wire, from: 0, count: lhs.wire.count)
    }

    public func hash(into hasher: inout Hasher) {
        for byte in wire {
            hasher.combine(asciiLowercase(byte))
        }
    }
}

extension DomainName: Comparable {
    /// Canonical DNS name order (RFC 4034 section 6.1): compare labels from the rightmost,
    /// each as a lower-cased octet string.
    public static func < (lhs: DomainName, rhs: DomainName) -> Bool {
        let left = lhs.labels
        let right = rhs.labels
        var i = left.count - 1
        var j = right.count - 1
        while i >= 0 && j >= 0 {
            let a = left[i].map(asciiLowercase)
            let b = right[j].map(asciiLowercase)
            if a != b {
                return a.lexicographicallyPrecedes(b)
            }
            i -= 1
            j -= 1
        }
        return left.count < right.count
    }
}

extension DomainName: CustomStringConvertible {
    /// Absolute presentation form with a trailing dot, escaping as RFC 4343 and BIND do.
    public var description: String {
        if isRoot { return "." }
        return labels.map(Self.presentationLabel).joined(separator: ".") + "."
    }

    /// One label in presentation form: `.` `\` `"` `(` `)` `;` `@` `$` escaped with a backslash,
    /// other bytes outside printable ASCII as `\DDD`.
    public static func presentationLabel(_ label: [UInt8]) -> String {
        var text = ""
        for byte in label {
            switch byte {
            case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "("),
                UInt8(ascii: ")"), UInt8(ascii: ";"), UInt8(ascii: "@"), UInt8(ascii: "$"):
                text.append("\\")
                text.append(Character(Unicode.Scalar(byte)))
            case 0x21...0x7E:
                text.append(Character(Unicode.Scalar(byte)))
            default:
                text.append("\\")
                let digits = String(byte)
                text.append(String(repeating: "0", count: 3 - digits.count) + digits)
            }
        }
        return text
    }
}

extension DomainName {
    /// Parses a name in presentation form. A name without a trailing dot is relative and gets
    /// `origin` appended; without an origin it is taken as absolute. `@` stands for the origin.
    public init(parsing text: String, origin: DomainName? = nil) throws(DomainNameError) {
        if text == "@" {
            guard let origin else { throw .invalidEscape("@") }
            self = origin
            return
        }
        if text == "." {
            self = .root
            return
        }
        var labels: [[UInt8]] = []
        var current: [UInt8] = []
        var absolute = false
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { throw .invalidEscape(text) }
                let next = bytes[index]
                if next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9") {
                    guard index + 2 < bytes.count else { throw .invalidEscape(text) }
                    var value = 0
                    for k in 0..<3 {
                        let digit = bytes[index + k]
                        guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9") else {
                            throw .invalidEscape(text)
                        }
                        value = value * 10 + Int(digit - UInt8(ascii: "0"))
                    }
                    guard value <= 255 else { throw .invalidEscape(text) }
                    current.append(UInt8(value))
                    index += 3
                } else {
                    current.append(next)
                    index += 1
                }
                continue
            }
            if byte == UInt8(ascii: ".") {
                guard !current.isEmpty else { throw .emptyLabel }
                labels.append(current)
                current = []
                if index == bytes.count - 1 {
                    absolute = true
                }
                index += 1
                continue
            }
            current.append(byte)
            index += 1
        }
        if !current.isEmpty {
            labels.append(current)
        } else if !absolute {
            throw .emptyLabel
        }
        let name = try DomainName(labels: labels)
        if !absolute, let origin {
            self = try name.appending(origin)
        } else {
            self = name
        }
    }
}
