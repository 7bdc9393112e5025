#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DNSWire

/// A problem in a zone file that stops it from loading.
public struct ZoneFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    /// The offending text, if one token is at fault. The message quotes it too.
    public var token: String?
    public var message: String

    public init(file: String, line: Int, token: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.token = token
        self.message = message
    }

    /// `FILE:LINE: MESSAGE`, or `FILE: MESSAGE` when the file could not be read at all.
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// One logical line of a zone file as `String` fields: the form directives, `$GENERATE` and
/// records outside the fast path are read in.
struct ZoneFileLine {
    /// Whether the line began with a space or tab, so that it has no owner field.
    var startsWithBlank: Bool
    /// Line number where the logical line starts.
    var line: Int
    var fields: [PresentationField]
    /// Line number of each field, for error messages.
    var fieldLines: [Int]
}

/// One token of a logical line, as a byte range of the file.
struct RawToken {
    /// Offset of the first byte (after the opening quote of a quoted token).
    var start: Int
    /// Offset just past the last byte (before the closing quote).
    var end: Int
    var line: Int
    var isQuoted: Bool
    /// True when the token has no backslash and only printable ASCII (space too when quoted),
    /// so that its bytes are its text and need no unescaping.
    var isPlain: Bool
}

/// The bytes of a zone file, mapped into memory (or read, for files that cannot be mapped).
final class ZoneFileBytes: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let count: Int
    private let mapped: Bool

    init(path: String, displayName: String, includedFrom: (file: String, line: Int)?) throws(ZoneFileError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            if let includedFrom {
                throw ZoneFileError(
                    file: includedFrom.file, line: includedFrom.line, token: displayName,
                    message: "cannot open included file '\(displayName)': \(reason): check the path, which is relative to the server's directory")
            }
            throw ZoneFileError(file: displayName, line: 0, token: displayName, message: "cannot open zone file '\(displayName)': \(reason): check the path and the working directory")
        }
        defer { _ = Glibc.close(descriptor) }
        func readError() -> ZoneFileError {
            let reason = String(cString: strerror(errno))
            return ZoneFileError(
                file: includedFrom?.file ?? displayName, line: includedFrom?.line ?? 0, token: displayName,
                message: "cannot read zone file '\(displayName)': \(reason): give the path of a readable regular file")
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0,
            let address = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED
        {
            _ = madvise(address, Int(info.st_size), MADV_SEQUENTIAL | MADV_WILLNEED)
            base = UnsafePointer(address.assumingMemoryBound(to: UInt8.self))
            count = Int(info.st_size)
            mapped = true
            return
        }
        // Not a regular file, or empty: read it to the end.
        var capacity = 1 << 16
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        var used = 0
        while true {
            if used == capacity {
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                grown.update(from: buffer, count: used)
                buffer.deallocate()
                buffer = grown
                capacity *= 2
            }
            let got = read(descriptor, buffer + used, capacity - used)
            if got < 0 {
                if errno == EINTR { continue }
                buffer.deallocate()
                throw readError()
            }
            if got == 0 { break }
            used += got
        }
        base = UnsafePointer(buffer)
        count = used
        mapped = false
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            base.deallocate()
        }
    }
}

/// Splits zone file bytes into logical lines of tokens (RFC 1035 section 5.1): the tokens
/// between line ends that lie outside parentheses. Tokens are byte ranges; `text(_:)` makes the
/// `String` form only where a caller needs it.
///
/// In the `String` form escapes stay in the text (`\.` and `\065` mean something different
/// in names and strings), and bytes outside ASCII are written as `\DDD` escapes so that the
/// text is valid UTF-8 without changing what it means.
struct ZoneFileLexer {
    let path: String
    let base: UnsafePointer<UInt8>
    private var position: Int
    let end: Int
    private(set) var line: Int
    private var atLineStart = true
    private let classes = zoneByteClasses

    /// Reads `base[start..<end]`, whose first byte starts a line numbered `line`.
    init(path: String, base: UnsafePointer<UInt8>, start: Int, end: Int, line: Int) {
        self.path = path
        self.base = base
        self.position = start
        self.end = end
        self.line = line
    }

    var offset: Int { position }

    private func error(_ message: String, line: Int? = nil, token: String? = nil) -> ZoneFileError {
        ZoneFileError(file: path, line: line ?? self.line, token: token, message: message)
    }

    @inline(__always)
    private func isBlank(at offset: Int) -> Bool {
        offset < end && (base[offset] == UInt8(ascii: " ") || base[offset] == UInt8(ascii: "\t"))
    }

