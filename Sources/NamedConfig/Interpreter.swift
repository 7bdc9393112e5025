/// Turns the generic statement tree into a `NamedConfiguration`, reporting what is invalid,
/// unknown or ignored.
struct Interpreter {
    var sink = DiagnosticSink()
    var configuration = NamedConfiguration()

    var aclDefinitions: [String: ConfigStatement] = [:]
    var resolvedACLs: [String: AddressMatchList] = [:]
    var aclsBeingResolved: Set<String> = []
    var primaryListDefinitions: [String: (port: UInt16?, statements: [ConfigStatement])] = [:]
    /// Every key name (lower-cased) defined at top level or in a view, for `key` references.
    var keyNames: [String: SourceLocation] = [:]
    /// Zones seen so far, keyed by view, class and lower-cased name, for duplicate detection.
    var zoneLocations: [String: SourceLocation] = [:]

    static let builtInACLs: Set<String> = ["any", "none", "localhost", "localnets"]

    init(workingDirectory: String) {
        configuration.options.directory = workingDirectory
    }

    mutating func interpret(_ statements: [ConfigStatement]) -> NamedConfiguration {
        collectDefinitions(statements)
        var sawOptions: SourceLocation?
        var sawLogging: SourceLocation?
        for statement in statements {
            guard let keyword = statement.keyword else {
                let first = statement.values.first
                sink.error(statement.location, "unexpected '\(first?.display ?? ";")': a statement must start with a keyword such as options or zone")
                continue
            }
            switch keyword {
            case "options":
                if let previous = sawOptions {
                    sink.error(statement.location, "'options' redefined; merge it into the options statement at \(previous)")
                    continue
                }
                sawOptions = statement.location
                if let body = blockBody(statement, leadingValues: 1) { interpretOptions(body) }
            case "logging":
                if let previous = sawLogging {
                    sink.error(statement.location, "'logging' redefined; merge it into the logging statement at \(previous)")
                    continue
                }
                sawLogging = statement.location
                if let body = blockBody(statement, leadingValues: 1) { interpretLogging(body) }
            case "controls":
                if let body = blockBody(statement, leadingValues: 1) { interpretControls(body) }
            case "statistics-channels":
                if let body = blockBody(statement, leadingValues: 1) { interpretStatisticsChannels(body) }
            case "zone":
                interpretZone(statement, view: nil)
            case "view":
                // TODO: views are parsed but not served; their zones are left out.
                sink.warning(statement.location,
                             "view '\(statement.values.dropFirst().first?.text ?? "")' is not supported yet: its zones are not served; move them out of the view to serve them")
                interpretView(statement)
            case "key":
                interpretKey(statement)
            case "acl":
                // Interpreted on first reference, or here when nothing refers to it.
                if let name = statement.values.dropFirst().first?.text, aclDefinitions[name] != nil {
                    _ = resolveACL(name, at: statement.location)
                }
            case "primaries", "masters":
                interpretPrimaryList(statement)
            case _ where KnownOptions.resolverOnlyStatements.contains(keyword):
                sink.warning(
                    statement.location,
                    "'\(keyword)' is ignored: swift-named is authoritative-only and does not validate DNSSEC"
                )
            case _ where KnownOptions.topLevel.contains(keyword):
                sink.warning(statement.location, "statement '\(keyword)' is ignored: swift-named does not implement it")
            default:
                sink.error(statement.location, "unknown option '\(keyword)'; check the spelling against named.conf(5)")
            }
        }
        let topLevelZones = configuration.zones.filter { $0.view == nil }
        if !configuration.views.isEmpty, let zone = topLevelZones.first {
            sink.error(
                zone.location,
                "zone '\(zone.name)' is outside any view: when using 'view' statements, all zones must be in views; move it into a view"
            )
        }
        configuration.acls = resolvedACLs
        return configuration
    }

    /// Records acl, key and server list names first, because BIND lets statements refer to
    /// names defined further down.
    private mutating func collectDefinitions(_ statements: [ConfigStatement]) {
        for statement in statements {
            switch statement.keyword {
            case "acl":
                guard statement.values.count == 3, let name = statement.values[1].text, statement.values[2].block != nil else {
                    sink.error(statement.location, "malformed acl; write acl \"NAME\" { ELEMENT; ... };")
                    continue
                }
                if Self.builtInACLs.contains(name.lowercased()) {
                    sink.error(statement.location, "acl '\(name)' redefines a built-in acl; choose another name")
                } else if let previous = aclDefinitions[name] {
                    sink.error(statement.location, "acl '\(name)' is already defined at \(previous.location); rename or remove one")
                } else {
                    aclDefinitions[name] = statement
                }
            case "key":
                if let name = statement.values.dropFirst().first?.text, keyNames[name.lowercased()] == nil {
                    keyNames[name.lowercased()] = statement.location
                }
            case "primaries", "masters":
                guard let name = statement.values.dropFirst().first?.text else { continue }
                var port: UInt16?
                if statement.values.count == 5, statement.values[2].text?.lowercased() == "port" {
                    port = self.port(statement.values[3], for: "primaries \(name)")
                }
                guard let body = statement.values.last?.block else { continue }
                if primaryListDefinitions[name] != nil {
                    sink.error(statement.location, "server list '\(name)' is already defined; rename or remove one")
                }
                primaryListDefinitions[name] = (port, body)
            case "view":
                if let body = statement.values.last?.block {
                    for inner in body where inner.keyword == "key" {
                        if let name = inner.values.dropFirst().first?.text { keyNames[name.lowercased()] = inner.location }
                    }
                }
            default:
                break
            }
        }
    }

