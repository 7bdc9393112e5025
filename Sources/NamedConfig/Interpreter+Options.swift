/// The `options`, `zone` and `view` statements.
extension Interpreter {
    /// Settings that `options`, `view` and `zone` share. nil means the level does not set it.
    struct SharedSettings {
        var allowQuery: AddressMatchList?
        var allowTransfer: AddressMatchList?
        var allowUpdate: AddressMatchList?
        var notify: NotifyMode?
        var alsoNotify: [RemoteServer]?
        var recursion: Bool?
    }

    /// Interprets an option that options, view and zone share. Returns false when `statement`
    /// is not one of them.
    mutating func interpretShared(_ statement: ConfigStatement, into settings: inout SharedSettings) -> Bool {
        guard let name = statement.keyword else { return false }
        switch name {
        case "allow-query", "allow-transfer", "allow-update":
            // allow-transfer may carry `port N` and `transport NAME` before the list in 9.18.
            guard let list = statement.values.last, statement.values.count >= 2 else {
                sink.error(statement.location, "'\(name)' is missing its address match list; write \(name) { ADDRESS; };")
                return true
            }
            if statement.values.count > 2 {
                sink.warning(statement.values[1].location, "'\(name)' port and transport qualifiers are ignored by swift-named")
            }
            let parsed = addressMatchList(list, for: name)
            if name == "allow-query" { settings.allowQuery = parsed }
            if name == "allow-transfer" { settings.allowTransfer = parsed }
            if name == "allow-update" {
                settings.allowUpdate = parsed
                let onlyNone = parsed.map { list in
                    list.elements.count == 1 && !list.elements[0].negated
                        && { if case .noAddress = list.elements[0].kind { return true } else { return false } }()
                } ?? true
                if !onlyNone {
                    sink.warning(statement.location,
                                 "'allow-update' is ignored: swift-named does not accept dynamic updates, so UPDATE messages get REFUSED")
                }
            }
        case "notify":
            guard let value = singleArgument(statement) else { return true }
            switch value.text?.lowercased() {
            case "yes", "true", "1": settings.notify = .yes
            case "no", "false", "0": settings.notify = .no
            case "explicit": settings.notify = .explicit
            case "master-only", "primary-only": settings.notify = .primaryOnly
            default:
                sink.error(value.location, "'\(value.display)' is not a valid value for 'notify'; write yes, no, explicit or primary-only")
            }
        case "also-notify":
            settings.alsoNotify = remoteServers(statement, for: "also-notify")
        case "recursion":
            guard let value = singleArgument(statement), let enabled = boolean(value, for: name) else { return true }
            settings.recursion = enabled
            if enabled {
                sink.warning(statement.location, "'recursion yes' is ignored: swift-named is authoritative-only and never recurses")
            }
        default:
            return false
        }
        return true
    }

