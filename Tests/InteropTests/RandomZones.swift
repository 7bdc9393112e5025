/// Seeded generator of random zone sets for the differential test against BIND.
///
/// One seed always gives the same zones, byte for byte: every random choice comes from
/// `SeededRandom`, never from the system generator, and the generator iterates only over
/// arrays, never over dictionaries or sets, whose order changes from run to run.

/// SplitMix64: a 64-bit state advanced by a fixed odd constant and scrambled on output by two
/// multiply-xorshift rounds.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// Returns a number in `0..<bound`; `bound` must be positive. The modulo bias is below
    /// 2^-40 for the small bounds used here.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "SeededRandom.below needs a positive bound, not \(bound)")
        return Int(next() % UInt64(bound))
    }

    mutating func inRange(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// Returns true with the given probability in percent.
    mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    mutating func pick<Element>(_ items: [Element]) -> Element {
        items[below(items.count)]
    }

    mutating func shuffle<Element>(_ items: inout [Element]) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(index, below(index + 1))
        }
    }

    /// Returns `text` with each ASCII letter in upper case with probability `percent`.
    mutating func mixCase(_ text: String, percent: Int) -> String {
        String(
            text.map { character in
                character.isLetter && chance(percent) ? Character(character.uppercased()) : character
            })
    }
}

/// What a node of a generated zone is for; it decides which records the node gets.
enum NodeRole: String {
    case plain
    case cname
    case dname
    case delegation
    /// A name under a delegation that carries glue addresses.
    case glue
    /// A name the zone file never mentions itself, only names below it.
    case emptyNonTerminal
}

/// One record line of a generated zone. `needsTarget` marks a CNAME, DNAME, MX, SRV or PTR
/// record whose target name phase two of the generator appends to `rdata`, once every zone
/// of the set has its names.
struct GeneratedRecord {
    var type: String
    var ttl: UInt32
    var rdata: String
    var needsTarget = false
}

/// A name of a generated zone with its records. `name` is lower case and absolute with the
/// trailing dot; `spelling` is the same name in the letter case the zone file writes it.
struct GeneratedNode {
    var name: String
    var spelling: String
    var role: NodeRole
    var records: [GeneratedRecord] = []
    /// True for names at or below a delegation or below a DNAME of the same zone: their data
    /// is occluded and never answered.
    var occluded = false

    var types: [String] {
        var seen: [String] = []
        for record in records where !seen.contains(record.type) {
            seen.append(record.type)
        }
        return seen
    }
}

/// One zone of a generated set while it is being built.
struct GeneratedZone {
    /// Lower case, absolute, with the trailing dot.
    var origin: String
    var nodes: [GeneratedNode] = []
    var defaultTTL: UInt32 = 3600
    var text = ""

    func index(of name: String) -> Int? {
        nodes.firstIndex { $0.name == name }
    }

    func contains(_ name: String) -> Bool {
        index(of: name) != nil
    }

    /// Zone name without the trailing dot, as named.conf writes it.
    var zoneName: String { String(origin.dropLast()) }

    var fileName: String { zoneName + ".zone" }
}

/// Returns the labels of `name` (absolute, with the trailing dot), leftmost first.
func labels(of name: String) -> [String] {
    name.split(separator: ".").map(String.init)
}

/// Returns true when `name` equals `ancestor` or lies below it; both lower case and absolute.
func isAtOrBelow(_ name: String, _ ancestor: String) -> Bool {
    name == ancestor || name.hasSuffix("." + ancestor)
}

/// Returns true when every label of `name` is a host name label (letters, digits and inner
/// hyphens), allowing `*` as the leftmost label when `wildcard` is true. BIND 9.18 loads a
/// primary zone only when the owners of A, AAAA and MX records and the targets of NS, MX and
/// SRV records pass this test (`check-names primary fail`, its default).
func isHostname(_ name: String, wildcard: Bool) -> Bool {
    for (position, label) in labels(of: name).enumerated() {
        if label == "*" && wildcard && position == 0 { continue }
        guard let first = label.first, let last = label.last, first != "-", last != "-" else { return false }
        guard label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return false }
    }
    return true
}

