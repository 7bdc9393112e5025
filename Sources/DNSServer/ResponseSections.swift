import DNSWire
import DNSZone
import NamedConfig

extension QueryResponder {
    /// Fills the authority and additional sections once the answer section is complete.
    ///
    /// Positive answers carry the zone's NS RRset in authority as `minimal-responses` says
    /// (BIND 9.18's default, no-auth-recursive, adds it only when RD is clear), and the
    /// addresses of NS, MX and SRV targets in additional. Negative answers carry the SOA with
    /// the negative TTL (RFC 2308 section 3). Referrals carry the cut's NS RRset and its glue.
    mutating func writeAuthorityAndAdditional(policy: ResponsePolicy) {
        guard !state.truncated, let zone = state.finalZone else { return }
        switch state.outcome {
        case .positive:
            // BIND 9.18 also leaves both sections empty for DS and DNSKEY questions, and when a
            // UDP client advertises 512 octets or less.
            let minimal = policy.minimalResponses == .yes || state.smallUDPBuffer
                || query.type == RRType.ds.rawValue || query.type == RRType.dnskey.rawValue
            var wantsAuthority: Bool
            switch policy.minimalResponses {
            case .no: wantsAuthority = true
            case .yes, .noAuth: wantsAuthority = false
            case .noAuthRecursive: wantsAuthority = !query.recursionDesired
            }
            if minimal { wantsAuthority = false }
            let apex = Int(zone.apexIndex)
            let ns = zone.rrsetIndex(node: apex, type: RRType.ns.rawValue)
            let key = ObjectIdentifier(zone)
            let answeredNS = state.written.contains { $0.zone == key && Int($0.rrset) == ns }
            if wantsAuthority && ns >= 0 && !answeredNS {
                if writeRRSet(zone, rrset: ns, ownerNode: apex, section: .authority) {
                    state.additional.append((zone, Int32(ns)))
                }
            }
            writeDNSSECProofs(zone)
            // ANY gets no additional section, not even for the NS RRset in authority.
            if !minimal && query.type != RRType.any.rawValue {
                writeAdditionalAddresses(glue: false)
            }
        case .noData, .nameError:
            writeNegativeSOA(zone)
            writeDNSSECProofs(zone)
        case .referral(let cut):
            let ns = zone.rrsetIndex(node: Int(cut), type: RRType.ns.rawValue)
            if ns >= 0 && writeRRSet(zone, rrset: ns, ownerNode: Int(cut), section: .authority) {
                state.additional.append((zone, Int32(ns)))
                writeDNSSECProofs(zone)
                writeAdditionalAddresses(glue: true)
            }
        case .none:
            break
        }
    }

    private mutating func writeNegativeSOA(_ zone: Zone) {
        let apex = Int(zone.apexIndex)
        let soa = zone.rrsetIndex(node: apex, type: RRType.soa.rawValue)
        guard soa >= 0 else { return }
        // BIND 9.18 (zero-no-soa-ttl, on by default) gives the SOA of an NXDOMAIN answer to an
        // SOA question TTL 0, so that a client looking for the zone of a name does not cache it.
        var ttl = zone.negativeTTL
        if case .nameError = state.outcome, query.type == RRType.soa.rawValue { ttl = 0 }
        _ = writeRRSet(zone, rrset: soa, ownerNode: apex, section: .authority, ttl: ttl)
    }

    /// Adds A and AAAA RRsets of the targets noted in `state.additional`, each target once.
    /// With `glue`, targets below a zone cut are used too, as a referral needs them.
    private mutating func writeAdditionalAddresses(glue: Bool) {
        var source = 0
        while source < state.additional.count {
            let (zone, rrset) = state.additional[source]
            source += 1
            let entry = zone.rrsets[Int(rrset)]
            for index in Int(entry.targetStart)..<Int(entry.targetStart + entry.targetCount) {
                let target = zone.targets[index]
                guard target >= 0, !state.addedTargets.contains(target) else { continue }
                if !glue && zone.nodes[Int(target)].cut >= 0 { continue }
                state.addedTargets.append(target)
                for type in [RRType.a.rawValue, RRType.aaaa.rawValue] {
                    let set = zone.rrsetIndex(node: Int(target), type: type)
                    // An RRset in the answer section is not repeated here, as in BIND 9.18.
                    let key = ObjectIdentifier(zone)
                    if set >= 0 && state.written.contains(where: { $0.zone == key && Int($0.rrset) == set }) {
                        continue
                    }
                    if set >= 0 && writeRRSet(zone, rrset: set, ownerNode: Int(target), section: .additional,
                                              signatures: false) && query.dnssecOK
                    {
                        state.signedAdditional.append((zone, Int32(set), target))
                    }
                }
            }
        }
        writeAdditionalSignatures()
    }

    /// Writes a whole RRset owned by a node of the zone, with the node's stored name.
    mutating func writeRRSet(_ zone: Zone, rrset: Int, ownerNode: Int, section: MessageSection, ttl: UInt32? = nil,
                             signatures: Bool = true) -> Bool {
        let node = zone.nodes[ownerNode]
        return zone.names.withUnsafeBufferPointer { names in
            let owner = UnsafeBufferPointer(rebasing: names[Int(node.nameOffset)..<(Int(node.nameOffset) + Int(node.nameLength))])
            return writeRRSet(zone, rrset: rrset, owner: owner, section: section, ttl: ttl, signatures: signatures)
        }
    }

    /// Writes a whole RRset or, when it does not fit, none of it: in the answer and authority
    /// sections that truncates the response (TC), in additional the RRset is left out. With DO
    /// and `signatures`, the RRset's RRSIG records follow it and must fit too, with the same TTL.
    mutating func writeRRSet(_ zone: Zone, rrset: Int, owner: UnsafeBufferPointer<UInt8>, section: MessageSection,
                             ttl: UInt32? = nil, signatures: Bool = true) -> Bool {
        guard !state.truncated else { return false }
        let entry = zone.rrsets[rrset]
        if entry.type == RRType.rrsig.rawValue, let dnssec = zone.dnssec {
            return writeSignatureGroups(zone, dnssec, rrsigSet: rrset, owner: owner, section: section)
        }
        let recordTTL = ttl ?? entry.ttl
        let checkpoint = writer.checkpoint()
        var written = zone.rdata.withUnsafeBufferPointer { rdata -> Bool in
            for record in Int(entry.rdataStart)..<Int(entry.rdataStart + entry.rdataCount) {
                let start = Int(zone.rdataOffsets[record])
                let end = Int(zone.rdataOffsets[record + 1])
                let fits = writer.writeRecord(owner: owner, type: entry.type, rrClass: entry.rrClass, ttl: recordTTL,
                                              rdata: UnsafeBufferPointer(rebasing: rdata[start..<end]), section: section)
                if !fits { return false }
            }
            return true
        }
        if written && signatures && query.dnssecOK, let dnssec = zone.dnssec {
            let group = dnssec.group(covering: rrset)
            if group >= 0 {
                written = writeSignatures(zone, dnssec, group: group, owner: owner, section: section, ttl: recordTTL)
            }
        }
        if !written {
            writer.restore(checkpoint)
            if section != .additional {
                state.truncated = true
            }
        }
        return written
    }
}