    mutating func interpretOptions(_ body: [ConfigStatement]) {
        var shared = SharedSettings()
        var listenOn: [ListenOn] = []
        var listenOnV6: [ListenOn] = []
        var options = configuration.options
        var checkNamesSeen: Set<String> = []
        for statement in body {
            if interpretShared(statement, into: &shared) { continue }
            guard let name = statement.keyword else {
                sink.error(statement.location, "unexpected '\(statement.values.first?.display ?? ";")' in options; expected an option name")
                continue
            }
            switch name {
            case "directory":
                if let value = singleArgument(statement), let text = string(value, for: name) { options.directory = text }
            case "listen-on", "listen-on-v6":
                guard let clause = listenClause(statement) else { continue }
                if name == "listen-on" { listenOn.append(clause) } else { listenOnV6.append(clause) }
            case "pid-file", "statistics-file", "dump-file", "memstatistics-file", "session-keyfile":
                guard let value = singleArgument(statement) else { continue }
                // `none` disables the file, so it stays nil, except for pid-file, whose nil means
                // "BIND's default path": there `none` is kept as the word itself.
                let path = value.text.flatMap { value.kind.isWord && $0.lowercased() == "none" ? nil : $0 }
                switch name {
                case "pid-file": options.pidFile = path ?? "none"
                case "statistics-file": options.statisticsFile = path
                case "dump-file": options.dumpFile = path
                case "memstatistics-file": options.memstatisticsFile = path
                default: options.sessionKeyfile = path
                }
                if name != "pid-file" && name != "statistics-file" {
                    sink.warning(statement.location, "option '\(name)' is ignored: swift-named does not write this file")
                }
            case "minimal-responses":
                guard let value = singleArgument(statement) else { continue }
                switch value.text?.lowercased() {
                case "yes", "true", "1": options.minimalResponses = .yes
                case "no", "false", "0": options.minimalResponses = .no
                case "no-auth": options.minimalResponses = .noAuth
                case "no-auth-recursive": options.minimalResponses = .noAuthRecursive
                default:
                    sink.error(
                        value.location,
                        "'\(value.display)' is not a valid value for 'minimal-responses'; write yes, no, no-auth or no-auth-recursive"
                    )
                }
            case "version", "hostname", "server-id":
                guard let value = singleArgument(statement), let setting = identity(value, for: name) else { continue }
                if name == "version" { options.version = setting }
                if name == "hostname" { options.hostname = setting }
                if name == "server-id" { options.serverID = setting }
            case "edns-udp-size", "max-udp-size":
                guard let value = singleArgument(statement), var bytes = integer(value, for: name, range: 0...65535) else { continue }
                // BIND 9.18 accepts any number here and clamps it at startup, and so does swift-named.
                if bytes < 512 || bytes > 4096 {
                    let clamped = min(max(bytes, 512), 4096)
                    sink.warning(value.location, "'\(name) \(bytes)' is outside 512 to 4096 bytes; using \(clamped)")
                    bytes = clamped
                }
                if name == "edns-udp-size" { options.ednsUDPSize = bytes } else { options.maxUDPSize = bytes }
            case "answer-cookie", "require-server-cookie", "cookie-algorithm", "cookie-secret", "nocookie-udp-size":
                interpretCookieOption(statement, into: &options)
            case "check-names":
                interpretCheckNames(statement, into: &options, seen: &checkNamesSeen)
            case "tcp-clients":
                guard let value = singleArgument(statement), let count = integer(value, for: name, range: 1...Int(UInt32.max)) else { continue }
                options.tcpClients = count
            default:
                reportUnimplemented(statement, known: KnownOptions.isKnownOption(name) || KnownOptions.removed.contains(name))
            }
        }
        if !listenOn.isEmpty { options.listenOn = listenOn }
        if !listenOnV6.isEmpty { options.listenOnV6 = listenOnV6 }
        options.allowQuery = shared.allowQuery
        options.allowTransfer = shared.allowTransfer
        if let notify = shared.notify { options.notify = notify }
        if let alsoNotify = shared.alsoNotify { options.alsoNotify = alsoNotify }
        if let recursion = shared.recursion { options.recursion = recursion }
        configuration.options = options
    }

    /// Parses `listen-on [port N] [tls NAME] [http NAME] { aml };`.
    private mutating func listenClause(_ statement: ConfigStatement) -> ListenOn? {
        let name = statement.keyword ?? "listen-on"
        var portNumber: UInt16 = 53
        var index = 1
        while index + 1 < statement.values.count {
            let word = statement.values[index].text?.lowercased()
            let argument = statement.values[index + 1]
            switch word {
            case "port":
                guard let parsed = port(argument, for: name) else { return nil }
                portNumber = parsed
            case "tls", "http":
                sink.warning(argument.location, "'\(word!)' in '\(name)' is ignored: swift-named serves plain DNS only")
            default:
                sink.error(statement.values[index].location, "unexpected '\(statement.values[index].display)' in '\(name)'; write \(name) [port N] { ADDRESS; };")
                return nil
            }
            index += 2
        }
        guard index == statement.values.count - 1, let list = addressMatchList(statement.values[index], for: name) else {
            if index != statement.values.count - 1 {
                sink.error(statement.location, "'\(name)' is missing its address match list; write \(name) port 53 { any; };")
            }
            return nil
        }
        return ListenOn(port: portNumber, addresses: list)
    }