/// Returns the parent of an absolute name, or nil for the root.
func parentName(of name: String) -> String? {
    guard name != "." else { return nil }
    guard let dot = name.firstIndex(of: ".") else { return nil }
    let rest = name[name.index(after: dot)...]
    return rest.isEmpty ? "." : String(rest)
}

/// A set of zones generated from one seed, served together: a parent and a child zone it
/// delegates to, a sibling, and, with more zones, a grandchild and an undelegated child.
struct RandomZoneSet {
    static let origins = [
        "par.example.", "kid.par.example.", "sib.example.", "gc.deep.kid.par.example.",
        "undel.par.example.", "other.net.",
    ]
    static let maxZones = origins.count

    let seed: UInt64
    private(set) var zones: [GeneratedZone]

    /// Names outside every zone that records may point to.
    static let outsideNames = ["www.outside.invalid.", "ns.outside.invalid.", "example.org."]

    init(seed: UInt64, zoneCount: Int) {
        precondition(
            (1...Self.maxZones).contains(zoneCount),
            "a zone set has 1 to \(Self.maxZones) zones, not \(zoneCount)")
        self.seed = seed
        var random = SeededRandom(seed: seed)
        let origins = Array(Self.origins.prefix(zoneCount))
        zones = origins.map { GeneratedZone(origin: $0) }

        for index in zones.indices {
            var shaper = ZoneShaper(random: SeededRandom(seed: random.next()), origins: origins)
            shaper.shape(&zones[index])
        }
        var targets = TargetPicker(zones: zones)
        for index in zones.indices {
            targets.fill(&zones[index], random: &random)
        }
        for index in zones.indices {
            var renderer = ZoneRenderer(random: SeededRandom(seed: random.next()))
            zones[index].text = renderer.render(zones[index])
        }
    }

    var fixtures: [ZoneFixture] {
        zones.map { ZoneFixture(name: $0.zoneName, fileName: $0.fileName, text: $0.text) }
    }

    /// Returns the zone that is authoritative for `name`: the one with the longest origin
    /// that contains it, as both servers choose.
    func zone(for name: String) -> GeneratedZone? {
        zones.filter { isAtOrBelow(name, $0.origin) }.max { $0.origin.count < $1.origin.count }
    }
}

/// Phase one: builds the names and roles of one zone and the records that need no target.
private struct ZoneShaper {
    var random: SeededRandom
    /// Origins of every zone of the set, to delegate to child zones.
    let origins: [String]

    static let vocabulary = [
        "www", "mail", "ns", "a", "b", "c", "x", "y", "sub", "deep", "host", "srv", "dev", "web",
        "api", "z9", "q-1", "_tcp", "_sip", "lab",
    ]

    mutating func shape(_ zone: inout GeneratedZone) {
        zone.defaultTTL = random.pick([300, 3600, 86_400])
        var vocabulary = Self.vocabulary
        random.shuffle(&vocabulary)
        let words = Array(vocabulary.prefix(random.inRange(5...9)))

        addApex(&zone)
        let count = random.inRange(8...24)
        for _ in 0..<count {
            var parent = zone.origin
            if random.chance(45), let existing = randomNode(zone, where: { $0.name != zone.origin }) {
                parent = existing.name
            }
            var name = parent
            for _ in 0..<random.inRange(1...2) {
                name = random.pick(words) + "." + name
            }
            guard !zone.contains(name), !isChildApex(name, zone: zone) else { continue }
            addNode(&zone, name: name, role: .plain)
        }

        var roles: [NodeRole] = [.delegation, .cname, .cname, .dname]
        for _ in zone.nodes.indices {
            roles.append(random.pick([.plain, .plain, .plain, .plain, .cname, .cname, .delegation, .dname]))
        }
        // Only the random names get a role; name server names keep their addresses.
        for index in zone.nodes.indices.dropFirst() where zone.nodes[index].role == .plain {
            zone.nodes[index].role = roles[index - 1]
            // Name servers and their glue need host names.
            if roles[index - 1] == .delegation && !isHostname(zone.nodes[index].name, wildcard: false) {
                zone.nodes[index].role = .plain
            }
        }
        for index in zone.nodes.indices.dropFirst() {
            switch zone.nodes[index].role {
            case .plain: addPlainData(&zone, index: index)
            case .cname: zone.nodes[index].records = [GeneratedRecord(type: "CNAME", ttl: ttl(zone), rdata: "", needsTarget: true)]
            case .dname: addDNAME(&zone, index: index)
            case .delegation: addDelegation(&zone, index: index)
            case .glue, .emptyNonTerminal: break
            }
        }
        delegateChildZones(&zone)
        addSiblingGlue(&zone)
        addWildcards(&zone)
        if random.chance(40) { addLargeRRset(&zone) }
        addEmptyNonTerminals(&zone)
        markOccluded(&zone)
    }

