import DNSWire

/// BIND's `$GENERATE start-stop[/step] lhs [ttl] [class] type rhs` directive: one record for each
/// value of the counter, with `$` in `lhs` and `rhs` replaced by the value. `${offset,width,base}`
/// adds an offset, pads to a width and prints in base d, o, x, X, n or N (nibbles, as in
/// ip6.arpa names). `\$` is a literal dollar sign.
extension ParserState {
    mutating func generate(_ line: ZoneFileLine, file: String, origin: DomainName) throws(ZoneFileError) {
        let fields = line.fields
        guard fields.count >= 4 else {
            throw ZoneFileError(
                file: file, line: line.line, token: fields[0].text,
                message: "$GENERATE needs a range, an owner, a type and data, as in '$GENERATE 1-100 host-$ A 10.0.0.$'")
        }
        let rangeText = fields[1].text
        guard let range = parseRange(rangeText) else {
            throw ZoneFileError(
                file: file, line: line.line, token: rangeText,
                message: "invalid $GENERATE range '\(rangeText)': expected START-STOP or START-STOP/STEP with START <= STOP")
        }
        var counter = range.start
        while counter <= range.stop {
            var generated = ZoneFileLine(startsWithBlank: false, line: line.line, fields: [], fieldLines: [])
            for (position, field) in fields.enumerated().dropFirst(2) {
                var text = field.text
                // The owner and the last field are templates; the fields between are TTL, class and type.
                if position == 2 || position == fields.count - 1 {
                    text = try substitute(field.text, value: counter, file: file, line: line.line)
                }
                generated.fields.append(PresentationField(text: text, isQuoted: field.isQuoted))
                generated.fieldLines.append(line.line)
            }
            let owner = try parseName(generated.fields[0], file: file, line: line.line, origin: origin, what: "$GENERATE owner")
            try record(generated, from: 1, owner: owner, origin: origin, file: file)
            counter += range.step
        }
    }

    func parseRange(_ text: String) -> (start: Int, stop: Int, step: Int)? {
        var step = 1
        var body = Substring(text)
        if let slash = body.firstIndex(of: "/") {
            guard let value = Int(body[body.index(after: slash)...]), value > 0 else { return nil }
            step = value
            body = body[..<slash]
        }
        let parts = body.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int(parts[0]), let stop = Int(parts[1]),
            start >= 0, start <= stop, stop <= 0x7FFF_FFFF
        else { return nil }
        return (start, stop, step)
    }

    func substitute(_ template: String, value: Int, file: String, line: Int) throws(ZoneFileError) -> String {
        let bytes = Array(template.utf8)
        var output = ""
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "$") {
                output += "\\$"
                index += 2
                continue
            }
            guard byte == UInt8(ascii: "$") else {
                output.unicodeScalars.append(Unicode.Scalar(byte))
                index += 1
                continue
            }
            index += 1
            var offset = 0
            var width = 0
            var base = "d"
            if index < bytes.count, bytes[index] == UInt8(ascii: "{") {
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) else {
                    throw ZoneFileError(
                        file: file, line: line, token: template,
                        message: "$GENERATE template '\(template)' has '${' without a closing '}': write ${offset}, ${offset,width} or ${offset,width,base}")
                }
                let spec = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                let parts = spec.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard parts.count <= 3,
                    let parsedOffset = Int(parts[0]),
                    parts.count < 2 || Int(parts[1]) != nil,
                    parts.count < 3 || ["d", "o", "x", "X", "n", "N"].contains(parts[2])
                else {
                    throw ZoneFileError(
                        file: file, line: line, token: template,
                        message: "invalid $GENERATE modifier '${\(spec)}': expected ${offset}, ${offset,width} or ${offset,width,base} with base d, o, x, X, n or N")
                }
                offset = parsedOffset
                if parts.count >= 2 { width = Int(parts[1])! }
                if parts.count == 3 { base = parts[2] }
                index = close + 1
            }
            output += formatCounter(value + offset, width: width, base: base)
        }
        return output
    }

    func formatCounter(_ value: Int, width: Int, base: String) -> String {
        switch base {
        case "n", "N":
            // Nibbles, least significant first, separated by dots; width counts the digits
            // and dots, as BIND counts them.
            var digits = String(value, radix: 16)
            if base == "N" { digits = digits.uppercased() }
            var nibbles = Array(digits.reversed())
            while nibbles.count * 2 - 1 < width { nibbles.append("0") }
            return nibbles.map(String.init).joined(separator: ".")
        default:
            var text: String
            switch base {
            case "o": text = String(value, radix: 8)
            case "x": text = String(value, radix: 16)
            case "X": text = String(value, radix: 16).uppercased()
            default: text = String(value)
            }
            if text.count < width {
                text = String(repeating: "0", count: width - text.count) + text
            }
            return text
        }
    }
}
