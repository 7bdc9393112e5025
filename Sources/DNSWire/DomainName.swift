/// A domain name in uncompressed wire form: length-prefixed labels ending with the root label.
///
/// The original case of every label is kept for output, but equality, hashing and ordering
/// ignore ASCII case (RFC 4343). Ordering is the canonical DNS order of RFC 4034 section 6.1.
public struct DomainName: Sendable {
    /// Maximum length of a name in wire form (RFC 1035 section 2.3.4).
    public static let maxWireLength = 255
    /// Maximum length of a label (RFC 1035 section 2.3.4).
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
        wire.withUnsafeBufferPointer { name in
            ancestor.wire.withUnsafeBufferPointer { suffix in
                let extra = name.count - suffix.count
                guard extra >= 0 else { return false }
                // The suffix must start at a label boundary.
                var offset = 0
                while offset < extra { offset += 1 + Int(name[offset]) }
                guard offset == extra else { return false }
                for index in 0..<suffix.count where name[extra + index] != suffix[index] {
                    guard asciiLowercase(name[extra + index]) == asciiLowercase(suffix[index]) else { return false }
                }
                return true
            }
        }
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
}

/// Reason a byte sequence or text is not a valid domain name.
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

    /// The change to a name in presentation form that avoids this error, for error messages.
    public var remedy: String {
        switch self {
        case .truncated, .trailingData: return "check the name's wire form"
        case .emptyLabel: return "remove the doubled, leading or lone dot"
        case .labelTooLong: return "shorten each label to at most 63 octets"
        case .nameTooLong: return "shorten the name to at most 255 octets in wire form"
        case .invalidEscape: return "write \\DDD with three decimal digits up to 255, or a backslash before one character"
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
        guard lhs.wire.count == rhs.wire.count else { return false }
        return lhs.wire.withUnsafeBufferPointer { a in
            rhs.wire.withUnsafeBufferPointer { b in
                if a.baseAddress == b.baseAddress { return true }
                for i in 0..<a.count where a[i] != b[i] && asciiLowercase(a[i]) != asciiLowercase(b[i]) {
                    return false
                }
                return true
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(wire.count)
        forEachCaseFoldedWord { hasher.combine($0) }
    }

    /// An unseeded 64-bit hash of the lower-cased wire form, equal for names that compare equal.
    /// For hash tables over zone data, which comes from trusted files.
    public var caseFoldedHash: Int {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(wire.count)
        forEachCaseFoldedWord { word in
            hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
        }
        hash ^= hash >> 33
        hash = hash &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return Int(truncatingIfNeeded: hash)
    }

    /// Calls `body` with the wire form folded to lower case, eight bytes at a time (the last
    /// word zero-padded).
    @inline(__always)
    private func forEachCaseFoldedWord(_ body: (UInt64) -> Void) {
        wire.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            var offset = 0
            while offset + 8 <= count {
                let word = UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self)
                body(foldCase(word))
                offset += 8
            }
            if offset < count {
                var word: UInt64 = 0
                var shift: UInt64 = 0
                while offset < count {
                    word |= UInt64(bytes[offset]) << shift
                    shift += 8
                    offset += 1
                }
                body(foldCase(word))
            }
        }
    }
}

