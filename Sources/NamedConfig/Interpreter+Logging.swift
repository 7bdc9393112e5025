/// The `logging`, `controls` and `statistics-channels` statements.
extension Interpreter {
    mutating func interpretLogging(_ body: [ConfigStatement]) {
        for statement in body {
            switch statement.keyword {
            case "channel":
                guard let name = statement.values.dropFirst().first?.text, let clauses = blockBody(statement, leadingValues: 2) else {
                    continue
                }
                if let channel = logChannel(name: name, clauses: clauses, location: statement.location) {
                    configuration.logging.channels.append(channel)
                }
            case "category":
                guard let name = statement.values.dropFirst().first?.text, let clauses = blockBody(statement, leadingValues: 2) else {
                    continue
                }
                let channels = clauses.compactMap { $0.values.first?.text }
                configuration.logging.categories.append(LogCategory(name: name, channels: channels, location: statement.location))
            default:
                sink.error(
                    statement.location,
                    "unknown option '\(statement.keyword ?? "?")' in logging; logging contains only channel and category statements"
                )
            }
        }
        let defined = Set(configuration.logging.channels.map(\.name))
        let builtIn: Set<String> = ["default_syslog", "default_debug", "default_stderr", "default_logfile", "null"]
        for category in configuration.logging.categories {
            for channel in category.channels where !defined.contains(channel) && !builtIn.contains(channel) {
                sink.error(category.location, "category '\(category.name)': undefined channel '\(channel)'; define it with channel \(channel) { ... };")
            }
        }
    }

    private mutating func logChannel(name: String, clauses: [ConfigStatement], location: SourceLocation) -> LogChannel? {
        var channel = LogChannel(name: name, location: location)
        for clause in clauses {
            guard let option = clause.keyword else { continue }
            var destination: LogChannel.Destination?
            switch option {
            case "file":
                destination = logFile(clause)
            case "syslog":
                destination = .syslog(facility: clause.values.dropFirst().first?.text?.lowercased() ?? "daemon")
            case "stderr":
                destination = .stderr
            case "null":
                destination = .null
            case "severity":
                guard clause.values.count >= 2 else {
                    sink.error(clause.location, "'severity' is missing its value; write severity info;")
                    continue
                }
                let value = clause.values[1]
                if let severity = logSeverity(clause) { channel.severity = severity } else {
                    sink.error(
                        value.location,
                        "'\(value.display)' is not a valid severity; write critical, error, warning, notice, info, debug [LEVEL] or dynamic"
                    )
                }
            case "print-time":
                guard let value = singleArgument(clause) else { continue }
                let text = value.text?.lowercased() ?? ""
                if ["iso8601", "iso8601-utc", "local"].contains(text) {
                    channel.printTime = text
                } else if let enabled = boolean(value, for: option) {
                    channel.printTime = enabled ? "yes" : "no"
                }
            case "print-category":
                if let value = singleArgument(clause), let enabled = boolean(value, for: option) { channel.printCategory = enabled }
            case "print-severity":
                if let value = singleArgument(clause), let enabled = boolean(value, for: option) { channel.printSeverity = enabled }
            case "buffered":
                _ = singleArgument(clause).flatMap { boolean($0, for: option) }
            default:
                sink.error(clause.location, "unknown option '\(option)' in channel '\(name)'; see the channel grammar in named.conf(5)")
            }
            if let destination {
                if channel.destination != nil {
                    sink.error(clause.location, "channel '\(name)' has more than one destination; keep one of file, syslog, stderr or null")
                }
                channel.destination = destination
            }
        }
        if channel.destination == nil {
            sink.error(location, "channel '\(name)' has no destination; add file \"PATH\";, syslog;, stderr; or null;")
        }
        return channel
    }

    /// Parses `file "PATH" [versions N|unlimited] [size SIZE] [suffix increment|timestamp]`.
    private mutating func logFile(_ clause: ConfigStatement) -> LogChannel.Destination? {
        guard clause.values.count >= 2, let path = clause.values[1].text else {
            sink.error(clause.location, "'file' needs a path; write file \"PATH\";")
            return nil
        }
        var versions: Int?
        var bytes: Int?
        var index = 2
        while index + 1 < clause.values.count {
            let argument = clause.values[index + 1]
            switch clause.values[index].text?.lowercased() {
            case "versions":
                if argument.text?.lowercased() == "unlimited" {
                    versions = Int.max
                } else {
                    versions = integer(argument, for: "versions", range: 0...Int(Int32.max))
                }
            case "size":
                if case .some(let parsed) = size(argument, for: "size") { bytes = parsed }
            case "suffix":
                break
            default:
                sink.error(clause.values[index].location, "unexpected '\(clause.values[index].display)' in 'file'; expected versions, size or suffix")
            }
            index += 2
        }
        if index < clause.values.count {
            sink.error(clause.values[index].location, "'\(clause.values[index].display)' in 'file' is missing its value")
        }
        return .file(path: path, versions: versions, size: bytes)
    }

    private func logSeverity(_ clause: ConfigStatement) -> LogChannel.Severity? {
        let words = clause.values.dropFirst().compactMap { $0.text?.lowercased() }
        switch words.first {
        case "critical": return .critical
        case "error": return .error
        case "warning": return .warning
        case "notice": return .notice
        case "info": return .info
        case "dynamic": return .dynamic
        case "debug":
            if words.count == 1 { return .debug(level: 1) }
            return Int(words[1]).map { LogChannel.Severity.debug(level: $0) }
        default: return nil
        }
    }

