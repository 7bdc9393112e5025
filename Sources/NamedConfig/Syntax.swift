import Foundation

/// One value of a statement in the generic named.conf tree.
public struct ConfigValue: Sendable {
    public enum Kind: Sendable {
        case word(String)
        case quoted(String)
        case block([ConfigStatement])
        /// The `!` prefix of an address match list element.
        case negation
    }

    public var kind: Kind
    public var location: SourceLocation

    /// The text of a word or quoted string, nil for blocks and `!`.
    public var text: String? {
        switch kind {
        case .word(let text), .quoted(let text): return text
        case .block, .negation: return nil
        }
    }

    public var block: [ConfigStatement]? {
        if case .block(let statements) = kind { return statements }
        return nil
    }

    /// The value as it would appear in named.conf, for messages.
    var display: String {
        switch kind {
        case .word(let text): return text
        case .quoted(let text): return "\"\(text)\""
        case .block: return "{"
        case .negation: return "!"
        }
    }
}

/// A statement of the generic tree: values up to the terminating `;`, where a value can be a
/// nested `{ ... }` block of statements. `include` statements are already replaced by the
/// statements of the included file.
public struct ConfigStatement: Sendable {
    public var values: [ConfigValue]
    public var location: SourceLocation

    /// The first value, lower-cased, when it is a word; BIND matches keywords case-insensitively.
    public var keyword: String? {
        guard let first = values.first, case .word(let text) = first.kind else { return nil }
        return text.lowercased()
    }
}

/// Reads named.conf files into the generic statement tree and expands `include`.
///
/// A relative include path is resolved against the process working directory at parse time,
/// which is what BIND 9 does, and not against the directory of the including file.
/// `rootDirectory`, when set, is prefixed to every absolute path, as named-checkconf's `-t` does.
struct ConfigParser {
    static let maximumIncludeDepth = 32

    var rootDirectory: String?
    var sink = DiagnosticSink()
    /// Every file read, in order, the top file first.
    var filesRead: [String] = []

    init(rootDirectory: String? = nil) {
        self.rootDirectory = rootDirectory
    }

    /// Maps a path from the configuration to the path to open.
    func resolve(_ path: String) -> String {
        guard let root = rootDirectory, path.hasPrefix("/") else { return path }
        return root.hasSuffix("/") ? root + path.dropFirst() : root + path
    }

    /// Parses the file at `path`; `location` is where it was referenced, nil for the top file.
    mutating func parseFile(_ path: String, includedFrom location: SourceLocation?, depth: Int = 0) -> [ConfigStatement] {
        let openPath = resolve(path)
        guard let data = FileManager.default.contents(atPath: openPath) else {
            let reason = FileManager.default.fileExists(atPath: openPath) ? "permission denied" : "file not found"
            let where_ = location ?? SourceLocation(file: path, line: 0)
            sink.error(where_, "open: \(path): \(reason); check the path and that the file is readable")
            return []
        }
        filesRead.append(path)
        let text = String(decoding: data, as: UTF8.self)
        return parseText(text, file: path, depth: depth)
    }

    mutating func parseText(_ text: String, file: String, depth: Int = 0) -> [ConfigStatement] {
        var lexer = Lexer(text: text, file: file)
        let tokens = lexer.tokenize(into: &sink)
        var cursor = TokenCursor(tokens: tokens, file: file)
        return parseStatements(&cursor, openedAt: nil, depth: depth)
    }

    /// Parses statements until the end of input or, inside a block, the closing `}`,
    /// which is left for the caller.
    private mutating func parseStatements(_ cursor: inout TokenCursor, openedAt: Int?, depth: Int) -> [ConfigStatement] {
        var statements: [ConfigStatement] = []
        while let token = cursor.current {
            switch token.kind {
            case .closeBrace:
                if openedAt != nil { return statements }
                sink.error(cursor.location(token), "unexpected '}': no block is open here; remove it or add the missing '{'")
                cursor.advance()
            case .semicolon:
                cursor.advance()
            default:
                let statement = parseStatement(&cursor, depth: depth)
                if statement.keyword == "include" {
                    statements.append(contentsOf: expandInclude(statement, depth: depth))
                } else {
                    statements.append(statement)
                }
            }
        }
        return statements
    }

    private mutating func parseStatement(_ cursor: inout TokenCursor, depth: Int) -> ConfigStatement {
        let start = cursor.location(cursor.current!)
        var values: [ConfigValue] = []
        while let token = cursor.current {
            let location = cursor.location(token)
            switch token.kind {
            case .word:
                values.append(ConfigValue(kind: .word(token.text), location: location))
                cursor.advance()
            case .quoted:
                values.append(ConfigValue(kind: .quoted(token.text), location: location))
                cursor.advance()
            case .bang:
                values.append(ConfigValue(kind: .negation, location: location))
                cursor.advance()
            case .openBrace:
                cursor.advance()
                let inner = parseStatements(&cursor, openedAt: token.line, depth: depth)
                if cursor.current?.kind == .closeBrace {
                    cursor.advance()
                } else {
                    sink.error(location, "missing '}': the '{' opened here is not closed before the end of \(cursor.file)")
                }
                values.append(ConfigValue(kind: .block(inner), location: location))
            case .semicolon:
                cursor.advance()
                return ConfigStatement(values: values, location: start)
            case .closeBrace:
                sink.error(location, "missing ';' before '}'; end the statement with ';'")
                return ConfigStatement(values: values, location: start)
            }
        }
        let last = values.last?.location ?? start
        sink.error(last, "missing ';' at end of file; end the statement with ';'")
        return ConfigStatement(values: values, location: start)
    }

    private mutating func expandInclude(_ statement: ConfigStatement, depth: Int) -> [ConfigStatement] {
        guard statement.values.count == 2, let path = statement.values[1].text else {
            sink.error(statement.location, "'include' takes one file name: write include \"/path/to/file\";")
            return []
        }
        guard depth < Self.maximumIncludeDepth else {
            sink.error(
                statement.location,
                "include \"\(path)\": includes are nested more than \(Self.maximumIncludeDepth) levels deep; check for a file that includes itself"
            )
            return []
        }
        return parseFile(path, includedFrom: statement.location, depth: depth + 1)
    }
}

private struct TokenCursor {
    let tokens: [Token]
    let file: String
    var index = 0

    var current: Token? { index < tokens.count ? tokens[index] : nil }

    mutating func advance() { index += 1 }

    func location(_ token: Token) -> SourceLocation {
        SourceLocation(file: file, line: token.line)
    }
}