/// Sets bit 0x20 in every byte of `word` that is an ASCII upper-case letter.
@inline(__always)
func foldCase(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let low7 = word & (0x7F * ones)
    let atLeastA = low7 &+ (0x80 - 0x41) * ones
    let aboveZ = low7 &+ (0x80 - 0x5B) * ones
    let upper = atLeastA & ~aboveZ & ~word & (0x80 * ones)
    return word | (upper >> 2)
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
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(DomainNameError) in try DomainName(parsingUTF8: bytes, origin: origin) }
        }
        self = try result.get()
    }

    /// Parses a name in presentation form from UTF-8 bytes, as `init(parsing:origin:)` does.
    public init(parsingUTF8 bytes: UnsafeBufferPointer<UInt8>, origin: DomainName? = nil) throws(DomainNameError) {
        if bytes.count == 1 && bytes[0] == UInt8(ascii: "@") {
            guard let origin else { throw .invalidEscape("@") }
            self = origin
            return
        }
        // Names without escapes, of at most 253 bytes of text: write the wire form in one pass
        // into a buffer of the final size.
        if bytes.count <= 253, let origin, bytes.count > 0, bytes[bytes.count - 1] != UInt8(ascii: "."),
            let wire = Self.relativeWireWithoutEscapes(bytes, origin: origin)
        {
            self.wire = wire
            return
        }
        var wire: [UInt8] = []
        wire.reserveCapacity(bytes.count + 2 + (origin?.wire.count ?? 0))
        try Self.appendWire(parsingUTF8: bytes, origin: origin, to: &wire)
        self.wire = wire
    }

    /// The wire form of a relative name with no backslash followed by `origin`, or nil when the
    /// text has a backslash, an empty or long label, or the name would be too long; the general
    /// parser then gives the result or the error.
    private static func relativeWireWithoutEscapes(_ bytes: UnsafeBufferPointer<UInt8>, origin: DomainName) -> [UInt8]? {
        let count = bytes.count
        // Each dot becomes a length byte and one more goes in front; the origin replaces the root label.
        let total = count + 1 + origin.wire.count
        guard total <= maxWireLength else { return nil }
        var valid = true
        let wire = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
            var lengthAt = 0
            for index in 0..<count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    valid = false
                    return
                }
                if byte == UInt8(ascii: ".") {
                    let length = index - lengthAt
                    guard length > 0, length <= maxLabelLength else {
                        valid = false
                        return
                    }
                    out[lengthAt] = UInt8(length)
                    lengthAt = index + 1
                } else {
                    out[index + 1] = byte
                }
            }
            let length = count - lengthAt
            guard length > 0, length <= maxLabelLength else {
                valid = false
                return
            }
            out[lengthAt] = UInt8(length)
            origin.wire.withUnsafeBufferPointer { suffix in
                for index in 0..<suffix.count { out[count + 1 + index] = suffix[index] }
            }
            initialized = total
        }
        return valid ? wire : nil
    }

    /// Parses a name in presentation form from UTF-8 bytes and appends its wire form to `out`,
    /// without building labels one by one. The name and its errors are those of
    /// `init(parsing:origin:)`. On error, `out` may hold part of the name.
    public static func appendWire(parsingUTF8 bytes: UnsafeBufferPointer<UInt8>, origin: DomainName?, to out: inout [UInt8]) throws(DomainNameError) {
        let count = bytes.count
        if count == 1 && bytes[0] == UInt8(ascii: "@") {
            guard let origin else { throw .invalidEscape("@") }
            out.append(contentsOf: origin.wire)
            return
        }
        if count == 1 && bytes[0] == UInt8(ascii: ".") {
            out.append(0)
            return
        }
        func invalid() -> DomainNameError { .invalidEscape(String(decoding: bytes, as: UTF8.self)) }
        let base = out.count
        var absolute = false
        var labelTooLong = false
        var lengthAt = base
        out.append(0)
        var index = 0
        while index < count {
            var byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                let length = out.count - lengthAt - 1
                guard length > 0 else { throw .emptyLabel }
                if length > maxLabelLength { labelTooLong = true }
                out[lengthAt] = UInt8(truncatingIfNeeded: length)
                if index == count - 1 { absolute = true }
                lengthAt = out.count
                out.append(0)
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < count else { throw invalid() }
                let next = bytes[index]
                if next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9") {
                    guard index + 2 < count else { throw invalid() }
                    var value = 0
                    for k in 0..<3 {
                        let digit = bytes[index + k]
                        guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "9") else { throw invalid() }
                        value = value * 10 + Int(digit - UInt8(ascii: "0"))
                    }
                    guard value <= 255 else { throw invalid() }
                    byte = UInt8(value)
                    index += 3
                } else {
                    byte = next
                    index += 1
                }
            } else {
                index += 1
            }
            out.append(byte)
        }
        let length = out.count - lengthAt - 1
        if length > 0 {
            if length > maxLabelLength { labelTooLong = true }
            out[lengthAt] = UInt8(truncatingIfNeeded: length)
            out.append(0)
        } else if !absolute {
            throw .emptyLabel
        }
        // Here the last byte is the root label (for an absolute name, the slot opened after
        // the final dot).
        if labelTooLong { throw .labelTooLong }
        guard out.count - base <= maxWireLength else { throw .nameTooLong }
        if !absolute, let origin {
            guard out.count - base - 1 + origin.wire.count <= maxWireLength else { throw .nameTooLong }
            out.removeLast()
            out.append(contentsOf: origin.wire)
        }
    }
}
