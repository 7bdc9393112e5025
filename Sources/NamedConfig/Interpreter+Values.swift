/// Parsers for the scalar values, address match lists and server lists of named.conf.
extension Interpreter {
    /// Reads the single argument of `NAME VALUE;` and reports a missing or extra value.
    mutating func singleArgument(_ statement: ConfigStatement) -> ConfigValue? {
        let name = statement.keyword ?? "?"
        guard statement.values.count >= 2 else {
            sink.error(statement.location, "'\(name)' is missing its value; write \(name) VALUE;")
            return nil
        }
        if statement.values.count > 2 {
            let extra = statement.values[2]
            sink.error(extra.location, "unexpected '\(extra.display)' after '\(name)'; check for a missing ';' before it")
        }
        return statement.values[1]
    }

    mutating func string(_ value: ConfigValue, for option: String) -> String? {
        guard let text = value.text else {
            sink.error(value.location, "'\(option)' expects a string, not a block; write \(option) \"VALUE\";")
            return nil
        }
        return text
    }

    mutating func boolean(_ value: ConfigValue, for option: String) -> Bool? {
        switch value.text?.lowercased() {
        case "yes", "true", "1": return true
        case "no", "false", "0": return false
        default:
            sink.error(value.location, "'\(value.display)' is not a valid boolean for '\(option)'; write yes or no")
            return nil
        }
    }

    mutating func integer(_ value: ConfigValue, for option: String, range: ClosedRange<Int>) -> Int? {
        guard let text = value.text, let number = Self.parseInteger(text), range.contains(number) else {
            sink.error(
                value.location,
                "'\(value.display)' is not a valid number for '\(option)'; write a whole number from \(range.lowerBound) to \(range.upperBound)"
            )
            return nil
        }
        return number
    }

    /// Parses decimal digits. A leading 0 makes the number octal, as in `perm 0600`.
    static func parseInteger(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        if text.count > 1 && text.hasPrefix("0") { return Int(text.dropFirst(), radix: 8) }
        return Int(text)
    }

    mutating func port(_ value: ConfigValue, for option: String) -> UInt16? {
        guard let number = integer(value, for: "\(option) port", range: 0...65535) else { return nil }
        return UInt16(number)
    }

    /// Parses a size such as `1048576`, `10k`, `20m` or `1g` into bytes. `unlimited` and
    /// `default` return nil.
    mutating func size(_ value: ConfigValue, for option: String) -> Int?? {
        guard let text = value.text?.lowercased() else {
            sink.error(value.location, "'\(option)' expects a size such as 10m; write \(option) 10m;")
            return .none
        }
        if text == "unlimited" || text == "default" { return .some(nil) }
        var digits = Substring(text)
        var multiplier = 1
        switch text.last {
        case "k": multiplier = 1 << 10
        case "m": multiplier = 1 << 20
        case "g": multiplier = 1 << 30
        default: break
        }
        if multiplier != 1 { digits = digits.dropLast() }
        guard let number = Int(digits), number >= 0, number <= Int.max / multiplier else {
            sink.error(
                value.location,
                "'\(value.display)' is not a valid size for '\(option)'; write a number of bytes with an optional k, m or g suffix, or unlimited"
            )
            return .none
        }
        return .some(number * multiplier)
    }

    // MARK: Address match lists

    /// Parses `{ element; ... }` given as the block value `value`.
    mutating func addressMatchList(_ value: ConfigValue, for option: String) -> AddressMatchList? {
        guard let statements = value.block else {
            sink.error(
                value.location,
                "'\(option)' expects an address match list in braces, not '\(value.display)'; write \(option) { ADDRESS; };"
            )
            return nil
        }
        return addressMatchList(statements, for: option)
    }

    mutating func addressMatchList(_ statements: [ConfigStatement], for option: String) -> AddressMatchList? {
        var elements: [AddressMatchElement] = []
        var valid = true
        for statement in statements {
            if let element = addressMatchElement(statement, for: option) {
                elements.append(element)
            } else {
                valid = false
            }
        }
        return valid ? AddressMatchList(elements) : nil
    }

    private mutating func addressMatchElement(_ statement: ConfigStatement, for option: String) -> AddressMatchElement? {
        var values = statement.values[...]
        var negated = false
        if case .negation = values.first?.kind {
            negated = true
            values = values.dropFirst()
        }
        guard let first = values.first else {
            sink.error(statement.location, "'!' in '\(option)' must be followed by an element; write !ADDRESS;")
            return nil
        }
        let consumed: Int
        let kind: AddressMatchElement.Kind
        if let block = first.block {
            guard let nested = addressMatchList(block, for: option) else { return nil }
            kind = .nested(nested)
            consumed = 1
        } else if case .word(let word) = first.kind, word.lowercased() == "key" {
            guard values.count >= 2, let name = values[values.startIndex + 1].text else {
                sink.error(first.location, "'key' in '\(option)' must be followed by a key name; write key \"NAME\";")
                return nil
            }
            if keyNames[name.lowercased()] == nil {
                sink.error(first.location, "key '\(name)' in '\(option)' is not defined; define it with key \"\(name)\" { algorithm ...; secret ...; };")
                return nil
            }
            kind = .key(name.lowercased())
            consumed = 2
        } else {
            guard let parsed = addressMatchTerm(first, for: option) else { return nil }
            kind = parsed
            consumed = 1
        }
        if values.count > consumed {
            let extra = values[values.startIndex + consumed]
            sink.error(extra.location, "unexpected '\(extra.display)' in '\(option)'; separate address match list elements with ';'")
            return nil
        }
        return AddressMatchElement(kind, negated: negated)
    }