    // MARK: - Names

    func isChildApex(_ name: String, zone: GeneratedZone) -> Bool {
        origins.contains { $0 != zone.origin && $0 == name }
    }

    mutating func randomNode(_ zone: GeneratedZone, where include: (GeneratedNode) -> Bool) -> GeneratedNode? {
        let candidates = zone.nodes.filter(include)
        return candidates.isEmpty ? nil : random.pick(candidates)
    }

    /// Adds a node, spelling its new labels in random case. The part of the name that is
    /// already a node keeps that node's spelling, so every line of the zone file writes one
    /// name in one spelling.
    ///
    /// NOTE: BIND 9.18 keeps the letter case per RRset, as the first line of each RRset
    /// spells the owner, and swift-named keeps one spelling per name. That difference is
    /// known, and the generator does not produce it.
    mutating func addNode(_ zone: inout GeneratedZone, name: String, role: NodeRole) {
        var spelling = ""
        var suffix: String? = name
        var newLabels: [String] = []
        while let current = suffix {
            if let index = zone.index(of: current) {
                spelling = zone.nodes[index].spelling
                break
            }
            if current == "." { break }
            newLabels.append(labels(of: current)[0])
            suffix = parentName(of: current)
        }
        for label in newLabels.reversed() {
            spelling = random.mixCase(label, percent: 25) + "." + spelling
        }
        zone.nodes.append(GeneratedNode(name: name, spelling: spelling, role: role))
    }

    mutating func ttl(_ zone: GeneratedZone) -> UInt32 {
        random.chance(60) ? zone.defaultTTL : UInt32(random.pick([60, 300, 600, 3600, 7200]))
    }

    // MARK: - Records

    mutating func addApex(_ zone: inout GeneratedZone) {
        let origin = zone.origin
        zone.nodes.append(GeneratedNode(name: origin, spelling: origin, role: .plain))
        let minimum = random.pick([60, 300, 900, 3600])
        let soa = "ns1.\(origin) hostmaster.\(origin) \(random.inRange(1...99_999)) 7200 900 1209600 \(minimum)"
        zone.nodes[0].records.append(GeneratedRecord(type: "SOA", ttl: UInt32(random.pick([300, 3600, 86_400])), rdata: soa))
        let nsTTL = ttl(zone)
        zone.nodes[0].records.append(GeneratedRecord(type: "NS", ttl: nsTTL, rdata: "ns1.\(origin)"))
        if random.chance(50) {
            // A second name server in another zone of the set, or outside all of them.
            // Never one below this zone's own cuts, which would need glue here.
            let other = random.pick(origins.filter { !isAtOrBelow($0, origin) } + ["outside.invalid."])
            zone.nodes[0].records.append(GeneratedRecord(type: "NS", ttl: nsTTL, rdata: "ns2.\(other)"))
        }
        addNode(&zone, name: "ns1." + origin, role: .glue)
        if origins.contains(where: { $0 != origin && isAtOrBelow(origin, $0) }) {
            // A child zone: the same address as the glue in its parent.
            zone.nodes[1].records = [GeneratedRecord(type: "A", ttl: zone.defaultTTL, rdata: childGlueAddress(origin))]
        } else {
            addAddresses(&zone, index: zone.nodes.count - 1)
        }
        if random.chance(50) { addPlainData(&zone, index: 0) }
    }

