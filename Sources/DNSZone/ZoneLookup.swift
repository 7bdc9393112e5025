import DNSWire

/// A name to look up, held as lower-cased wire bytes with the offset of each label, in
/// buffers that are reused from query to query so that a lookup allocates nothing.
public struct LookupName {
    /// Wire form, lower case, ending with the root label.
    public private(set) var lowercased: [UInt8] = []
    /// Offset of each label in `lowercased`, leftmost first; the root label is not counted.
    public private(set) var labelOffsets: [Int] = []
    /// `*.` followed by a closest encloser, for the wildcard step.
    var wildcard: [UInt8] = []

    public init() {
        lowercased.reserveCapacity(DomainName.maxWireLength)
        labelOffsets.reserveCapacity(128)
        wildcard.reserveCapacity(DomainName.maxWireLength + 2)
    }

    public var labelCount: Int { labelOffsets.count }

    /// Loads an uncompressed, validated wire name.
    public mutating func set(_ wire: UnsafeBufferPointer<UInt8>) {
        // One copy and one pass in place: appending byte by byte checks the array's
        // uniqueness and capacity for every byte, which shows on the query path.
        lowercased.removeAll(keepingCapacity: true)
        lowercased.append(contentsOf: wire)
        labelOffsets.removeAll(keepingCapacity: true)
        var end = 0
        lowercased.withUnsafeMutableBufferPointer { bytes in
            var offset = 0
            while offset < bytes.count {
                let length = Int(bytes[offset])
                if length == 0 { break }
                labelOffsets.append(offset)
                for index in (offset + 1)...(offset + length) {
                    bytes[index] = asciiLower(bytes[index])
                }
                offset += 1 + length
            }
            end = offset + 1
        }
        // A well-formed name ends at its root label; anything after it is not part of it.
        if end < lowercased.count {
            lowercased.removeSubrange(end...)
        }
    }

    public mutating func set(_ wire: [UInt8]) {
        wire.withUnsafeBufferPointer { set($0) }
    }

    /// Removes the leftmost label, making the name its parent's.
    public mutating func dropFirstLabel() {
        guard let first = labelOffsets.first else { return }
        let cut = 1 + Int(lowercased[first])
        lowercased.removeFirst(cut)
        labelOffsets.removeFirst()
        for index in labelOffsets.indices { labelOffsets[index] -= cut }
    }

    /// Offset of the suffix that has `count` labels.
    @inline(__always)
    public func suffixOffset(labels count: Int) -> Int {
        count == labelOffsets.count ? 0 : (count == 0 ? lowercased.count - 1 : labelOffsets[labelOffsets.count - count])
    }
}

/// Data a zone has for one question, as indices into the zone's flat arrays.
public enum Lookup: Sendable {
    /// The RRset at `rrset` of `node`; `rrset` is -1 for ANY, meaning every RRset there.
    /// `wildcard` is true when the node is a wildcard that matched (RFC 4592 section 3.3.1).
    case answer(node: Int32, rrset: Int32, wildcard: Bool)
    /// A CNAME at the name when another type was asked for; the server follows its target.
    case cname(node: Int32, rrset: Int32, wildcard: Bool)
    /// The name exists (or a wildcard matched) but has no RRset of that type.
    case noData(node: Int32, wildcard: Bool)
    /// The name is at or below the zone cut at node `cut`.
    case referral(cut: Int32)
    /// The name is below the DNAME owned by node `owner` (RFC 6672): the server answers with
    /// the DNAME and a CNAME synthesized from it.
    case dname(owner: Int32)
    /// The name does not exist and no wildcard covers it.
    case nameError
}

extension Zone {
    /// Finds the zone's data for `name` and `type` as RFC 1034 section 4.3.2 step 3 describes,
    /// with the wildcard rules of RFC 4592.
    ///
    /// An existing name is found with one hash lookup. If it lies at or below a zone cut the
    /// answer is a referral, except for DS at the cut itself, which the parent side answers
    /// (RFC 4035 section 3.1.4.1). A missing name is shortened one label at a time until a
    /// node exists: that is the closest encloser, and only its `*` child may synthesize an
    /// answer. Empty non-terminals are real nodes, so they are closest enclosers too and so
    /// block wildcards above them as RFC 4592 section 2.2.2 requires.
    public func find(_ name: inout LookupName, type: RRType) -> Lookup {
        let found = findNode(lowercased: name.lowercased, from: 0)
        if found >= 0 && !isNSEC3Owner(found) {
            let cut = nodes[Int(found)].cut
            if cut >= 0 && !(cut == found && type == .ds) {
                return redirect(cut)
            }
            return match(found, type: type, wildcard: false)
        }

        var labels = name.labelCount - 1
        let apexLabels = origin.labelCount
        var encloser: Int32 = -1
        var encloserOffset = 0
        while labels >= apexLabels {
            encloserOffset = name.suffixOffset(labels: labels)
            encloser = findNode(lowercased: name.lowercased, from: encloserOffset)
            if encloser >= 0 && !isNSEC3Owner(encloser) { break }
            encloser = -1
            labels -= 1
        }
        guard encloser >= 0 else { return .nameError }
        let entry = nodes[Int(encloser)]
        if entry.cut >= 0 {
            return redirect(entry.cut)
        }
        if entry.flags & NodeEntry.dname != 0 {
            return .dname(owner: encloser)
        }
        guard entry.flags & NodeEntry.wildcardChild != 0 else { return .nameError }

        name.wildcard.removeAll(keepingCapacity: true)
        name.wildcard.append(1)
        name.wildcard.append(UInt8(ascii: "*"))
        name.wildcard.append(contentsOf: name.lowercased[encloserOffset...])
        let wildcard = findNode(lowercased: name.wildcard, from: 0)
        guard wildcard >= 0 else { return .nameError }
        return match(wildcard, type: type, wildcard: true)
    }

