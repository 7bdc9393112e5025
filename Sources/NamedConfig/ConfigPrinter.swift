/// Prints a statement tree in a normalized layout: one statement per line, tab indentation,
/// includes expanded, comments dropped, strings quoted. `named-checkconf -p` uses it.
public enum ConfigPrinter {
    public static func format(_ statements: [ConfigStatement]) -> String {
        var output = ""
        for statement in statements {
            append(statement, depth: 0, to: &output)
        }
        return output
    }

    private static func append(_ statement: ConfigStatement, depth: Int, to output: inout String) {
        output += String(repeating: "\t", count: depth)
        var previousWasNegation = false
        for (index, value) in statement.values.enumerated() {
            if index > 0 && !previousWasNegation { output += " " }
            previousWasNegation = false
            switch value.kind {
            case .word(let text):
                output += text
            case .quoted(let text):
                output += quote(text)
            case .negation:
                output += "!"
                previousWasNegation = true
            case .block(let inner):
                output += "{\n"
                for nested in inner {
                    append(nested, depth: depth + 1, to: &output)
                }
                output += String(repeating: "\t", count: depth) + "}"
            }
        }
        output += ";\n"
    }

    private static func quote(_ text: String) -> String {
        var escaped = "\""
        for character in text {
            if character == "\"" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "\""
    }
}
