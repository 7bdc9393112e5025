/// A token of named.conf syntax.
struct Token: Equatable {
    enum Kind: Equatable {
        /// An unquoted word: keyword, number, address, name.
        case word
        /// A double-quoted string, with the quotes removed and escapes resolved.
        case quoted
        case openBrace
        case closeBrace
        case semicolon
        /// `!`, the negation prefix in address match lists.
        case bang
    }

    var kind: Kind
    var text: String
    var line: Int
}

/// Splits named.conf text into tokens.
///
/// Comments in all three BIND styles are skipped: `/* ... */`, `// ...` and `# ...` to the
/// end of the line. A `/` that does not start a comment belongs to the word around it, so
/// `10.0.0.0/8` is one token.
struct Lexer {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    let file: String

    init(text: String, file: String) {
        self.bytes = Array(text.utf8)
        self.file = file
    }

    mutating func tokenize(into sink: inout DiagnosticSink) -> [Token] {
        var tokens: [Token] = []
        while let token = next(sink: &sink) {
            tokens.append(token)
        }
        return tokens
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let position = index + offset
        return position < bytes.count ? bytes[position] : nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r") || byte == 0x0B || byte == 0x0C
    }

    private func startsComment() -> Bool {
        guard let byte = peek() else { return false }
        if byte == UInt8(ascii: "#") { return true }
        if byte == UInt8(ascii: "/") {
            let following = peek(1)
            return following == UInt8(ascii: "/") || following == UInt8(ascii: "*")
        }
        return false
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
            || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "!")
    }

    /// Skips white space and comments, reporting a block comment that is not closed.
    private mutating func skipSpaceAndComments(sink: inout DiagnosticSink) {
        while let byte = peek() {
            if Self.isSpace(byte) {
                if byte == UInt8(ascii: "\n") { line += 1 }
                index += 1
            } else if byte == UInt8(ascii: "#") || (byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/")) {
                while let current = peek(), current != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let startLine = line
                index += 2
                var closed = false
                while let current = peek() {
                    if current == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                        index += 2
                        closed = true
                        break
                    }
                    if current == UInt8(ascii: "\n") { line += 1 }
                    index += 1
                }
                if !closed {
                    sink.error(
                        SourceLocation(file: file, line: startLine),
                        "unterminated comment: '/*' has no closing '*/'; add '*/' where the comment ends")
                }
            } else {
                return
            }
        }
    }

    private mutating func next(sink: inout DiagnosticSink) -> Token? {
        skipSpaceAndComments(sink: &sink)
        guard let byte = peek() else { return nil }
        let startLine = line
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            return Token(kind: .openBrace, text: "{", line: startLine)
        case UInt8(ascii: "}"):
            index += 1
            return Token(kind: .closeBrace, text: "}", line: startLine)
        case UInt8(ascii: ";"):
            index += 1
            return Token(kind: .semicolon, text: ";", line: startLine)
        case UInt8(ascii: "!"):
            index += 1
            return Token(kind: .bang, text: "!", line: startLine)
        case UInt8(ascii: "\""):
            return quotedString(sink: &sink)
        default:
            let start = index
            while let current = peek(), !Self.isDelimiter(current), !startsComment() {
                index += 1
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            return Token(kind: .word, text: text, line: startLine)
        }
    }

    /// Reads a quoted string. A backslash escapes the next character; newlines may appear
    /// inside the quotes, as in the multi-line key data of trust anchors.
    private mutating func quotedString(sink: inout DiagnosticSink) -> Token {
        let startLine = line
        index += 1
        var content: [UInt8] = []
        while let byte = peek() {
            index += 1
            if byte == UInt8(ascii: "\"") {
                return Token(kind: .quoted, text: String(decoding: content, as: UTF8.self), line: startLine)
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            if byte == UInt8(ascii: "\\"), let escaped = peek() {
                index += 1
                if escaped == UInt8(ascii: "\n") { line += 1 }
                content.append(escaped)
                continue
            }
            content.append(byte)
        }
        sink.error(
            SourceLocation(file: file, line: startLine),
            "unterminated quoted string: '\"' has no closing quote; close the string on the line where it ends")
        return Token(kind: .quoted, text: String(decoding: content, as: UTF8.self), line: startLine)
    }
}