    mutating func addAddresses(_ zone: inout GeneratedZone, index: Int) {
        let recordTTL = ttl(zone)
        for _ in 0..<random.inRange(1...2) {
            zone.nodes[index].records.append(GeneratedRecord(type: "A", ttl: recordTTL, rdata: randomIPv4()))
        }
        if random.chance(40) {
            zone.nodes[index].records.append(GeneratedRecord(type: "AAAA", ttl: ttl(zone), rdata: randomIPv6()))
        }
    }

    mutating func randomIPv4() -> String {
        "192.0.2.\(random.inRange(1...254))"
    }

    mutating func randomIPv6() -> String {
        "2001:db8::\(String(random.inRange(1...0xFFFF), radix: 16))"
    }

    /// Adds one to three RRsets of ordinary types.
    mutating func addPlainData(_ zone: inout GeneratedZone, index: Int) {
        var menu = ["A", "A", "AAAA", "TXT", "MX", "SRV", "PTR", "HINFO", "CAA", "TYPE65280"]
        if !isHostname(zone.nodes[index].name, wildcard: true) {
            menu.removeAll { $0 == "A" || $0 == "AAAA" || $0 == "MX" }
        }
        var chosen: [String] = []
        for _ in 0..<random.inRange(1...3) {
            let type = random.pick(menu)
            if !chosen.contains(type) && !zone.nodes[index].types.contains(type) { chosen.append(type) }
        }
        for type in chosen {
            let recordTTL = ttl(zone)
            for _ in 0..<(random.chance(30) ? 2 : 1) {
                let record: GeneratedRecord
                switch type {
                case "A": record = GeneratedRecord(type: type, ttl: recordTTL, rdata: randomIPv4())
                case "AAAA": record = GeneratedRecord(type: type, ttl: recordTTL, rdata: randomIPv6())
                case "TXT": record = GeneratedRecord(type: type, ttl: recordTTL, rdata: "\"text \(random.below(1000))\"")
                case "HINFO": record = GeneratedRecord(type: type, ttl: recordTTL, rdata: "\"cpu\(random.below(9))\" \"os\"")
                case "CAA": record = GeneratedRecord(type: type, ttl: recordTTL, rdata: "0 issue \"ca\(random.below(9)).example\"")
                case "TYPE65280":
                    record = GeneratedRecord(type: type, ttl: recordTTL, rdata: "\\# 2 \(String(random.inRange(0x1000...0xFFFF), radix: 16))")
                case "MX": record = GeneratedRecord(type: type, ttl: recordTTL, rdata: "\(random.below(50))", needsTarget: true)
                case "SRV":
                    record = GeneratedRecord(
                        type: type, ttl: recordTTL, rdata: "\(random.below(20)) \(random.below(100)) \(random.inRange(1...9999))",
                        needsTarget: true)
                default: record = GeneratedRecord(type: type, ttl: recordTTL, rdata: "", needsTarget: true)
                }
                zone.nodes[index].records.append(record)
            }
        }
    }

    /// Adds a DNAME, sometimes with other data at its owner, and sometimes a name below it
    /// whose data the DNAME occludes.
    mutating func addDNAME(_ zone: inout GeneratedZone, index: Int) {
        zone.nodes[index].records.append(GeneratedRecord(type: "DNAME", ttl: ttl(zone), rdata: "", needsTarget: true))
        if random.chance(35) { addPlainData(&zone, index: index) }
        if random.chance(50) {
            let below = "under." + zone.nodes[index].name
            if !zone.contains(below) {
                addNode(&zone, name: below, role: .plain)
                addPlainData(&zone, index: zone.nodes.count - 1)
            }
        }
    }