    private mutating func addressMatchTerm(_ value: ConfigValue, for option: String) -> AddressMatchElement.Kind? {
        let text = value.text ?? ""
        if case .word = value.kind {
            switch text.lowercased() {
            case "any": return .anyAddress
            case "none": return .noAddress
            case "localhost": return .localhost
            case "localnets": return .localnets
            default: break
            }
        }
        let looksLikeAddress = text.first?.isNumber == true || text.contains(":")
        if looksLikeAddress {
            guard let prefix = prefix(value, for: option) else { return nil }
            return .prefix(prefix)
        }
        guard let list = resolveACL(text, at: value.location) else { return nil }
        return .acl(name: text, list: list)
    }

    mutating func prefix(_ value: ConfigValue, for option: String) -> IPPrefix? {
        let text = value.text ?? value.display
        switch IPPrefix.parse(text) {
        case .success(let prefix):
            return prefix
        case .failure(.hostBitsSet(let network)):
            sink.error(
                value.location,
                "'\(text)' in '\(option)' has address bits set past the /\(network.length) prefix length; write \(network.address)/\(network.length)"
            )
        case .failure(.badLength):
            sink.error(value.location, "'\(text)' in '\(option)' has an invalid prefix length; use /0 to /32 for IPv4 or /0 to /128 for IPv6")
        case .failure(.badAddress):
            sink.error(
                value.location,
                "'\(text)' in '\(option)' is not a valid IP address or prefix; write an address such as 192.0.2.1 or 2001:db8::1, or a prefix such as 10.0.0.0/8"
            )
        }
        return nil
    }

    mutating func address(_ value: ConfigValue, for option: String) -> IPAddress? {
        guard let text = value.text, let address = IPAddress(text) else {
            sink.error(
                value.location,
                "'\(value.display)' in '\(option)' is not a valid IP address; write an address such as 192.0.2.1 or 2001:db8::1"
            )
            return nil
        }
        return address
    }

    /// Returns the list of the named acl, interpreting it on first use. acl statements may
    /// appear after the lists that refer to them, as in BIND.
    mutating func resolveACL(_ name: String, at location: SourceLocation) -> AddressMatchList? {
        if let list = resolvedACLs[name] { return list }
        guard let definition = aclDefinitions[name] else {
            sink.error(location, "undefined acl '\(name)'; define it with acl \"\(name)\" { ... }; or correct the name")
            return nil
        }
        if aclsBeingResolved.contains(name) {
            sink.error(location, "acl '\(name)' refers to itself through its own elements; remove the loop")
            return nil
        }
        aclsBeingResolved.insert(name)
        defer { aclsBeingResolved.remove(name) }
        guard let list = addressMatchList(definition.values[2], for: "acl \(name)") else { return nil }
        resolvedACLs[name] = list
        return list
    }

    // MARK: Server lists

    /// Parses `[port N] { (LIST | ADDRESS [port N]) [key NAME] [tls NAME]; ... }`, the
    /// arguments of `also-notify` and `primaries`, starting after the option name.
    mutating func remoteServers(_ statement: ConfigStatement, for option: String) -> [RemoteServer]? {
        var values = statement.values.dropFirst()
        var defaultPort: UInt16?
        if let first = values.first, first.text?.lowercased() == "port" {
            guard values.count >= 2 else {
                sink.error(first.location, "'port' in '\(option)' is missing its number; write port 53")
                return nil
            }
            defaultPort = port(values[values.startIndex + 1], for: option)
            values = values.dropFirst(2)
        }
        guard let block = values.first, let statements = block.block, values.count == 1 else {
            sink.error(statement.location, "'\(option)' expects a server list in braces; write \(option) { 192.0.2.1; };")
            return nil
        }
        var servers: [RemoteServer] = []
        for element in statements {
            guard let parsed = remoteServerElement(element, defaultPort: defaultPort, for: option, depth: 0) else { return nil }
            servers += parsed
        }
        return servers
    }

    private mutating func remoteServerElement(
        _ statement: ConfigStatement, defaultPort: UInt16?, for option: String, depth: Int
    ) -> [RemoteServer]? {
        let values = statement.values
        guard let first = values.first, let text = first.text else {
            sink.error(statement.location, "'\(option)' expects an address or a server list name here")
            return nil
        }
        var index = 1
        var elementPort = defaultPort
        var keyName: String?
        while index < values.count {
            let word = values[index].text?.lowercased()
            guard index + 1 < values.count, word == "port" || word == "key" || word == "tls" else {
                sink.error(values[index].location, "unexpected '\(values[index].display)' in '\(option)'; expected port, key or tls")
                return nil
            }
            let argument = values[index + 1]
            if word == "port" {
                guard let number = port(argument, for: option) else { return nil }
                elementPort = number
            } else if word == "key" {
                keyName = argument.text?.lowercased()
            } else {
                sink.warning(argument.location, "'tls' in '\(option)' is ignored: swift-named does not implement zone transfer over TLS")
            }
            index += 2
        }
        if let address = IPAddress(text) {
            return [RemoteServer(address: address, port: elementPort, keyName: keyName)]
        }
        if text.first?.isNumber == true || text.contains(":") {
            _ = self.address(first, for: option)
            return nil
        }
        guard let definition = primaryListDefinitions[text], depth < 16 else {
            sink.error(
                first.location,
                "undefined server list '\(text)' in '\(option)'; define it with primaries \"\(text)\" { ADDRESS; }; or write an address"
            )
            return nil
        }
        var servers: [RemoteServer] = []
        for element in definition.statements {
            guard var parsed = remoteServerElement(element, defaultPort: definition.port, for: option, depth: depth + 1) else {
                return nil
            }
            for position in parsed.indices {
                if parsed[position].port == nil { parsed[position].port = elementPort }
                if parsed[position].keyName == nil { parsed[position].keyName = keyName }
            }
            servers += parsed
        }
        return servers
    }
}
