/// The DNS COOKIE options and `check-names`.
extension Interpreter {
    /// Interprets `answer-cookie`, `require-server-cookie`, `cookie-algorithm`, `cookie-secret`
    /// and `nocookie-udp-size` in `options`.
    mutating func interpretCookieOption(_ statement: ConfigStatement, into options: inout ServerOptions) {
        guard let name = statement.keyword, let value = singleArgument(statement) else { return }
        switch name {
        case "answer-cookie":
            if let enabled = boolean(value, for: name) { options.answerCookie = enabled }
        case "require-server-cookie":
            if let enabled = boolean(value, for: name) { options.requireServerCookie = enabled }
        case "nocookie-udp-size":
            // BIND 9.18 accepts any 32-bit number here; a UDP response is never above 65535 bytes.
            if let bytes = integer(value, for: name, range: 0...Int(UInt32.max)) { options.noCookieUDPSize = min(65535, max(128, bytes)) }
        case "cookie-algorithm":
            switch value.text?.lowercased() {
            case "siphash24":
                options.cookieAlgorithm = .siphash24
            case "aes":
                options.cookieAlgorithm = .aes
                sink.warning(value.location, "cookie-algorithm 'aes' is deprecated; swift-named makes siphash24 cookies instead, so write siphash24")
            default:
                sink.error(value.location, "'\(value.display)' is not a valid value for 'cookie-algorithm'; write siphash24")
            }
        default:
            guard let text = string(value, for: name) else { return }
            guard let bytes = Self.hexBytes(text) else {
                sink.error(value.location, "cookie-secret: invalid hex string '\(text)'; write 32 hex digits")
                return
            }
            guard bytes.count == 16 else {
                sink.error(value.location, "cookie-secret must be 128 bits, not \(bytes.count * 8); write 32 hex digits")
                return
            }
            options.cookieSecrets.append(bytes)
        }
    }

    /// Reads an even number of hex digits. Returns nil when `text` is empty or contains anything else.
    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Interprets `check-names ( primary | master | secondary | slave | response ) MODE;` in
    /// `options`. `seen` collects the zone types already set, to reject `primary` next to
    /// `master` as BIND does.
    mutating func interpretCheckNames(_ statement: ConfigStatement, into options: inout ServerOptions, seen: inout Set<String>) {
        guard statement.values.count == 3, let kind = statement.values[1].text?.lowercased(),
            let modeValue = statement.values.last
        else {
            sink.error(statement.location, "'check-names' in options needs a zone type and a mode; write check-names primary fail;")
            return
        }
        let type: String
        switch kind {
        case "primary", "master": type = "primary"
        case "secondary", "slave": type = "secondary"
        case "response": type = "response"
        default:
            sink.error(statement.values[1].location,
                       "'\(statement.values[1].display)' is not a valid zone type for 'check-names'; write primary, secondary or response")
            return
        }
        guard let mode = checkNamesMode(modeValue) else { return }
        if seen.contains(type) {
            let pair: String
            switch type {
            case "primary": pair = "both 'primary' and 'master'"
            case "secondary": pair = "both 'secondary' and 'slave'"
            default: pair = "'response' twice"
            }
            sink.error(statement.location, "'check-names' cannot take \(pair); remove one of them")
            return
        }
        seen.insert(type)
        switch type {
        case "primary": options.checkNamesPrimary = mode
        case "secondary": options.checkNamesSecondary = mode
        default: options.checkNamesResponse = mode
        }
    }

    /// Interprets `check-names MODE;` in a zone.
    mutating func zoneCheckNames(_ statement: ConfigStatement, zone: String) -> CheckNamesMode? {
        guard statement.values.count == 2 else {
            sink.error(statement.location, "zone '\(zone)': 'check-names' takes only a mode here; write check-names fail; (or warn, ignore)")
            return nil
        }
        return checkNamesMode(statement.values[1])
    }

    private mutating func checkNamesMode(_ value: ConfigValue) -> CheckNamesMode? {
        guard let mode = value.text.flatMap({ CheckNamesMode(rawValue: $0.lowercased()) }) else {
            sink.error(value.location, "'\(value.display)' is not a valid mode for 'check-names'; write fail, warn or ignore")
            return nil
        }
        return mode
    }
}