    /// Adds NS records for a cut with in-bailiwick glue, sometimes an out-of-zone server, a DS
    /// and occluded data below the cut.
    mutating func addDelegation(_ zone: inout GeneratedZone, index: Int) {
        let cut = zone.nodes[index].name
        let recordTTL = ttl(zone)
        let glueName = "ns." + cut
        zone.nodes[index].records.append(GeneratedRecord(type: "NS", ttl: recordTTL, rdata: glueName))
        if !zone.contains(glueName) {
            addNode(&zone, name: glueName, role: .glue)
            addAddresses(&zone, index: zone.nodes.count - 1)
        } else if let glue = zone.index(of: glueName), zone.nodes[glue].role != .glue {
            zone.nodes[glue].role = .glue
            zone.nodes[glue].records = []
            addAddresses(&zone, index: glue)
        }
        if random.chance(40) {
            zone.nodes[index].records.append(GeneratedRecord(type: "NS", ttl: recordTTL, rdata: random.pick(RandomZoneSet.outsideNames)))
        }
        if random.chance(30) {
            zone.nodes[index].records.append(GeneratedRecord(type: "NS", ttl: recordTTL, rdata: "ns1." + zone.origin))
        }
        if random.chance(30) {
            let digest = (0..<32).map { _ in String(format2Hex: random.below(256)) }.joined()
            zone.nodes[index].records.append(
                GeneratedRecord(type: "DS", ttl: ttl(zone), rdata: "\(random.inRange(1...65535)) 13 2 \(digest)"))
        }
        if random.chance(35) {
            let below = "www." + cut
            if !zone.contains(below) {
                addNode(&zone, name: below, role: .plain)
                addPlainData(&zone, index: zone.nodes.count - 1)
            }
        }
    }

    /// Delegates each child zone of the set whose parent this zone is, except the one meant
    /// to stay undelegated, with the child's name server and its glue.
    mutating func delegateChildZones(_ zone: inout GeneratedZone) {
        for child in origins where child != zone.origin && isAtOrBelow(child, zone.origin) {
            let between = origins.filter { $0 != zone.origin && $0 != child && isAtOrBelow(child, $0) && isAtOrBelow($0, zone.origin) }
            guard between.isEmpty else { continue }
            if child.hasPrefix("undel.") {
                // Not delegated: the parent's own data below the child's apex is hidden by
                // the more specific zone.
                let hidden = "www." + child
                if !zone.contains(hidden) {
                    addNode(&zone, name: hidden, role: .plain)
                    addPlainData(&zone, index: zone.nodes.count - 1)
                }
                continue
            }
            if let existing = zone.index(of: child) {
                zone.nodes[existing].records = []
                zone.nodes[existing].role = .delegation
            } else {
                addNode(&zone, name: child, role: .delegation)
            }
            let cut = zone.index(of: child)!
            zone.nodes[cut].records.append(GeneratedRecord(type: "NS", ttl: zone.defaultTTL, rdata: "ns1." + child))
            let glueName = "ns1." + child
            if zone.index(of: glueName) == nil { addNode(&zone, name: glueName, role: .glue) }
            let glue = zone.index(of: glueName)!
            zone.nodes[glue].role = .glue
            zone.nodes[glue].records = [GeneratedRecord(type: "A", ttl: zone.defaultTTL, rdata: childGlueAddress(child))]
        }
    }

    /// Returns the address of a child zone's first name server, the same in the child and in
    /// its parent.
    func childGlueAddress(_ child: String) -> String {
        "198.51.100.\(origins.firstIndex(of: child)! + 1)"
    }

    /// Makes some delegations name a server below another delegation, with glue there
    /// (sibling glue), as zones often do for a provider's name servers.
    mutating func addSiblingGlue(_ zone: inout GeneratedZone) {
        let cuts = zone.nodes.indices.filter { zone.nodes[$0].role == .delegation && !origins.contains(zone.nodes[$0].name) }
        guard cuts.count >= 2 else { return }
        for cut in cuts where random.chance(50) {
            let other = random.pick(cuts.filter { $0 != cut })
            let server = "ns." + zone.nodes[other].name
            if !zone.nodes[cut].records.contains(where: { $0.type == "NS" && $0.rdata == server }) {
                zone.nodes[cut].records.append(GeneratedRecord(type: "NS", ttl: zone.nodes[cut].records[0].ttl, rdata: server))
            }
        }
    }