    private mutating func identity(_ value: ConfigValue, for option: String) -> IdentitySetting? {
        guard let text = value.text else {
            sink.error(value.location, "'\(option)' expects a quoted string or none")
            return nil
        }
        if value.kind.isWord {
            if text.lowercased() == "none" { return .hidden }
            if option == "server-id" && text.lowercased() == "hostname" { return .systemHostname }
        }
        return .text(text)
    }

    // MARK: zone

    mutating func interpretZone(_ statement: ConfigStatement, view: String?) {
        let values = statement.values
        guard values.count >= 3, let name = values[1].text else {
            sink.error(statement.location, "malformed zone; write zone \"NAME\" [IN] { type primary; file \"FILE\"; };")
            return
        }
        var dnsClass = "IN"
        var leading = 2
        if values.count >= 4, values[2].block == nil, let classText = values[2].text {
            leading = 3
            switch classText.uppercased() {
            case "IN", "CH", "HS": dnsClass = classText.uppercased()
            case "CHAOS": dnsClass = "CH"
            case "HESIOD": dnsClass = "HS"
            default:
                sink.error(values[2].location, "zone '\(name)': '\(classText)' is not a valid class; write IN, CH or HS")
                return
            }
        }
        guard let body = blockBody(statement, leadingValues: leading) else { return }

        let errorsBefore = sink.diagnostics.count { $0.severity == .error }
        var shared = SharedSettings()
        var type: ZoneType?
        var sawType = false
        var file: String?
        var primaries: [RemoteServer]?
        var checkNames: CheckNamesMode?
        for clause in body {
            if interpretShared(clause, into: &shared) { continue }
            guard let option = clause.keyword else {
                sink.error(clause.location, "unexpected '\(clause.values.first?.display ?? ";")' in zone '\(name)'; expected an option name")
                continue
            }
            switch option {
            case "type":
                sawType = true
                guard let value = singleArgument(clause) else { continue }
                type = zoneType(value, zone: name)
            case "file":
                if let value = singleArgument(clause) { file = string(value, for: "file") }
            case "primaries", "masters":
                primaries = remoteServers(clause, for: option)
            case "check-names":
                checkNames = zoneCheckNames(clause, zone: name)
            default:
                reportUnimplemented(clause, known: KnownOptions.isKnownZoneOption(option) || KnownOptions.removed.contains(option))
            }
        }

        guard let type else {
            if !sawType {
                sink.error(statement.location, "zone '\(name)': type not present; add type primary; (or secondary, hint, ...)")
            }
            return
        }
        // An invalid clause above may be a misspelled 'file' or 'primaries', so report only that one.
        let bodyHadErrors = sink.diagnostics.count { $0.severity == .error } > errorsBefore
        if !bodyHadErrors {
            checkZoneRequirements(name: name, type: type, file: file, primaries: primaries, location: statement.location)
        }
        let key = "\(view ?? "")/\(dnsClass)/\(Self.canonicalZoneKey(name))"
        if let previous = zoneLocations[key] {
            sink.error(statement.location, "zone '\(name)': already exists, previous definition at \(previous); remove one of them")
            return
        }
        zoneLocations[key] = statement.location

        var zone = ZoneConfiguration(name: name, dnsClass: dnsClass, type: type, location: statement.location)
        zone.file = file
        zone.allowQuery = shared.allowQuery
        zone.allowTransfer = shared.allowTransfer
        zone.allowUpdate = shared.allowUpdate
        zone.notify = shared.notify
        zone.alsoNotify = shared.alsoNotify
        zone.primaries = primaries ?? []
        zone.view = view
        zone.checkNames = checkNames
        configuration.zones.append(zone)
    }

