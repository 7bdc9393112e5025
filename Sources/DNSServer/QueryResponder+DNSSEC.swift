import DNSWire
import DNSZone

/// DNSSEC additions to responses from pre-signed zones, as BIND 9.18 makes them.
///
/// With the DO bit set (RFC 3225), every RRset written carries its RRSIG records, because
/// `writeRRSet` calls `writeSignatures`. Each lookup step also notes the records that prove
/// what does not exist: NSEC records (RFC 4035 section 3.1.3), NSEC3 records (RFC 5155
/// section 7.2) or the DS RRset of a signed delegation. `writeDNSSECProofs` puts them in the
/// authority section once the answer section is complete.
extension QueryResponder {
    /// Notes the proofs that the outcome of one lookup step needs in the authority section.
    /// `name` is the name that was looked up.
    mutating func noteDNSSECProofs(for lookup: Lookup, in zone: Zone) {
        guard query.dnssecOK, let dnssec = zone.dnssec else { return }
        let useNSEC = !dnssec.nsecNodes.isEmpty
        guard useNSEC || dnssec.hasNSEC3 else { return }

        switch lookup {
        case .answer(let node, _, let wildcard), .cname(let node, _, let wildcard):
            guard wildcard else { return }
            // RFC 4035 section 3.1.3.3 and RFC 5155 section 7.2.6: the name itself does not exist.
            let encloserLabels = zone.labelCount(ofNode: Int(node)) - 1
            if useNSEC {
                notePredecessorNSEC(zone, dnssec, name: name.lowercased, from: 0)
            } else {
                noteNSEC3(zone, dnssec, offset: name.suffixOffset(labels: encloserLabels + 1), matching: false)
            }
        case .noData(let node, let wildcard):
            if wildcard {
                noteWildcardNoData(zone, dnssec, wildcardNode: node, useNSEC: useNSEC)
            } else if useNSEC {
                // RFC 4035 section 3.1.3.1. An empty non-terminal has no NSEC of its own, so the
                // NSEC that covers it shows that nothing exists at the name.
                let own = zone.rrsetIndex(node: Int(node), type: RRType.nsec.rawValue)
                if own >= 0 {
                    noteProof(rrset: own, node: Int(node))
                } else {
                    notePredecessorNSEC(zone, dnssec, name: name.lowercased, from: 0)
                }
            } else {
                noteNSEC3NoData(zone, dnssec, labels: name.labelCount)
            }
        case .nameError:
            noteNameError(zone, dnssec, useNSEC: useNSEC)
        case .referral(let cut):
            noteDelegation(zone, dnssec, cut: cut, useNSEC: useNSEC)
        case .dname:
            break
        }
    }

    /// Writes the noted proofs, each with its signatures, into the authority section.
    mutating func writeDNSSECProofs(_ zone: Zone) {
        var index = 0
        while index < state.proofs.count {
            let proof = state.proofs[index]
            _ = writeRRSet(zone, rrset: Int(proof.rrset), ownerNode: Int(proof.node), section: .authority)
            index += 1
        }
    }

    /// Writes the RRSIG records of signature group `group` with `owner` and `ttl`. Returns
    /// false when they do not fit; the caller then restores its checkpoint.
    mutating func writeSignatures(_ zone: Zone, _ dnssec: DNSSECIndex, group: Int, owner: UnsafeBufferPointer<UInt8>,
                                  section: MessageSection, ttl: UInt32) -> Bool {
        let entry = dnssec.groups[group]
        let rrsigSet = zone.rrsets[Int(entry.rrsigSet)]
        return zone.rdata.withUnsafeBufferPointer { rdata in
            var position = Int(entry.recordStart)
            let end = position + Int(entry.recordCount)
            while position < end {
                let record = Int(dnssec.groupRecords[position])
                let start = Int(zone.rdataOffsets[record])
                let stop = Int(zone.rdataOffsets[record + 1])
                let fits = writer.writeRecord(owner: owner, type: RRType.rrsig.rawValue, rrClass: rrsigSet.rrClass,
                                              ttl: ttl, rdata: UnsafeBufferPointer(rebasing: rdata[start..<stop]),
                                              section: section)
                if !fits { return false }
                position += 1
            }
            return true
        }
    }

    /// Writes a node's RRSIG RRset as BIND serves it for type RRSIG or ANY: one group per
    /// covered type, each with the covered RRset's TTL.
    mutating func writeSignatureGroups(_ zone: Zone, _ dnssec: DNSSECIndex, rrsigSet: Int,
                                       owner: UnsafeBufferPointer<UInt8>, section: MessageSection) -> Bool {
        let checkpoint = writer.checkpoint()
        var group = dnssec.group(covering: rrsigSet)
        while group >= 0 && group < dnssec.groups.count && Int(dnssec.groups[group].rrsigSet) == rrsigSet {
            guard writeSignatures(zone, dnssec, group: group, owner: owner, section: section,
                                  ttl: dnssec.groups[group].ttl)
            else {
                writer.restore(checkpoint)
                if section != .additional { state.truncated = true }
                return false
            }
            group += 1
        }
        return true
    }

