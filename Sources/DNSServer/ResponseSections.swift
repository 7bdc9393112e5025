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
        guard !state.truncated, !state.restartsExhausted, let zone = state.finalZone else { return }
        switch state.outcome {
        case .positive:
            // BIND 9.18 also leaves both sections empty for DS, DNSKEY, CDS and CDNSKEY
            // questions, and when a UDP client advertises 512 octets or less (referrals and
            // negative answers keep theirs).
            let type = RRType(rawValue: query.type)
            let minimal = policy.minimalResponses == .yes || state.smallUDPBuffer
                || type == .ds || type == .dnskey || type == .cds || type == .cdnskey
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
            // BIND 9.18 adds the NS RRset only when the last name looked up was in the zone.
            if wantsAuthority && ns >= 0 && !answeredNS && !state.leftZone {
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
        // NOTE: `zero-no-soa-ttl no;` in named.conf is accepted but does not turn this off.
        var ttl = zone.negativeTTL
        if case .nameError = state.outcome, query.type == RRType.soa.rawValue { ttl = 0 }
        _ = writeRRSet(zone, rrset: soa, ownerNode: apex, section: .authority, ttl: ttl)
    }

    /// Adds A and AAAA RRsets of the targets noted in `state.additional`, each target once.
    /// Without `glue` only authoritative targets are used. With `glue`, for a referral, only
    /// targets at or below a zone cut are used: BIND 9.18 leaves out the addresses of a name
    /// server that is authoritative data of the zone, even when they are at hand.
    private mutating func writeAdditionalAddresses(glue: Bool) {
        var source = 0
        while source < state.additional.count {
            let (zone, rrset) = state.additional[source]
            source += 1
            let entry = zone.rrsets[Int(rrset)]
            for index in Int(entry.targetStart)..<Int(entry.targetStart + entry.targetCount) {
                let target = zone.targets[index]
                // NOTE: a second target name synthesized by the same wildcard is left out here,
                // where BIND 9.18 adds its addresses too.
                guard target != -1, !state.addedTargets.contains(target) else { continue }
                let wildcard = target < -1
                let node = wildcard ? -2 - target : target
                if glue != (zone.nodes[Int(node)].cut >= 0) { continue }
                state.addedTargets.append(target)
                let key = ObjectIdentifier(zone)
                for type in [RRType.a.rawValue, RRType.aaaa.rawValue] {
                    let set = zone.rrsetIndex(node: Int(node), type: type)
                    // An RRset already in the answer section is not repeated, as in BIND 9.18.
                    let answered = state.written.contains { $0.zone == key && Int($0.rrset) == set && !$0.wildcard }
                    guard set >= 0 && !answered else { continue }
                    if wildcard {
                        // The owner is the target name from the RDATA, in the wildcard's case.
                        // NOTE: with DO these addresses go out without their signatures, whose
                        // owner would also have to be the synthesized name.
                        let record = Int(entry.rdataStart) + index - Int(entry.targetStart)
                        let nameStart = Int(zone.rdataOffsets[record]) + Self.targetOffset(type: entry.type)
                        let nameEnd = Int(zone.rdataOffsets[record + 1])
                        zone.rdata.withUnsafeBufferPointer { rdata in
                            Self.synthesizeOwner(UnsafeBufferPointer(rebasing: rdata[nameStart..<nameEnd]),
                                                 wildcard: node, in: zone, into: &wildcardOwner)
                        }
                        _ = wildcardOwner.withUnsafeBufferPointer { owner in
                            writeRRSet(zone, rrset: set, owner: owner, section: .additional, signatures: false)
                        }
                    } else if writeRRSet(zone, rrset: set, ownerNode: Int(node), section: .additional, signatures: false)
                        && query.dnssecOK
                    {
                        state.signedAdditional.append((zone, Int32(set), node))
                    }
                }
            }
        }
        writeAdditionalSignatures()
    }

    /// Returns the offset of the target name in NS (0), MX (2) and SRV (6) RDATA.
    static func targetOffset(type: UInt16) -> Int {
        switch type {
        case RRType.mx.rawValue: 2
        case RRType.srv.rawValue: 6
        default: 0
        }
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
        guard !state.truncated, !(section == .additional && state.additionalFull) else { return false }
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
            if section == .additional {
                // Like BIND 9.18, add nothing more to the additional section once an RRset
                // does not fit, even a smaller one.
                state.additionalFull = true
            } else {
                state.truncated = true
            }
        }
        return written
    }
}