    /// Reads the next logical line that has at least one token into `tokens` and returns its
    /// first line number and whether it starts with a blank, or nil at the end of the input.
    mutating func nextLine(_ tokens: inout [RawToken]) throws(ZoneFileError) -> (line: Int, startsWithBlank: Bool)? {
        tokens.removeAll(keepingCapacity: true)
        var lineNumber = line
        var startsWithBlank = false
        var parenthesisDepth = 0
        var parenthesisLine = 0
        if atLineStart {
            startsWithBlank = isBlank(at: position)
            atLineStart = false
        }
        while true {
            guard position < end else {
                if parenthesisDepth > 0 {
                    throw error("end of file inside parentheses opened on line \(parenthesisLine): add the missing ')'", line: parenthesisLine)
                }
                return tokens.isEmpty ? nil : (lineNumber, startsWithBlank)
            }
            let byte = base[position]
            switch byte {
            case UInt8(ascii: "\n"):
                position += 1
                line += 1
                if parenthesisDepth == 0 {
                    atLineStart = true
                    if !tokens.isEmpty { return (lineNumber, startsWithBlank) }
                    lineNumber = line
                    startsWithBlank = isBlank(at: position)
                    atLineStart = false
                }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                position += 1
            case UInt8(ascii: ";"):
                while position < end, base[position] != UInt8(ascii: "\n") {
                    position += 1
                }
            case UInt8(ascii: "("):
                position += 1
                if parenthesisDepth == 0 { parenthesisLine = line }
                parenthesisDepth += 1
            case UInt8(ascii: ")"):
                position += 1
                guard parenthesisDepth > 0 else {
                    throw error("unbalanced ')' with no '(' before it: remove it or add the '('", token: ")")
                }
                parenthesisDepth -= 1
            case UInt8(ascii: "\""):
                position += 1
                tokens.append(try readQuoted())
            default:
                tokens.append(readUnquoted())
            }
        }
    }

    /// Reads an unquoted token up to a blank, line end, comment, parenthesis or quote.
    @inline(__always)
    private mutating func readUnquoted() -> RawToken {
        let start = position
        let startLine = line
        var plain = true
        // A local copy of the position keeps the loop in registers.
        var offset = position
        defer { position = offset }
        while offset < end {
            let byte = base[offset]
            if classes[Int(byte)] & plainTokenByte != 0 {
                offset += 1
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"),
                UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""):
                return RawToken(start: start, end: offset, line: startLine, isQuoted: false, isPlain: plain)
            case UInt8(ascii: "\\"):
                plain = false
                offset += 1
                if offset < end {
                    if base[offset] == UInt8(ascii: "\n") { line += 1 }
                    offset += 1
                }
            default:
                // A control byte or one outside ASCII.
                plain = false
                offset += 1
            }
        }
        return RawToken(start: start, end: offset, line: startLine, isQuoted: false, isPlain: plain)
    }

    /// Reads a quoted string after its opening quote, up to the closing quote.
    private mutating func readQuoted() throws(ZoneFileError) -> RawToken {
        let start = position
        let startLine = line
        var plain = true
        while true {
            guard position < end else {
                throw error("end of file inside a quoted string that starts on line \(startLine): add the closing '\"'", line: startLine)
            }
            let byte = base[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return RawToken(start: start, end: position - 1, line: startLine, isQuoted: true, isPlain: plain)
            case UInt8(ascii: "\n"):
                position += 1
                throw error("line ends inside a quoted string: add the closing '\"' or write the line break as \\010", line: startLine)
            case UInt8(ascii: "\\"):
                plain = false
                position += 1
                if position < end {
                    if base[position] == UInt8(ascii: "\n") { line += 1 }
                    position += 1
                }
            default:
                if byte < 0x20 || byte > 0x7E { plain = false }
                position += 1
            }
        }
    }

    func bytes(_ token: RawToken) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + token.start, count: token.end - token.start)
    }

    /// The token's text with escapes kept and bytes outside printable ASCII written as `\DDD`.
    func text(_ token: RawToken) -> String {
        let raw = bytes(token)
        if token.isPlain { return String(decoding: raw, as: UTF8.self) }
        var text: [UInt8] = []
        text.reserveCapacity(raw.count + 8)
        func appendEscaped(_ byte: UInt8) {
            if byte >= 0x80 || byte < 0x20 && byte != UInt8(ascii: "\t") {
                let digits = Array(String(byte).utf8)
                text.append(UInt8(ascii: "\\"))
                text.append(contentsOf: [UInt8](repeating: UInt8(ascii: "0"), count: 3 - digits.count))
                text.append(contentsOf: digits)
            } else {
                text.append(byte)
            }
        }
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                appendEscaped(byte)
                continue
            }
            guard index < raw.count else {
                text.append(byte)
                break
            }
            let escaped = raw[index]
            index += 1
            if escaped >= 0x80 || escaped < 0x20 {
                appendEscaped(escaped)
            } else {
                text.append(byte)
                text.append(escaped)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    func field(_ token: RawToken) -> PresentationField {
        PresentationField(text: text(token), isQuoted: token.isQuoted)
    }

    /// The line in `String` form.
    func line(_ tokens: [RawToken], line: Int, startsWithBlank: Bool) -> ZoneFileLine {
        ZoneFileLine(startsWithBlank: startsWithBlank, line: line, fields: tokens.map(field), fieldLines: tokens.map(\.line))
    }
}
