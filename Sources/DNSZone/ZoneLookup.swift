import DNSWire

/// What a zone holds for one question, before the server turns it into a response.
public enum LookupResult: Sendable {
    /// The RRset of the question's type at the name (for ANY: every RRset there).
    /// `synthesizedFrom` names the wildcard the answer came from (RFC 4592 section 3.3.1).
    case answer([RRSet], synthesizedFrom: DomainName?)
    /// A CNAME at the name when another type was asked for; the server restarts at its target.
    case cname(RRSet, synthesizedFrom: DomainName?)
    /// The name exists (or a wildcard matched) but holds no RRset of that type.
    case noData(synthesizedFrom: DomainName?)
    /// The name is at or below a zone cut: NS RRset of the cut and the cut's name.
    case referral(cut: ZoneNode, ns: RRSet)
    /// The name does not exist and no wildcard covers it.
    case nameError
}

extension Zone {
    /// Finds the zone's data for `name` and `type` as RFC 1034 section 4.3.2 step 3 describes,
    /// with the wildcard rules of RFC 4592.
    ///
    /// The walk goes down one label at a time from the apex. A zone cut on the way (NS at a name
    /// other than the apex) ends it with a referral, except for DS at the cut itself, which the
    /// parent side answers (RFC 4035 section 3.1.4.1). When a label is missing, the deepest
    /// existing name is the closest encloser, and only its `*` child may synthesize an answer.
    /// Empty non-terminals are real nodes here, so they end the walk as existing names and so
    /// block wildcards below them as RFC 4592 requires.
    public func lookup(_ name: DomainName, type: RRType) -> LookupResult {
        let total = name.labelCount
        let apexLabels = origin.labelCount
        precondition(total >= apexLabels, "lookup of a name outside the zone")

        var encloser = origin
        var depth = apexLabels
        while depth < total {
            depth += 1
            let candidate = name.suffix(labelCount: depth)
            guard let node = nodes[candidate] else {
                return wildcardLookup(closestEncloser: encloser, type: type)
            }
            if node.isDelegation, let ns = node.rrset(.ns) {
                if depth < total || type != .ds {
                    return .referral(cut: node, ns: ns)
                }
            }
            encloser = candidate
        }
        guard let node = nodes[name] else { return .nameError }
        return match(node, type: type, synthesizedFrom: nil)
    }

    private func wildcardLookup(closestEncloser: DomainName, type: RRType) -> LookupResult {
        guard let wildcardName = try? closestEncloser.prepending(label: [UInt8(ascii: "*")]),
            let wildcard = nodes[wildcardName]
        else {
            return .nameError
        }
        return match(wildcard, type: type, synthesizedFrom: wildcardName)
    }

    private func match(_ node: ZoneNode, type: RRType, synthesizedFrom: DomainName?) -> LookupResult {
        if type == .any {
            return node.rrsets.isEmpty ? .noData(synthesizedFrom: synthesizedFrom)
                : .answer(node.rrsets, synthesizedFrom: synthesizedFrom)
        }
        if let rrset = node.rrset(type) {
            return .answer([rrset], synthesizedFrom: synthesizedFrom)
        }
        if let cname = node.rrset(.cname) {
            return .cname(cname, synthesizedFrom: synthesizedFrom)
        }
        return .noData(synthesizedFrom: synthesizedFrom)
    }
}