    /// Adds wildcards of several shapes: with data, as a CNAME, with a name below the `*`
    /// label (which makes `*` a non-leftmost label), as an empty non-terminal, or below an
    /// empty non-terminal.
    mutating func addWildcards(_ zone: inout GeneratedZone) {
        for _ in 0..<random.inRange(1...3) {
            guard let parent = randomNode(zone, where: { $0.role == .plain || $0.role == .emptyNonTerminal }) else { return }
            var base = parent.name
            if random.chance(25) { base = "mid\(random.below(9))." + base }
            let wildcard = "*." + base
            guard !zone.contains(wildcard) else { continue }
            switch random.below(5) {
            case 0, 1:
                addNode(&zone, name: wildcard, role: .plain)
                addPlainData(&zone, index: zone.nodes.count - 1)
            case 2:
                addNode(&zone, name: wildcard, role: .cname)
                zone.nodes[zone.nodes.count - 1].records = [GeneratedRecord(type: "CNAME", ttl: ttl(zone), rdata: "", needsTarget: true)]
            case 3:
                // `*` only as an empty non-terminal above a name.
                addNode(&zone, name: "sub." + wildcard, role: .plain)
                addPlainData(&zone, index: zone.nodes.count - 1)
            default:
                addNode(&zone, name: wildcard, role: .plain)
                addPlainData(&zone, index: zone.nodes.count - 1)
                addNode(&zone, name: "sub." + wildcard, role: .plain)
                addPlainData(&zone, index: zone.nodes.count - 1)
            }
        }
    }

    /// Adds one RRset of 10 to 100 A or TXT records, which truncates at some UDP sizes.
    mutating func addLargeRRset(_ zone: inout GeneratedZone) {
        let name = "big." + zone.origin
        guard !zone.contains(name) else { return }
        addNode(&zone, name: name, role: .plain)
        let index = zone.nodes.count - 1
        let recordTTL = ttl(zone)
        let count = random.inRange(10...100)
        let text = random.chance(50)
        for number in 0..<count {
            if text {
                zone.nodes[index].records.append(
                    GeneratedRecord(type: "TXT", ttl: recordTTL, rdata: "\"record \(number) padding padding padding\""))
            } else {
                zone.nodes[index].records.append(
                    GeneratedRecord(type: "A", ttl: recordTTL, rdata: "203.0.113.\(number + 1)"))
            }
        }
    }

    /// Adds the names between the apex and each node that the file never writes itself.
    mutating func addEmptyNonTerminals(_ zone: inout GeneratedZone) {
        var index = 0
        while index < zone.nodes.count {
            var current = parentName(of: zone.nodes[index].name)
            while let name = current, name != zone.origin, isAtOrBelow(name, zone.origin) {
                if !zone.contains(name) {
                    // The spelling of an empty non-terminal is the one its first descendant gives it.
                    let descendant = zone.nodes[index]
                    let drop = labels(of: descendant.name).count - labels(of: name).count
                    let spelling = labels(of: descendant.spelling).dropFirst(drop).joined(separator: ".") + "."
                    zone.nodes.append(GeneratedNode(name: name, spelling: spelling, role: .emptyNonTerminal))
                }
                current = parentName(of: name)
            }
            index += 1
        }
    }

    /// Marks names at or below a cut (other than the cut itself) and below a DNAME as occluded.
    mutating func markOccluded(_ zone: inout GeneratedZone) {
        let cuts = zone.nodes.filter { $0.role == .delegation }.map(\.name)
        let dnames = zone.nodes.filter { $0.role == .dname }.map(\.name)
        for index in zone.nodes.indices {
            let name = zone.nodes[index].name
            if cuts.contains(where: { $0 != name && isAtOrBelow(name, $0) })
                || dnames.contains(where: { $0 != name && isAtOrBelow(name, $0) })
            {
                zone.nodes[index].occluded = true
            }
        }
    }
}

extension String {
    /// Two lower-case hexadecimal digits of a value below 256.
    init(format2Hex value: Int) {
        let digits = Array("0123456789abcdef")
        self = String([digits[value >> 4], digits[value & 0xF]])
    }
}