    /// Writes the signatures of the additional-section RRsets noted in `state.signedAdditional`.
    /// BIND 9.18 renders the additional section's addresses before any RRSIG, and leaves out
    /// what does not fit without setting TC.
    mutating func writeAdditionalSignatures() {
        var index = 0
        while index < state.signedAdditional.count {
            let (zone, rrset, node) = state.signedAdditional[index]
            index += 1
            guard let dnssec = zone.dnssec else { continue }
            let group = dnssec.group(covering: Int(rrset))
            guard group >= 0 else { continue }
            let entry = zone.nodes[Int(node)]
            let checkpoint = writer.checkpoint()
            let fits = zone.names.withUnsafeBufferPointer { names in
                writeSignatures(zone, dnssec, group: group,
                                owner: UnsafeBufferPointer(rebasing: names[Int(entry.nameOffset)..<(Int(entry.nameOffset) + Int(entry.nameLength))]),
                                section: .additional, ttl: zone.rrsets[Int(rrset)].ttl)
            }
            if !fits { writer.restore(checkpoint) }
        }
    }

    // MARK: - Proofs

    private mutating func noteProof(rrset: Int, node: Int) {
        guard rrset >= 0 else { return }
        if state.proofs.contains(where: { $0.rrset == Int32(rrset) }) { return }
        state.proofs.append((Int32(rrset), Int32(node)))
    }

    /// Notes the NSEC whose owner precedes the lower-cased wire name `bytes[start...]`.
    private mutating func notePredecessorNSEC(_ zone: Zone, _ dnssec: DNSSECIndex, name bytes: [UInt8], from start: Int) {
        let node = bytes.withUnsafeBufferPointer { dnssec.nsecPredecessor(in: zone, name: $0, from: start) }
        guard node >= 0 else { return }
        noteProof(rrset: zone.rrsetIndex(node: Int(node), type: RRType.nsec.rawValue), node: Int(node))
    }

    /// Hashes the suffix of `bytes` at `offset` and notes the NSEC3 that matches it or, unless
    /// `matching` is required, the one that covers it. Returns true when one matched.
    @discardableResult
    private mutating func noteNSEC3(_ zone: Zone, _ dnssec: DNSSECIndex, bytes: [UInt8], offset: Int,
                                    matching required: Bool) -> Bool {
        var digest: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let position = withUnsafeMutableBytes(of: &digest) { raw -> (match: Int, cover: Int) in
            bytes.withUnsafeBufferPointer { dnssec.nsec3Hash($0, from: offset, into: raw.baseAddress!) }
            let view = UnsafeRawBufferPointer(raw)
            let match = dnssec.nsec3Matching(view)
            return (match, match >= 0 || required ? -1 : dnssec.nsec3Covering(view))
        }
        let chosen = position.match >= 0 ? position.match : position.cover
        if chosen >= 0 {
            noteProof(rrset: Int(dnssec.nsec3Sets[chosen]), node: Int(dnssec.nsec3Nodes[chosen]))
        }
        return position.match >= 0
    }

    private mutating func noteNSEC3(_ zone: Zone, _ dnssec: DNSSECIndex, offset: Int, matching required: Bool) {
        noteNSEC3(zone, dnssec, bytes: name.lowercased, offset: offset, matching: required)
    }

    /// Notes the closest encloser proof (RFC 5155 section 7.2.1) for the name's suffix of
    /// `labels` labels: the NSEC3 matching its closest provable encloser and the one covering
    /// the next closer name. Returns the encloser's label count.
    @discardableResult
    private mutating func noteClosestEncloserProof(_ zone: Zone, _ dnssec: DNSSECIndex, labels: Int) -> Int {
        let apexLabels = zone.origin.labelCount
        var encloser = labels
        while encloser > apexLabels {
            if hasMatchingNSEC3(dnssec, offset: name.suffixOffset(labels: encloser)) { break }
            encloser -= 1
        }
        noteNSEC3(zone, dnssec, offset: name.suffixOffset(labels: encloser), matching: true)
        if encloser < name.labelCount {
            noteNSEC3(zone, dnssec, offset: name.suffixOffset(labels: encloser + 1), matching: false)
        }
        return encloser
    }