    /// Checks `KEYWORD [leading values] { ... };` and returns the block, reporting a missing
    /// block or a value after it, which usually means a missing `;`.
    mutating func blockBody(_ statement: ConfigStatement, leadingValues: Int) -> [ConfigStatement]? {
        let name = statement.keyword ?? "?"
        guard statement.values.count > leadingValues, let body = statement.values[leadingValues].block else {
            sink.error(statement.location, "'\(name)' is missing its '{ ... }' block")
            return nil
        }
        if statement.values.count > leadingValues + 1 {
            let extra = statement.values[leadingValues + 1]
            sink.error(extra.location, "missing ';' before '\(extra.display)'; end the '\(name)' statement with '};'")
        }
        return body
    }

    /// Reports an option that swift-named does not act on, or an unknown one.
    mutating func reportUnimplemented(_ statement: ConfigStatement, known: Bool) {
        let name = statement.keyword ?? "?"
        if KnownOptions.removed.contains(name) {
            sink.warning(statement.location, "option '\(name)' no longer exists in BIND 9.18; swift-named ignores it, so remove it")
        } else if KnownOptions.resolverOnly.contains(name) {
            sink.warning(statement.location, "option '\(name)' is ignored: swift-named is authoritative-only")
        } else if known {
            sink.warning(statement.location, "option '\(name)' is ignored: swift-named does not implement it")
        } else {
            sink.error(statement.location, "unknown option '\(name)'; check the spelling against named.conf(5)")
        }
    }

    private mutating func interpretPrimaryList(_ statement: ConfigStatement) {
        guard let name = statement.values.dropFirst().first?.text else {
            sink.error(statement.location, "'primaries' needs a name; write primaries \"NAME\" { ADDRESS; };")
            return
        }
        var trimmed = statement
        trimmed.values.removeFirst()
        if let servers = remoteServers(trimmed, for: "primaries \(name)") {
            configuration.primaryLists[name] = servers
        }
    }

    mutating func interpretKey(_ statement: ConfigStatement) {
        guard let name = statement.values.dropFirst().first?.text, let body = blockBody(statement, leadingValues: 2) else {
            sink.error(statement.location, "malformed key; write key \"NAME\" { algorithm hmac-sha256; secret \"BASE64\"; };")
            return
        }
        var algorithm: String?
        var secret: String?
        for clause in body {
            switch clause.keyword {
            case "algorithm":
                if let value = singleArgument(clause) { algorithm = string(value, for: "algorithm")?.lowercased() }
            case "secret":
                if let value = singleArgument(clause) { secret = string(value, for: "secret") }
            default:
                sink.error(clause.location, "unknown option '\(clause.keyword ?? "?")' in key '\(name)'; a key has only algorithm and secret")
            }
        }
        guard let algorithm else {
            sink.error(statement.location, "key '\(name)' is missing 'algorithm'; add algorithm hmac-sha256; (or the key's algorithm)")
            return
        }
        guard let secret else {
            sink.error(statement.location, "key '\(name)' is missing 'secret'; add secret \"BASE64\"; as made by tsig-keygen")
            return
        }
        // BIND rejects a secret that is not base64. swift-named warns and leaves the key out,
        // because RHEL's sample named.conf ships a placeholder secret and must still load.
        guard Self.isBase64(secret) else {
            sink.warning(
                statement.location,
                "key '\(name)': secret is not valid base64, so the key is unusable; set it to the base64 secret printed by tsig-keygen"
            )
            return
        }
        if configuration.keys[name.lowercased()] != nil {
            sink.error(statement.location, "key '\(name)' is already defined; rename or remove one")
            return
        }
        configuration.keys[name.lowercased()] = KeyConfiguration(name: name, algorithm: algorithm, secret: secret)
    }

    /// Tests for base64 text (RFC 4648 alphabet, `=` padding, white space ignored).
    static func isBase64(_ text: String) -> Bool {
        var count = 0
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                if padding > 0 { return false }
                count += 1
            case UInt8(ascii: "="):
                padding += 1
                count += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            default:
                return false
            }
        }
        return count > 0 && count % 4 == 0 && padding <= 2
    }
}
