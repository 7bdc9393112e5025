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

/// One logical line of a zone file: the tokens between line ends that lie outside parentheses.
struct ZoneFileLine {
    /// Whether the line began with a space or tab, so that it has no owner field.
    var startsWithBlank: Bool
    /// Line number where the logical line starts.
    var line: Int
    var fields: [PresentationField]
    /// Line number of each field, for error messages.
    var fieldLines: [Int]
}

/// Splits a zone file into logical lines of tokens (RFC 1035 section 5.1). It reads the file
/// in fixed-size chunks of bytes, so memory use does not grow with the file size.
///
/// Escapes stay in the token text (`\.` and `\065` mean something different in names and
/// strings). Bytes outside ASCII are written as `\DDD` escapes so that tokens are valid
/// Swift strings without changing what they mean.
struct ZoneFileLexer {
    let path: String
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8]
    private var count = 0
    private var position = 0
    private(set) var line = 1
    private var atLineStart = true

    static let chunkSize = 1 << 16

    init(path: String, displayName: String, includedFrom: (file: String, line: Int)?) throws(ZoneFileError) {
        self.path = displayName
        guard let handle = fopen(path, "r") else {
            let reason = String(cString: strerror(errno))
            if let includedFrom {
                throw ZoneFileError(
                    file: includedFrom.file, line: includedFrom.line, token: displayName,
                    message: "cannot open included file '\(displayName)': \(reason): check the path, which is relative to the server's directory")
            }
            throw ZoneFileError(file: displayName, line: 0, token: displayName, message: "cannot open zone file '\(displayName)': \(reason)")
        }
        self.handle = handle
        self.buffer = [UInt8](repeating: 0, count: Self.chunkSize)
    }

    func close() {
        fclose(handle)
    }

    private mutating func refill() -> Bool {
        let read = buffer.withUnsafeMutableBytes { raw in
            fread(raw.baseAddress, 1, Self.chunkSize, handle)
        }
        count = read
        position = 0
        return read > 0
    }

    private mutating func peekByte() -> UInt8? {
        if position >= count {
            guard refill() else { return nil }
        }
        return buffer[position]
    }

    private mutating func nextByte() -> UInt8? {
        guard let byte = peekByte() else { return nil }
        position += 1
        return byte
    }

    private func error(_ message: String, line: Int? = nil, token: String? = nil) -> ZoneFileError {
        ZoneFileError(file: path, line: line ?? self.line, token: token, message: message)
    }

    /// Returns the next logical line that has at least one token, or nil at the end of the file.
    mutating func nextLine() throws(ZoneFileError) -> ZoneFileLine? {
        var result = ZoneFileLine(startsWithBlank: false, line: line, fields: [], fieldLines: [])
        var parenthesisDepth = 0
        var parenthesisLine = 0
        if atLineStart {
            result.startsWithBlank = peekByte() == UInt8(ascii: " ") || peekByte() == UInt8(ascii: "\t")
            atLineStart = false
        }
        while true {
            guard let byte = peekByte() else {
                if parenthesisDepth > 0 {
                    throw error("end of file inside parentheses opened on line \(parenthesisLine): add the missing ')'", line: parenthesisLine)
                }
                return result.fields.isEmpty ? nil : result
            }
            switch byte {
            case UInt8(ascii: "\n"):
                position += 1
                line += 1
                if parenthesisDepth == 0 {
                    atLineStart = true
                    if !result.fields.isEmpty { return result }
                    result.line = line
                    result.startsWithBlank = peekByte() == UInt8(ascii: " ") || peekByte() == UInt8(ascii: "\t")
                    atLineStart = false
                }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                position += 1
            case UInt8(ascii: ";"):
                while let next = peekByte(), next != UInt8(ascii: "\n") {
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
                let startLine = line
                let text = try readQuoted(startLine: startLine)
                result.fields.append(PresentationField(text: text, isQuoted: true))
                result.fieldLines.append(startLine)
            default:
                let startLine = line
                let text = readUnquoted()
                result.fields.append(PresentationField(text: text, isQuoted: false))
                result.fieldLines.append(startLine)
            }
        }
    }

    private mutating func appendEscaped(_ byte: UInt8, to text: inout [UInt8]) {
        if byte >= 0x80 || byte < 0x20 && byte != UInt8(ascii: "\t") {
            let digits = Array(String(byte).utf8)
            text.append(UInt8(ascii: "\\"))
            text.append(contentsOf: [UInt8](repeating: UInt8(ascii: "0"), count: 3 - digits.count))
            text.append(contentsOf: digits)
        } else {
            text.append(byte)
        }
    }

    /// Reads an unquoted token up to a blank, line end, comment, parenthesis or quote.
    private mutating func readUnquoted() -> String {
        var text: [UInt8] = []
        while let byte = peekByte() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"),
                UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""):
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard let escaped = peekByte() else {
                    text.append(byte)
                    return String(decoding: text, as: UTF8.self)
                }
                position += 1
                if escaped == UInt8(ascii: "\n") { line += 1 }
                if escaped >= 0x80 || escaped < 0x20 {
                    appendEscaped(escaped, to: &text)
                } else {
                    text.append(byte)
                    text.append(escaped)
                }
            default:
                position += 1
                appendEscaped(byte, to: &text)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Reads a quoted string after its opening quote, up to the closing quote.
    private mutating func readQuoted(startLine: Int) throws(ZoneFileError) -> String {
        var text: [UInt8] = []
        while true {
            guard let byte = nextByte() else {
                throw error("end of file inside a quoted string that starts on line \(startLine): add the closing '\"'", line: startLine)
            }
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\n"):
                throw error("line ends inside a quoted string: add the closing '\"' or write the line break as \\010", line: startLine)
            case UInt8(ascii: "\\"):
                guard let escaped = nextByte() else { continue }
                if escaped == UInt8(ascii: "\n") { line += 1 }
                if escaped >= 0x80 || escaped < 0x20 {
                    appendEscaped(escaped, to: &text)
                } else {
                    text.append(byte)
                    text.append(escaped)
                }
            default:
                appendEscaped(byte, to: &text)
            }
        }
    }
}