    private func hasMatchingNSEC3(_ dnssec: DNSSECIndex, offset: Int) -> Bool {
        var digest: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &digest) { raw in
            name.lowercased.withUnsafeBufferPointer { dnssec.nsec3Hash($0, from: offset, into: raw.baseAddress!) }
            return dnssec.nsec3Matching(UnsafeRawBufferPointer(raw)) >= 0
        }
    }

    /// Notes the NODATA proof of an NSEC3 zone (RFC 5155 sections 7.2.3 and 7.2.4): the NSEC3
    /// matching the name or, when an opt-out span contains no NSEC3 for it, the closest
    /// encloser proof.
    private mutating func noteNSEC3NoData(_ zone: Zone, _ dnssec: DNSSECIndex, labels: Int) {
        if noteNSEC3(zone, dnssec, bytes: name.lowercased, offset: name.suffixOffset(labels: labels), matching: true) {
            return
        }
        noteClosestEncloserProof(zone, dnssec, labels: labels - 1)
    }

    /// Notes the proof of NODATA from a wildcard: RFC 4035 section 3.1.3.4 (the wildcard's NSEC and the NSEC
    /// covering the name) or RFC 5155 section 7.2.5 (closest encloser proof and the NSEC3
    /// matching the wildcard).
    private mutating func noteWildcardNoData(_ zone: Zone, _ dnssec: DNSSECIndex, wildcardNode: Int32, useNSEC: Bool) {
        let encloserLabels = zone.labelCount(ofNode: Int(wildcardNode)) - 1
        if useNSEC {
            noteProof(rrset: zone.rrsetIndex(node: Int(wildcardNode), type: RRType.nsec.rawValue), node: Int(wildcardNode))
            notePredecessorNSEC(zone, dnssec, name: name.lowercased, from: 0)
            return
        }
        noteNSEC3(zone, dnssec, offset: name.suffixOffset(labels: encloserLabels), matching: true)
        noteNSEC3(zone, dnssec, offset: name.suffixOffset(labels: encloserLabels + 1), matching: false)
        loadWildcardName(encloserOffset: name.suffixOffset(labels: encloserLabels))
        noteNSEC3(zone, dnssec, bytes: state.proofName, offset: 0, matching: true)
    }

    /// Notes the NXDOMAIN proof: RFC 4035 section 3.1.3.2 (NSEC covering the name and NSEC covering the
    /// wildcard at the closest encloser) or RFC 5155 section 7.2.2 (closest encloser proof
    /// and the NSEC3 covering the wildcard).
    private mutating func noteNameError(_ zone: Zone, _ dnssec: DNSSECIndex, useNSEC: Bool) {
        var encloserLabels = closestEncloserLabels(zone)
        if useNSEC {
            notePredecessorNSEC(zone, dnssec, name: name.lowercased, from: 0)
            loadWildcardName(encloserOffset: name.suffixOffset(labels: encloserLabels))
            notePredecessorNSEC(zone, dnssec, name: state.proofName, from: 0)
            return
        }
        encloserLabels = noteClosestEncloserProof(zone, dnssec, labels: encloserLabels)
        loadWildcardName(encloserOffset: name.suffixOffset(labels: encloserLabels))
        noteNSEC3(zone, dnssec, bytes: state.proofName, offset: 0, matching: false)
    }

    /// Notes what a referral needs (RFC 4035 section 3.1.4): the DS RRset of a signed
    /// delegation, or else the proof that it has none. That proof is the NSEC at the cut, the
    /// NSEC3 matching it, or in an opt-out span the closest encloser proof (RFC 5155 section
    /// 7.2.7).
    private mutating func noteDelegation(_ zone: Zone, _ dnssec: DNSSECIndex, cut: Int32, useNSEC: Bool) {
        let ds = zone.rrsetIndex(node: Int(cut), type: RRType.ds.rawValue)
        if ds >= 0 {
            noteProof(rrset: ds, node: Int(cut))
        } else if useNSEC {
            noteProof(rrset: zone.rrsetIndex(node: Int(cut), type: RRType.nsec.rawValue), node: Int(cut))
        } else {
            noteNSEC3NoData(zone, dnssec, labels: zone.labelCount(ofNode: Int(cut)))
        }
    }

    /// Returns the label count of the closest encloser of `name`, which does not exist: its longest
    /// ancestor that is a node of the zone (NSEC3 owners excepted).
    private func closestEncloserLabels(_ zone: Zone) -> Int {
        var labels = name.labelCount - 1
        let apexLabels = zone.origin.labelCount
        while labels > apexLabels {
            let node = name.lowercased.withUnsafeBufferPointer {
                zone.findNode(lowercased: $0, from: name.suffixOffset(labels: labels))
            }
            if node >= 0 && !zone.isNSEC3Owner(node) { break }
            labels -= 1
        }
        return labels
    }

    /// Puts `*.` and the suffix of `name` at `encloserOffset` into `state.proofName`.
    private mutating func loadWildcardName(encloserOffset: Int) {
        state.proofName.removeAll(keepingCapacity: true)
        state.proofName.append(1)
        state.proofName.append(UInt8(ascii: "*"))
        state.proofName.append(contentsOf: name.lowercased[encloserOffset...])
    }
}

extension Zone {
    /// Number of labels of a node's name, the root label not counted.
    func labelCount(ofNode node: Int) -> Int {
        var count = 0
        var offset = Int(nodes[node].nameOffset)
        while names[offset] != 0 {
            count += 1
            offset += 1 + Int(names[offset])
        }
        return count
    }
}
