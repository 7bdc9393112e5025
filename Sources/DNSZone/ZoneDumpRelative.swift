import DNSWire

/// BIND 9.18's default master-file style, which `named-checkzone -D -s relative` prints:
/// `$ORIGIN` and `$TTL` lines, owners relative to the origin and printed once per name, the
/// class on the first record only, and long RDATA split over lines inside parentheses.
///
/// The origin of a name is the name of its parent node in BIND's tree of names. That tree
/// stores a run of labels in one node, so a name's parent node is its closest ancestor that
/// has records or where names below it branch off (a wildcard's parent always counts). As in
/// the full style, NSEC3 records and their RRSIGs form a second tree that comes last.
extension ZoneDump {
    static let relativeTypeColumn = 24
    static let relativeRDataColumn = 32

    /// Prints a zone in the relative style. `origin` is the zone name as given to
    /// named-checkzone, whose spelling the `$ORIGIN` lines use; `fileOrder` is as for
    /// `format(_:fileOrder:now:)`.
    public static func formatRelative(
        _ records: [ResourceRecord], fileOrder: [ResourceRecord], origin: DomainName, now: UInt32 = currentTime()
    ) -> String {
        let history = LoadHistory(fileOrder, now: now)
        let ordered = sorted(records).map { record in
            var spelled = record
            spelled.owner = history.spelling[RRsetKey(record)] ?? record.owner
            return spelled
        }
        let spellings = NodeSpellings(fileOrder, origin: origin)
        var lineBreak = "\n"
        var breakColumn = 0
        indent(&lineBreak, &breakColumn, to: relativeRDataColumn)

        var output = ""
        var currentTTL: UInt32? = nil
        var printedClass = false
        for inNSEC3Tree in [false, true] {
            let treeRecords = ordered.filter { isInNSEC3Tree($0) == inNSEC3Tree }
            var owners = Set(treeRecords.map(\.owner))
            owners.insert(origin)
            if !inNSEC3Tree {
                // BIND adds the parent of each wildcard name as a node of its own.
                for owner in owners where owner.labels.first == [UInt8(ascii: "*")] {
                    if let parent = owner.parent { owners.insert(parent) }
                }
            }
            let tree = NameTree(owners: owners, origin: origin)
            var currentOrigin: String? = nil
            var previousOwner: DomainName? = nil
            for record in treeRecords {
                let parent = tree.parentNode(of: record.owner)
                let parentName = spellings.spelled(parent)
                let isNewName = previousOwner == nil || previousOwner! != record.owner
                previousOwner = record.owner
                if isNewName {
                    let originText = parent.labelCount == 0 ? "." : parentName.description
                    if originText != currentOrigin {
                        output += "$ORIGIN \(originText)\n"
                        currentOrigin = originText
                    }
                }
                if record.ttl != currentTTL {
                    output += "$TTL \(record.ttl)\t; \(RDataText.durationText(record.ttl))\n"
                    currentTTL = record.ttl
                }

                var line = isNewName ? record.owner.relativeDescription(to: parent) : ""
                if isNewName && parent.labelCount == 0 {
                    // The apex, at the top of the tree. The root zone's apex is the origin itself.
                    line = record.owner.labelCount == 0 ? "@" : record.owner.descriptionWithoutDot
                }
                var column = line.utf8.count
                if !printedClass {
                    indent(&line, &column, to: relativeTypeColumn)
                    line += record.rrClass.description
                    column += record.rrClass.description.utf8.count
                    printedClass = true
                }
                indent(&line, &column, to: relativeTypeColumn)
                let type = record.type.description
                line += type
                column += type.utf8.count
                indent(&line, &column, to: relativeRDataColumn)
                line += RDataText.formatRelative(type: record.type, rdata: record.rdata, origin: parentName, lineBreak: lineBreak)
                output += line
                output += "\n"
            }
        }
        return output
    }
}

/// The nodes of BIND's tree of names for one set of owner names below a zone origin.
struct NameTree {
    let origin: DomainName
    let owners: Set<DomainName>
    /// For each ancestor of an owner, the distinct labels (in lower case) directly below it.
    private var childLabels: [DomainName: Set<[UInt8]>] = [:]

    init(owners: Set<DomainName>, origin: DomainName) {
        self.origin = origin
        self.owners = owners
        for owner in owners where owner != origin && owner.isSubdomain(of: origin) {
            var child = owner
            while let parent = child.parent, child != origin {
                let label = child.labels.first.map { $0.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } } ?? []
                childLabels[parent, default: []].insert(label)
                child = parent
            }
        }
    }

    func isNode(_ name: DomainName) -> Bool {
        name == origin || owners.contains(name) || (childLabels[name]?.count ?? 0) >= 2
    }

    /// Returns the closest ancestor of `name` that is a node, or the root for the origin itself,
    /// which is at the top of the tree.
    func parentNode(of name: DomainName) -> DomainName {
        guard name != origin else { return DomainName(uncheckedWire: [0]) }
        var candidate = name.parent
        while let ancestor = candidate {
            if isNode(ancestor) { return ancestor }
            candidate = ancestor.parent
        }
        return origin
    }
}

/// The spelling of each name in BIND's tree: the labels below the origin as the first owner in
/// the file that contains them spells them, then the origin as the zone's name spells it.
struct NodeSpellings {
    let origin: DomainName
    private var spelling: [DomainName: DomainName] = [:]

    init(_ records: [ResourceRecord], origin: DomainName) {
        self.origin = origin
        var previous: [UInt8]? = nil
        for record in records where record.owner.wire != previous {
            previous = record.owner.wire
            var name: DomainName? = record.owner
            while let current = name, current != origin, current.isSubdomain(of: origin) {
                if spelling[current] == nil {
                    spelling[current] = current
                }
                name = current.parent
            }
        }
    }

    /// Returns the name as BIND's tree spells it, with the zone name's spelling of the origin.
    func spelled(_ name: DomainName) -> DomainName {
        guard name.labelCount > 0, name.isSubdomain(of: origin) else { return name }
        guard name != origin else { return origin }
        let written = spelling[name] ?? name
        let relative = Array(written.labels.prefix(written.labelCount - origin.labelCount))
        return (try? DomainName(labels: relative + origin.labels)) ?? name
    }
}