    /// True for the owner of NSEC3 records only. BIND 9.18 keeps these names apart from the
    /// zone's own, so a query for one gets NXDOMAIN and they are no closest enclosers.
    @inline(__always)
    public func isNSEC3Owner(_ node: Int32) -> Bool {
        guard let dnssec else { return false }
        return dnssec.isNSEC3Owner(node)
    }

    private func redirect(_ node: Int32) -> Lookup {
        nodes[Int(node)].flags & NodeEntry.delegation != 0 ? .referral(cut: node) : .dname(owner: node)
    }

    private func match(_ node: Int32, type: RRType, wildcard: Bool) -> Lookup {
        let entry = nodes[Int(node)]
        if type == .any {
            return entry.rrsetCount == 0 ? .noData(node: node, wildcard: wildcard)
                : .answer(node: node, rrset: -1, wildcard: wildcard)
        }
        let index = rrsetIndex(node: Int(node), type: type.rawValue)
        if index >= 0 {
            return .answer(node: node, rrset: Int32(index), wildcard: wildcard)
        }
        // NSEC, KEY, SIG and RRSIG belong to the name itself, even at a CNAME (RFC 4035
        // section 2.5, RFC 3007 section 3): BIND 9.18 answers them with NODATA there.
        let followsCNAME = type != .nsec && type != .key && type != .sig && type != .rrsig
        let cname = followsCNAME ? rrsetIndex(node: Int(node), type: RRType.cname.rawValue) : -1
        if cname >= 0 {
            return .cname(node: node, rrset: Int32(cname), wildcard: wildcard)
        }
        return .noData(node: node, wildcard: wildcard)
    }

    /// Returns the zone's data for `name` as copies; for tools and tests.
    public func lookup(_ name: DomainName, type: RRType) -> LookupResult {
        var scratch = LookupName()
        scratch.set(name.wire)
        switch find(&scratch, type: type) {
        case .answer(let node, let rrset, let wildcard):
            let owner = wildcard ? name : nodeName(Int(node))
            let sets = rrset >= 0 ? [copyRRSet(Int(rrset), owner: owner)] : copyNodeRRSets(Int(node), owner: owner)
            return .answer(sets, synthesizedFrom: wildcard ? nodeName(Int(node)) : nil)
        case .cname(let node, let rrset, let wildcard):
            let owner = wildcard ? name : nodeName(Int(node))
            return .cname(copyRRSet(Int(rrset), owner: owner), synthesizedFrom: wildcard ? nodeName(Int(node)) : nil)
        case .noData(let node, let wildcard):
            return .noData(synthesizedFrom: wildcard ? nodeName(Int(node)) : nil)
        case .referral(let cut):
            let node = copyNode(Int(cut))
            return .referral(cut: node, ns: node.rrset(.ns)!)
        case .dname(let owner):
            return .dname(copyRRSet(rrsetIndex(node: Int(owner), type: RRType.dname.rawValue), owner: nodeName(Int(owner))))
        case .nameError:
            return .nameError
        }
    }

    private func copyNodeRRSets(_ node: Int, owner: DomainName) -> [RRSet] {
        let entry = nodes[node]
        return (Int(entry.rrsetStart)..<Int(entry.rrsetStart + entry.rrsetCount)).map { copyRRSet($0, owner: owner) }
    }
}

/// Data a zone has for one question, as copies (see `Zone.lookup`).
public enum LookupResult: Sendable {
    case answer([RRSet], synthesizedFrom: DomainName?)
    case cname(RRSet, synthesizedFrom: DomainName?)
    case noData(synthesizedFrom: DomainName?)
    case referral(cut: ZoneNode, ns: RRSet)
    case dname(RRSet)
    case nameError
}
