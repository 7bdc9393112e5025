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
    mutating func writeAuthorityAndAdditional(policy: ResponsePolicy, transport: Transport) {
        guard !state.truncated, !state.restartsExhausted, let zone = state.finalZone else { return }
        switch state.outcome {
        case .positive:
            // BIND 9.18 answers a UDP query whose EDNS UDP size is 512 or less (raised to 512
            // when smaller) with the answer section alone, however much room is left.
            // Referrals and negative answers keep their authority section.
            if transport == .udp && query.hasEDNS && query.ednsPayloadSize <= 512 { return }
            // BIND 9.18 also answers DS, DNSKEY, CDS and CDNSKEY questions with the answer alone.
            let type = RRType(rawValue: query.type)
            if type == .ds || type == .dnskey || type == .cds || type == .cdnskey { return }
            let wantsAuthority: Bool
            switch policy.minimalResponses {
            case .no: wantsAuthority = true
            case .yes, .noAuth: wantsAuthority = false
            case .noAuthRecursive: wantsAuthority = !query.recursionDesired
            }
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
            // ANY gets no addresses in additional, not even for the NS RRset in authority.
            if policy.minimalResponses != .yes && query.type != RRType.any.rawValue {
                writeAdditionalAddresses(glue: false)
            }
        case .noData:
            writeNegativeSOA(zone, ttl: zone.negativeTTL)
        case .nameError:
            // BIND 9.18 gives the SOA TTL 0 in an NXDOMAIN answer to an SOA question (checked
            // against Debian's 9.18.49; NODATA keeps the negative TTL). This is its
            // zero-no-soa-ttl option, on by default.
            // NOTE: `zero-no-soa-ttl no;` in named.conf is accepted but does not turn this off.
            writeNegativeSOA(zone, ttl: query.type == RRType.soa.rawValue ? 0 : zone.negativeTTL)
        case .referral(let cut):
            let ns = zone.rrsetIndex(node: Int(cut), type: RRType.ns.rawValue)
            if ns >= 0 && writeRRSet(zone, rrset: ns, ownerNode: Int(cut), section: .authority) {
                state.additional.append((zone, Int32(ns)))
                writeAdditionalAddresses(glue: true)
            }
        case .none:
            break
        }
    }

    private mutating func writeNegativeSOA(_ zone: Zone, ttl: UInt32) {
        let apex = Int(zone.apexIndex)
        let soa = zone.rrsetIndex(node: apex, type: RRType.soa.rawValue)
        guard soa >= 0 else { return }
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
                        // The owner is the target name as the RDATA spells it.
                        let record = Int(entry.rdataStart) + index - Int(entry.targetStart)
                        let nameStart = Int(zone.rdataOffsets[record]) + Self.targetOffset(type: entry.type)
                        let nameEnd = Int(zone.rdataOffsets[record + 1])
                        _ = zone.rdata.withUnsafeBufferPointer { rdata in
                            writeRRSet(zone, rrset: set, owner: UnsafeBufferPointer(rebasing: rdata[nameStart..<nameEnd]),
                                       section: .additional)
                        }
                    } else {
                        _ = writeRRSet(zone, rrset: set, ownerNode: Int(node), section: .additional)
                    }
                }
            }
        }
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
    mutating func writeRRSet(_ zone: Zone, rrset: Int, ownerNode: Int, section: MessageSection, ttl: UInt32? = nil) -> Bool {
        let node = zone.nodes[ownerNode]
        return zone.names.withUnsafeBufferPointer { names in
            let owner = UnsafeBufferPointer(rebasing: names[Int(node.nameOffset)..<(Int(node.nameOffset) + Int(node.nameLength))])
            return writeRRSet(zone, rrset: rrset, owner: owner, section: section, ttl: ttl)
        }
    }

    /// Writes a whole RRset or, when it does not fit, none of it: in the answer and authority
    /// sections that truncates the response (TC), in additional the RRset is left out.
    mutating func writeRRSet(_ zone: Zone, rrset: Int, owner: UnsafeBufferPointer<UInt8>, section: MessageSection,
                             ttl: UInt32? = nil) -> Bool {
        guard !state.truncated, !(section == .additional && state.additionalFull) else { return false }
        let entry = zone.rrsets[rrset]
        let recordTTL = ttl ?? entry.ttl
        let checkpoint = writer.checkpoint()
        let written = zone.rdata.withUnsafeBufferPointer { rdata -> Bool in
            for record in Int(entry.rdataStart)..<Int(entry.rdataStart + entry.rdataCount) {
                let start = Int(zone.rdataOffsets[record])
                let end = Int(zone.rdataOffsets[record + 1])
                let fits = writer.writeRecord(owner: owner, type: entry.type, rrClass: entry.rrClass, ttl: recordTTL,
                                              rdata: UnsafeBufferPointer(rebasing: rdata[start..<end]), section: section)
                if !fits { return false }
            }
            return true
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
