/// A generated question and the kind of name and type it asks for, which groups the
/// differences in the summary.
struct RandomQuestion {
    var spec: QuerySpec
    /// For example "wildcard match/present type" or "below dname/ANY".
    var category: String
}

/// Seeded generator of questions about a `RandomZoneSet`.
enum RandomQuestions {
    /// Types asked for besides those present at the name.
    static let typeMenu = [
        "A", "AAAA", "TXT", "MX", "ANY", "DS", "SOA", "NS", "RRSIG", "NSEC", "CNAME", "DNAME", "SRV",
        "PTR", "HINFO", "CAA", "TYPE65280", "TYPE65000",
    ]
    /// Types reported by name in the category; the others count as "present" or "absent".
    static let namedTypes: Set<String> = ["ANY", "DS", "SOA", "NS", "RRSIG", "CNAME", "DNAME"]
    static let extraLabels = ["q1", "q2", "www", "a", "x", "sub", "*", "ns", "zz"]

    /// Returns `count` questions. Question `i` does not depend on `count`, so a longer run
    /// starts with the questions of a shorter one.
    static func make(for set: RandomZoneSet, count: Int) -> [RandomQuestion] {
        var random = SeededRandom(seed: set.seed ^ 0x5155_4553_5449_4F4E)
        return (0..<count).map { _ in question(set, random: &random) }
    }

    private static func question(_ set: RandomZoneSet, random: inout SeededRandom) -> RandomQuestion {
        let zone = random.pick(set.zones)
        let node = random.pick(zone.nodes)
        var name = node.name
        var kind = describe(node, zone: zone)
        var types = node.types

        switch random.below(20) {
        case 0...7:
            break  // the node itself
        case 8, 9, 10:
            name = random.pick(extraLabels) + "." + node.name
            kind = "below " + kind
            types = []
        case 11:
            name = random.pick(extraLabels) + "." + random.pick(extraLabels) + "." + node.name
            kind = "two below " + kind
            types = []
        case 12, 13:
            if let parent = parentName(of: node.name), isAtOrBelow(parent, zone.origin) {
                name = "q\(random.below(5))." + parent
                kind = "sibling of " + kind
                types = []
            }
        case 14, 15, 16:
            let wildcards = zone.nodes.filter { $0.name.hasPrefix("*.") }
            if !wildcards.isEmpty {
                let wildcard = random.pick(wildcards)
                var labels = [random.pick(extraLabels)]
                if random.chance(30) { labels.append("q\(random.below(3))") }
                name = labels.joined(separator: ".") + wildcard.name.dropFirst(1)
                kind = "wildcard match " + describe(wildcard, zone: zone)
                types = wildcard.types
            }
        case 17:
            if let parent = parentName(of: zone.origin), random.chance(50) {
                name = random.chance(50) ? parent : "q\(random.below(5))." + parent
            } else {
                name = random.pick(["www.outside.invalid.", "example.org.", "."])
            }
            kind = "outside zones"
            types = []
        default:
            let origin = random.pick(set.zones).origin
            name = origin
            kind = "apex of " + origin
            types = set.zones.first { $0.origin == origin }?.nodes.first?.types ?? []
        }

        let type: String
        if !types.isEmpty && random.chance(45) {
            type = random.pick(types)
        } else {
            type = random.pick(typeMenu)
        }
        let typeKind = namedTypes.contains(type) ? type : (types.contains(type) ? "present type" : "absent type")

        var words = [spell(name, random: &random), type]
        if random.chance(15) { words.append("+tcp") }
        if !random.chance(10) { words.append("+norec") }
        switch random.below(4) {
        case 0: words.append("+noedns")
        case 1: words.append("+bufsize=512")
        case 2: break  // QuerySpec's default, 1232 octets
        default: words.append("+bufsize=4096")
        }
        return RandomQuestion(spec: QuerySpec(words.joined(separator: " ")), category: kind + "/" + typeKind)
    }

    /// Writes the name without its trailing dot, with random letter case in 40 % of questions.
    private static func spell(_ name: String, random: inout SeededRandom) -> String {
        let text = name == "." ? "." : String(name.dropLast())
        return random.chance(40) ? random.mixCase(text, percent: 50) : text
    }

    private static func describe(_ node: GeneratedNode, zone: GeneratedZone) -> String {
        if node.name == zone.origin { return "apex" }
        var text = node.role.rawValue
        if node.name.hasPrefix("*.") { text = "wildcard " + text }
        if node.name.contains(".*.") { text = "below wildcard " + text }
        if node.occluded { text = "occluded " + text }
        return text
    }
}