    static func canonicalZoneKey(_ name: String) -> String {
        var lowered = name.lowercased()
        if lowered.count > 1 && lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }

    private mutating func zoneType(_ value: ConfigValue, zone: String) -> ZoneType? {
        switch value.text?.lowercased() {
        case "primary", "master": return .primary
        case "secondary", "slave": return .secondary
        case "mirror": return .mirror
        case "hint": return .hint
        case "stub": return .stub
        case "static-stub": return .staticStub
        case "forward": return .forward
        case "redirect": return .redirect
        case "delegation-only": return .delegationOnly
        case "in-view": return .inView
        default:
            sink.error(value.location, "zone '\(zone)': '\(value.display)' is not a valid zone type; write primary or secondary")
            return nil
        }
    }

    private mutating func checkZoneRequirements(
        name: String, type: ZoneType, file: String?, primaries: [RemoteServer]?, location: SourceLocation
    ) {
        switch type {
        case .primary:
            if file == nil {
                sink.error(location, "zone '\(name)': missing 'file' entry; add file \"\(name).zone\"; (the zone file, relative to 'directory')")
            }
        case .secondary, .mirror, .stub:
            if primaries == nil && !(type == .mirror && name == ".") {
                sink.error(location, "zone '\(name)': missing 'primaries' entry; add primaries { ADDRESS; }; naming the primary server")
            }
            // TODO: zone transfers in (secondary, mirror and stub zones) are not implemented.
            sink.warning(location, "zone '\(name)': type \(type.rawValue) is not supported yet: the zone is not served")
        case .hint:
            sink.warning(location, "zone '\(name)': type hint is ignored: swift-named is authoritative-only and does not use root hints")
        default:
            sink.warning(location, "zone '\(name)': type \(type.rawValue) is ignored: swift-named serves only primary zones")
        }
    }

    // MARK: view

    mutating func interpretView(_ statement: ConfigStatement) {
        let values = statement.values
        guard values.count >= 3, let name = values[1].text else {
            sink.error(statement.location, "malformed view; write view \"NAME\" { match-clients { ... }; zone ...; };")
            return
        }
        let leading = values.count >= 4 && values[2].block == nil ? 3 : 2
        guard let body = blockBody(statement, leadingValues: leading) else { return }
        if configuration.views.contains(where: { $0.name == name }) {
            sink.error(statement.location, "view '\(name)' is already defined; rename or remove one")
            return
        }
        var view = ViewConfiguration(name: name, dnsClass: leading == 3 ? (values[2].text ?? "IN").uppercased() : "IN", location: statement.location)
        var shared = SharedSettings()
        for clause in body {
            if interpretShared(clause, into: &shared) { continue }
            guard let option = clause.keyword else {
                sink.error(clause.location, "unexpected '\(clause.values.first?.display ?? ";")' in view '\(name)'; expected an option name")
                continue
            }
            switch option {
            case "match-clients", "match-destinations":
                guard let value = singleArgument(clause), let list = addressMatchList(value, for: option) else { continue }
                if option == "match-clients" { view.matchClients = list } else { view.matchDestinations = list }
            case "zone":
                interpretZone(clause, view: name)
            case "key":
                interpretKey(clause)
            default:
                reportUnimplemented(clause, known: KnownOptions.view.contains(option) || KnownOptions.removed.contains(option))
            }
        }
        view.allowQuery = shared.allowQuery
        view.allowTransfer = shared.allowTransfer
        view.recursion = shared.recursion
        view.notify = shared.notify
        configuration.views.append(view)
    }
}

extension ConfigValue.Kind {
    var isWord: Bool {
        if case .word = self { return true }
        return false
    }
}