    // MARK: controls

    mutating func interpretControls(_ body: [ConfigStatement]) {
        var channels = configuration.controls ?? []
        for statement in body {
            switch statement.keyword {
            case "inet":
                guard let (address, portNumber, options) = inetHead(statement, defaultPort: 953) else { continue }
                var control = InetControl(address: address, port: portNumber, allow: .noAddresses, keys: nil, readOnly: false)
                var sawAllow = false
                for (word, value) in options {
                    switch word {
                    case "allow":
                        sawAllow = true
                        if let list = addressMatchList(value, for: "controls allow") { control.allow = list }
                    case "keys":
                        control.keys = keyList(value)
                    case "read-only":
                        control.readOnly = boolean(value, for: "read-only") ?? false
                    default:
                        sink.error(value.location, "unexpected '\(word)' in controls inet; expected allow, keys or read-only")
                    }
                }
                if !sawAllow {
                    sink.error(statement.location, "controls inet is missing 'allow'; add allow { 127.0.0.1; }")
                }
                channels.append(.inet(control))
            case "unix":
                guard statement.values.count >= 2, let path = statement.values[1].text else {
                    sink.error(statement.location, "controls unix needs a socket path; write unix \"PATH\" perm 0600 owner 0 group 0;")
                    continue
                }
                var control = UnixControl(path: path, permissions: -1, owner: -1, group: -1, keys: nil, readOnly: false)
                for (word, value) in pairs(statement, from: 2) {
                    switch word {
                    case "perm": control.permissions = integer(value, for: "perm", range: 0...0o7777) ?? -1
                    case "owner": control.owner = integer(value, for: "owner", range: 0...Int(UInt32.max)) ?? -1
                    case "group": control.group = integer(value, for: "group", range: 0...Int(UInt32.max)) ?? -1
                    case "keys": control.keys = keyList(value)
                    case "read-only": control.readOnly = boolean(value, for: "read-only") ?? false
                    default: sink.error(value.location, "unexpected '\(word)' in controls unix; expected perm, owner, group, keys or read-only")
                    }
                }
                if control.permissions < 0 || control.owner < 0 || control.group < 0 {
                    sink.error(statement.location, "controls unix \"\(path)\" needs perm, owner and group; write perm 0600 owner 0 group 0")
                }
                channels.append(.unix(control))
            default:
                sink.error(statement.location, "unknown option '\(statement.keyword ?? "?")' in controls; expected inet or unix")
            }
        }
        configuration.controls = channels
    }

    mutating func interpretStatisticsChannels(_ body: [ConfigStatement]) {
        for statement in body {
            guard statement.keyword == "inet" else {
                sink.error(statement.location, "unknown option '\(statement.keyword ?? "?")' in statistics-channels; expected inet")
                continue
            }
            guard let (address, portNumber, options) = inetHead(statement, defaultPort: 80) else { continue }
            var channel = StatisticsChannel(address: address, port: portNumber, allow: nil)
            for (word, value) in options {
                if word == "allow" {
                    channel.allow = addressMatchList(value, for: "statistics-channels allow")
                } else {
                    sink.error(value.location, "unexpected '\(word)' in statistics-channels inet; expected port or allow")
                }
            }
            configuration.statisticsChannels.append(channel)
        }
    }

    /// Parses `inet (ADDRESS | *) [port (N | *)]` and returns the remaining keyword/value pairs.
    private mutating func inetHead(_ statement: ConfigStatement, defaultPort: UInt16) -> (IPAddress?, UInt16, [(String, ConfigValue)])? {
        guard statement.values.count >= 2, let addressText = statement.values[1].text else {
            sink.error(statement.location, "'inet' needs an address or *; write inet 127.0.0.1 port \(defaultPort) allow { localhost; };")
            return nil
        }
        var address: IPAddress?
        if addressText != "*" {
            guard let parsed = self.address(statement.values[1], for: "inet") else { return nil }
            address = parsed
        }
        var portNumber = defaultPort
        var rest: [(String, ConfigValue)] = []
        for (word, value) in pairs(statement, from: 2) {
            if word == "port" {
                if value.text != "*", let parsed = port(value, for: "inet") { portNumber = parsed }
            } else {
                rest.append((word, value))
            }
        }
        return (address, portNumber, rest)
    }

    /// Splits the values from `start` on into keyword/value pairs.
    private mutating func pairs(_ statement: ConfigStatement, from start: Int) -> [(String, ConfigValue)] {
        var result: [(String, ConfigValue)] = []
        var index = start
        while index < statement.values.count {
            let word = statement.values[index]
            guard index + 1 < statement.values.count, let text = word.text else {
                sink.error(word.location, "'\(word.display)' is missing its value")
                break
            }
            result.append((text.lowercased(), statement.values[index + 1]))
            index += 2
        }
        return result
    }

    private mutating func keyList(_ value: ConfigValue) -> [String]? {
        guard let statements = value.block else {
            sink.error(value.location, "'keys' expects a list in braces; write keys { \"rndc-key\"; }")
            return nil
        }
        var names: [String] = []
        for statement in statements {
            guard let name = statement.values.first?.text else { continue }
            if keyNames[name.lowercased()] == nil {
                sink.error(statement.location, "key '\(name)' is not defined; define it with key \"\(name)\" { ... }; or include rndc.key")
            }
            names.append(name.lowercased())
        }
        return names
    }
}