/// Phase two: fills the targets of CNAME, DNAME, MX, SRV and PTR records from the names of
/// every zone of the set, names that do not exist, and names outside every zone.
private struct TargetPicker {
    /// Every node name of the set.
    let names: [String]
    /// Names with A or AAAA records.
    let hosts: [String]
    let wildcardParents: [String]

    init(zones: [GeneratedZone]) {
        let nodes = zones.flatMap(\.nodes)
        names = nodes.map(\.name)
        hosts = nodes.filter { ($0.types.contains("A") || $0.types.contains("AAAA")) && !$0.name.hasPrefix("*.") }.map(\.name)
        wildcardParents = nodes.filter { $0.name.hasPrefix("*.") }.compactMap { parentName(of: $0.name) }
    }

    mutating func fill(_ zone: inout GeneratedZone, random: inout SeededRandom) {
        for node in zone.nodes.indices {
            for record in zone.nodes[node].records.indices where zone.nodes[node].records[record].needsTarget {
                let type = zone.nodes[node].records[record].type
                let owner = zone.nodes[node].name
                var target = pickTarget(for: type, owner: owner, zone: zone, random: &random)
                if type == "MX" || type == "SRV" {
                    // check-names: their targets must be host names.
                    for _ in 0..<20 where !isHostname(target, wildcard: false) {
                        target = pickTarget(for: type, owner: owner, zone: zone, random: &random)
                    }
                    if !isHostname(target, wildcard: false) { target = "ns1." + zone.origin }
                }
                let prefix = zone.nodes[node].records[record].rdata
                zone.nodes[node].records[record].rdata = prefix.isEmpty ? target : prefix + " " + target
                zone.nodes[node].records[record].needsTarget = false
            }
        }
    }

    private func pickTarget(for type: String, owner: String, zone: GeneratedZone, random: inout SeededRandom) -> String {
        let inZone = names.filter { isAtOrBelow($0, zone.origin) }
        switch random.below(12) {
        case 0, 1, 2:
            // Mostly names that have addresses, so that the additional section has work.
            if !hosts.isEmpty { return random.pick(hosts) }
            return random.pick(inZone)
        case 3, 4, 5:
            return random.pick(inZone)
        case 6:
            return random.pick(names)
        case 7:
            return "nx\(random.below(9))." + random.pick(inZone)
        case 8:
            if !wildcardParents.isEmpty { return "w\(random.below(9))." + random.pick(wildcardParents) }
            return random.pick(inZone)
        case 9:
            // The owner itself: a loop for CNAME, a name that grows with each step for DNAME.
            return type == "DNAME" ? "loop." + owner : owner
        case 10:
            return random.pick(RandomZoneSet.outsideNames)
        default:
            return random.pick(names)
        }
    }
}

/// Phase three: writes the zone file. Records appear in random order, owners are written
/// relative to $ORIGIN or absolute, and with an RRset's TTL given explicitly or left to $TTL.
private struct ZoneRenderer {
    var random: SeededRandom

    mutating func render(_ zone: GeneratedZone) -> String {
        var lines: [String] = []
        var soa = ""
        for node in zone.nodes {
            for record in node.records {
                let owner = writtenOwner(node, zone: zone)
                let ttl = record.ttl == zone.defaultTTL && random.chance(50) ? "" : "\(record.ttl)"
                let line = "\(owner)\t\(ttl)\tIN\t\(record.type)\t\(record.rdata)"
                if record.type == "SOA" { soa = line } else { lines.append(line) }
            }
        }
        random.shuffle(&lines)
        return (["$ORIGIN \(zone.origin)", "$TTL \(zone.defaultTTL)", soa] + lines).joined(separator: "\n") + "\n"
    }

    private mutating func writtenOwner(_ node: GeneratedNode, zone: GeneratedZone) -> String {
        if node.name == zone.origin { return random.chance(50) ? "@" : node.spelling }
        let relative = labels(of: node.spelling).count - labels(of: zone.origin).count
        if random.chance(50) {
            return labels(of: node.spelling).prefix(relative).joined(separator: ".")
        }
        return node.spelling
    }
}
