import DNSWire
import DNSZone
import NamedConfig

/// The transport a query arrived on; it sets the response size limit.
public enum Transport: Sendable {
    case udp, tcp
}

/// Builds the response to one query into a caller's buffer without allocating.
///
/// The steps follow RFC 1034 section 4.3.2: check the message, pick the closest zone, look the
/// name up, follow CNAMEs inside that zone, then fill the authority and additional
/// sections as BIND 9.18 does. Each step is a method below; `respond` shows the sequence.
public struct QueryResponder {
    /// CNAME links followed for one query before the response is sent as it is
    /// (BIND 9.18 also stops after 11 restarts).
    public static let maxRestarts = 11

    var writer = ResponseWriter()
    var query = ParsedQuery()
    var name = LookupName()
    /// The name being looked up in original case: the question's, then each CNAME target's.
    var currentName: [UInt8] = []
    /// The target of a CNAME synthesized from a DNAME.
    var synthesized: [UInt8] = []
    /// The owner of records synthesized from a wildcard.
    var wildcardOwner: [UInt8] = []
    var state = AnswerState()
    /// The class of the last query's COOKIE option, nil when it had none or cookies are off.
    var cookieCheck: ServerCookie.Check?

    public init() {
        currentName.reserveCapacity(DomainName.maxWireLength)
        synthesized.reserveCapacity(DomainName.maxWireLength)
        wildcardOwner.reserveCapacity(DomainName.maxWireLength)
        state.written.reserveCapacity(QueryResponder.maxRestarts + 2)
        state.additional.reserveCapacity(QueryResponder.maxRestarts + 2)
        state.addedTargets.reserveCapacity(32)
        state.proofs.reserveCapacity(64)
        state.signedAdditional.reserveCapacity(64)
        state.proofName.reserveCapacity(DomainName.maxWireLength + 2)
        state.synthesizedOwners.reserveCapacity(names: QueryResponder.maxRestarts + 1)
        state.wildcardOwners.reserveCapacity(names: QueryResponder.maxRestarts + 16)
    }

    /// Writes the response to `message` into `destination` (room for `capacity` bytes) and
    /// returns its length, or 0 when nothing must be sent: a message shorter than a header,
    /// or one with QR set (RFC 1035 section 4.1.1).
    public mutating func respond(to message: UnsafeRawBufferPointer, into destination: UnsafeMutablePointer<UInt8>,
                                 capacity: Int, from client: IPAddress, transport: Transport,
                                 snapshot: ServerSnapshot) -> Int {
        cookieCheck = nil
        let outcome = QueryParser.parse(message, into: &query)
        var flags: UInt16 = 0x8000 | (query.flags & 0x7910)  // QR, opcode, RD and CD copied
        writer.start(in: destination, limit: capacity)
        writer.writeHeader(id: query.id, flags: flags)

        switch outcome {
        case .drop:
            return 0
        case .formatError(let questionParsed):
            if questionParsed {
                writeQuestion(message)
            }
            if query.optionError {
                // An unreadable EDNS option, such as a COOKIE of a wrong length: BIND answers with
                // an OPT record but without the option.
                _ = writer.writeOPT(payloadSize: snapshot.policy.ednsUDPSize, extendedRCode: 0, dnssecOK: query.dnssecOK)
            }
            writer.setFlags(flags | RCode.formErr.rawValue)
            writer.finishCounts()
            return writer.count
        case .valid:
            break
        }

        var (cookie, serverCookieValid) = evaluateCookie(message, client: client, policy: snapshot.policy)
        var limit = sizeLimit(transport: transport, policy: snapshot.policy, capacity: capacity)
        if transport == .udp && !serverCookieValid {
            // `nocookie-udp-size`: BIND 9.18 sends larger UDP answers only to clients that
            // returned a valid server cookie.
            limit = min(limit, snapshot.policy.noCookieUDPSize)
        }
        writer.start(in: destination, limit: limit)
        writer.writeHeader(id: query.id, flags: flags)
        writeQuestion(message)
        let afterQuestion = writer.checkpoint()
        let nsid = query.nsidRequested ? snapshot.policy.nsid : []
        if query.hasEDNS {
            writer.reserve(11 + (nsid.isEmpty ? 0 : 4 + nsid.count) + (cookie == nil ? 0 : 4 + ServerCookie.optionLength))
        }

        var rcode = RCode.noError
        if query.opcode == Opcode.update.rawValue {
            // Dynamic update is not accepted. BIND answers REFUSED for a zone it serves with
            // allow-update { none; }, and NOTAUTH for a zone it does not serve.
            loadQuestionName(message)
            let served = snapshot.closestZone(for: name)
            let ours = served.map { $0.zone.origin.labelCount == name.labelCount } ?? false
            // RFC 2136 section 3.1.1: the zone section must name an SOA; RD has no meaning here.
            flags &= ~0x0100
            if query.type != RRType.soa.rawValue {
                rcode = .formErr
            } else {
                rcode = ours ? .refused : .notAuth
            }
        } else if query.opcode != Opcode.query.rawValue {
            // As BIND does: the header alone, with neither the question nor RD.
            writer.start(in: destination, limit: limit)
            writer.writeHeader(id: query.id, flags: 0x8000 | (query.flags & 0x7800) | RCode.notImp.rawValue)
            if query.hasEDNS {
                _ = writer.writeOPT(payloadSize: snapshot.policy.ednsUDPSize, extendedRCode: 0, dnssecOK: query.dnssecOK,
                                    cookie: cookie)
                writer.finishCounts()
            }
            return writer.count
        } else if query.hasEDNS && query.ednsVersion != 0 {
            // RFC 6891 section 6.1.3: an unsupported EDNS version gets BADVERS and no answer.
            // BIND 9.18 leaves the COOKIE option out of this response.
            rcode = .badVers
            cookie = nil
        } else if requiresBadCookie(cookie: cookie, serverCookieValid: serverCookieValid, transport: transport,
                                    policy: snapshot.policy) {
            rcode = .badCookie
        } else {
            loadQuestionName(message)
            state.reset()
            switch query.qclass {
            case RRClass.in.rawValue:
                rcode = answerInternet(client: client, transport: transport, snapshot: snapshot)
                writeAuthorityAndAdditional(policy: snapshot.policy)
            case RRClass.chaos.rawValue:
                rcode = answerChaos(client: client, snapshot: snapshot)
                writeAuthorityAndAdditional(policy: snapshot.policy)
            default:
                rcode = .refused
            }
            if state.authoritative { flags |= 0x0400 }
            if state.truncated {
                // As BIND 9.18 does, a truncated response carries no records: the client
                // retries over TCP (RFC 2181 section 9) and a partial answer would only mislead.
                flags |= 0x0200
                writer.restore(afterQuestion)
            }
        }

        writer.releaseReserved()
        if query.hasEDNS {
            _ = nsid.withUnsafeBufferPointer { identity in
                Self.maxRestartsError.withUnsafeBufferPointer { restartsError in
                    let payloadSize = snapshot.policy.ednsUDPSize
                    let extendedRCode = UInt8(rcode.rawValue >> 4)
                    let identity = identity.isEmpty ? nil : identity
                    guard state.restartsExhausted else {
                        return writer.writeOPT(payloadSize: payloadSize, extendedRCode: extendedRCode,
                                               dnssecOK: query.dnssecOK, nsid: identity, cookie: cookie)
                    }
                    // BIND keeps room for the error, so a response that leaves too little room
                    // for it is truncated: TC and no records, but the error.
                    if state.truncated
                        || !writer.writeOPT(payloadSize: payloadSize, extendedRCode: extendedRCode,
                                            dnssecOK: query.dnssecOK, nsid: identity, cookie: cookie,
                                            extendedError: restartsError)
                    {
                        writer.restore(afterQuestion)
                        flags |= 0x0200
                        return writer.writeOPT(payloadSize: payloadSize, extendedRCode: extendedRCode,
                                               dnssecOK: query.dnssecOK, nsid: identity, cookie: cookie,
                                               extendedError: restartsError)
                    }
                    return true
                }
            }
        }
        writer.setFlags(flags | (rcode.rawValue & 0x0F))
        writer.finishCounts()
        return writer.count
    }

    /// Makes the question's name, as parsed into `query`, the name to look up: lower-cased in
    /// `name` and in its original case in `currentName`.
    mutating func loadQuestionName(_ message: UnsafeRawBufferPointer) {
        message.withMemoryRebound(to: UInt8.self) { bytes in
            name.set(UnsafeBufferPointer(rebasing: bytes[12..<(12 + query.nameLength)]))
            currentName.removeAll(keepingCapacity: true)
            currentName.append(contentsOf: bytes[12..<(12 + query.nameLength)])
        }
    }

    private mutating func writeQuestion(_ message: UnsafeRawBufferPointer) {
        writer.writeQuestion(name: UnsafeRawBufferPointer(rebasing: message[12..<(12 + query.nameLength)]),
                             type: query.type, qclass: query.qclass)
    }

    /// Computes the response size limit: 512 octets without EDNS (RFC 1035 section 4.2.1), otherwise the
    /// smaller of the client's advertised size and `max-udp-size`, but never below 512.
    private func sizeLimit(transport: Transport, policy: ResponsePolicy, capacity: Int) -> Int {
        guard transport == .udp else { return min(capacity, ResponseWriter.maxSize) }
        guard query.hasEDNS else { return min(capacity, 512) }
        return min(capacity, max(512, min(Int(query.ednsPayloadSize), policy.maxUDPSize)))
    }

    // MARK: - Class IN

    /// Builds the answer from the zones, or returns REFUSED when no zone contains the name.
    private mutating func answerInternet(client: IPAddress, transport: Transport, snapshot: ServerSnapshot) -> RCode {
        // Zones are handled by index here: copying a ServedZone out of the snapshot would
        // retain and release each of its references on every query.
        var first = snapshot.closestZoneIndex(for: name)
        guard first >= 0 else {
            // Authoritative only: a name outside every zone is never resolved (no recursion).
            return .refused
        }
        if query.type == RRType.ds.rawValue && snapshot.zone(at: first).origin.labelCount == name.labelCount
            && name.labelCount > 0
        {
            // DS lives on the parent side of a cut (RFC 4035 section 3.1.4.1): when the parent
            // zone is held here too, it answers, as BIND does.
            name.dropFirstLabel()
            let parent = snapshot.closestZoneIndex(for: name)
            name.set(currentName)
            if parent >= 0 { first = parent }
        }
        if !snapshot.isQueryAllowed(zoneAt: first, from: client) {
            return .refused
        }
        let type = RRType(rawValue: query.type)
        if let error = Self.metaTypeError(type) {
            return error
        }

        state.authoritative = true
        // BIND 9.18 sends minimal responses when a UDP client advertises 512 octets or less.
        state.smallUDPBuffer = transport == .udp && query.hasEDNS && query.ednsPayloadSize <= 512
        let zone = snapshot.zone(at: first)
        for restart in 0...Self.maxRestarts {
            if restart > 0 {
                // BIND 9.18 follows a CNAME only inside the zone it came from: a target in
                // another zone, even one held here, ends the answer and the client asks again.
                let next = snapshot.closestZoneIndex(for: name)
                guard next >= 0,
                    next == first || (type == .ds && isParentSideOfApex(of: next, in: first, snapshot: snapshot))
                else {
                    state.leftZone = true
                    return .noError
                }
            }
            state.finalZone = zone
            let lookup = zone.find(&name, type: type)
            if query.dnssecOK {
                noteDNSSECProofs(for: lookup, in: zone)
            }
            switch lookup {
            case .answer(let node, let rrset, let wildcard):
                writeAnswers(zone, node: node, rrset: rrset, wildcard: wildcard)
                state.outcome = .positive
                return .noError
            case .cname(let node, let rrset, let wildcard):
                // In a loop the RRset is written once and followed until the restarts run out.
                _ = writeAnswer(zone, node: node, rrset: rrset, wildcard: wildcard)
                loadCNAMETarget(zone, rrset: rrset)
                state.outcome = .positive
            case .noData:
                state.outcome = .noData
                return .noError
            case .nameError:
                state.outcome = .nameError
                return .nxDomain
            case .dname(let owner):
                guard synthesizeFromDNAME(zone, owner: owner) else {
                    // RFC 6672 section 2.2: the substituted name would exceed 255 octets. BIND
                    // 9.18 sends the answer so far with no authority or additional section.
                    state.outcome = .none
                    return RCode(rawValue: 6)  // YXDOMAIN
                }
                state.outcome = .positive
                // The synthesized CNAME answers CNAME and ANY, so BIND 9.18 follows it for neither.
                if type == .cname || type == .any { return .noError }
            case .referral(let cut):
                if writer.answerCount == 0 {
                    // RFC 1034 section 4.3.2 step 3b: the data below a cut is not ours.
                    state.authoritative = false
                }
                state.outcome = .referral(cut: cut)
                return .noError
            }
        }
        // Still a CNAME to follow after the last restart: a loop or a chain too long. BIND
        // 9.18 then answers SERVFAIL with what it has, and the Extended DNS Error "max.
        // restarts reached".
        state.restartsExhausted = true
        return .servFail
    }

    /// Returns the error for a meta question type, or nil for a type that zone data can answer.
    /// AXFR and IXFR get FORMERR, as from BIND over UDP (transfers over TCP are handled by
    /// `transfer` before the lookup). The other meta types except ANY get NOTIMP.
    static func metaTypeError(_ type: RRType) -> RCode? {
        if type == .axfr || type == .ixfr { return .formErr }
        if type.isMetaType && type != .any { return .notImp }
        return nil
    }

    /// Returns true when the name being looked up is the apex of the zone at index `child`, and
    /// the zone at index `zone` is the closest zone above it. That zone then contains the DS
    /// RRset for the name (RFC 4035 section 3.1.4.1).
    private mutating func isParentSideOfApex(of child: Int, in zone: Int, snapshot: ServerSnapshot) -> Bool {
        guard snapshot.zone(at: child).origin.labelCount == name.labelCount, name.labelCount > 0 else { return false }
        name.dropFirstLabel()
        let parent = snapshot.closestZoneIndex(for: name)
        name.set(currentName)
        return parent == zone
    }

    /// Writes every RRset that answers (one, or all for ANY) and notes the ones whose
    /// targets go into the additional section.
    private mutating func writeAnswers(_ zone: Zone, node: Int32, rrset: Int32, wildcard: Bool,
                                       questionCase: Bool = false) {
        if rrset >= 0 {
            _ = writeAnswer(zone, node: node, rrset: rrset, wildcard: wildcard, questionCase: questionCase)
            return
        }
        // ANY: every RRset, but no additional-section addresses, as BIND 9.18 answers it.
        let entry = zone.nodes[Int(node)]
        for index in Int(entry.rrsetStart)..<Int(entry.rrsetStart + entry.rrsetCount) {
            // With DO every RRset brings its own signatures, so the RRSIG RRset would repeat them.
            if query.dnssecOK && zone.dnssec != nil && zone.rrsets[index].type == RRType.rrsig.rawValue { continue }
            _ = writeAnswer(zone, node: node, rrset: Int32(index), wildcard: wildcard, questionCase: questionCase)
        }
        state.additional.removeAll(keepingCapacity: true)
    }

    /// Writes one RRset into the answer section unless it is there already. The owner is the
    /// node's name as stored, the name synthesized when a wildcard matched, or with
    /// `questionCase` the name looked up, in the question's case.
    private mutating func writeAnswer(_ zone: Zone, node: Int32, rrset: Int32, wildcard: Bool,
                                      questionCase: Bool = false) -> Bool {
        let key = ObjectIdentifier(zone)
        // A wildcard RRset synthesized for two names gives two RRsets, and the wildcard's own
        // name a third, so wildcard RRsets are distinguished by owner.
        if wildcard {
            let zoneKey = UInt64(UInt(bitPattern: key))
            guard state.wildcardOwners.insert(name.lowercased, zone: zoneKey, rrset: UInt32(bitPattern: rrset)) else {
                return false
            }
        } else if state.written.contains(where: { $0.zone == key && $0.rrset == rrset && !$0.wildcard }) {
            return false
        }
        state.written.append((key, rrset, wildcard))
        let fits: Bool
        if questionCase {
            fits = currentName.withUnsafeBufferPointer { owner in
                writeRRSet(zone, rrset: Int(rrset), owner: owner, section: .answer)
            }
        } else if wildcard {
            loadWildcardOwner(zone, wildcard: node)
            fits = wildcardOwner.withUnsafeBufferPointer { owner in
                writeRRSet(zone, rrset: Int(rrset), owner: owner, section: .answer)
            }
        } else {
            fits = writeRRSet(zone, rrset: Int(rrset), ownerNode: Int(node), section: .answer)
        }
        let type = zone.rrsets[Int(rrset)].type
        if fits && (type == RRType.ns.rawValue || type == RRType.mx.rawValue || type == RRType.srv.rawValue) {
            state.additional.append((zone, rrset))
        }
        return true
    }

    /// Puts the owner of records synthesized from the wildcard `node` into `wildcardOwner`, as
    /// BIND 9.18 writes it. That is the name looked up in lower case, with a letter upper-cased
    /// wherever the wildcard's own name has an upper-case letter at the same wire-form offset.
    private mutating func loadWildcardOwner(_ zone: Zone, wildcard node: Int32) {
        currentName.withUnsafeBufferPointer { looked in
            Self.synthesizeOwner(looked, wildcard: node, in: zone, into: &wildcardOwner)
        }
    }

    /// Writes `name` with the case that BIND 9.18 gives records synthesized from the wildcard
    /// `node` into `owner`. BIND keeps an owner's case as a bit per octet of its wire form and
    /// applies those bits to whatever name it answers for, so a wildcard's case pattern lands
    /// on the synthesized name position by position.
    static func synthesizeOwner(_ name: UnsafeBufferPointer<UInt8>, wildcard node: Int32, in zone: Zone,
                                into owner: inout [UInt8]) {
        owner.removeAll(keepingCapacity: true)
        let entry = zone.nodes[Int(node)]
        let patternStart = Int(entry.nameOffset)
        let patternLength = Int(entry.nameLength)
        for offset in 0..<name.count {
            // Label length octets are below 64, so case changes leave them unchanged.
            var byte = asciiLower(name[offset])
            if offset < patternLength && byte >= 0x61 && byte <= 0x7A {
                let pattern = zone.names[patternStart + offset]
                if pattern >= 0x41 && pattern <= 0x5A { byte -= 0x20 }
            }
            owner.append(byte)
        }
    }

    /// Writes the DNAME RRset and a CNAME synthesized from it (RFC 6672 section 3.1), then
    /// makes the CNAME's target the name to look up next. Returns false when the new name
    /// would be too long.
    private mutating func synthesizeFromDNAME(_ zone: Zone, owner: Int32) -> Bool {
        let set = zone.rrsetIndex(node: Int(owner), type: RRType.dname.rawValue)
        _ = writeAnswer(zone, node: owner, rrset: Int32(set), wildcard: false)

        let entry = zone.rrsets[set]
        let record = Int(entry.rdataStart)
        let targetStart = Int(zone.rdataOffsets[record])
        let targetEnd = Int(zone.rdataOffsets[record + 1])
        let ownerNode = zone.nodes[Int(owner)]

        // The labels of the current name above the DNAME owner are kept; the owner's part is
        // replaced by the DNAME target.
        let prefixLength = currentName.count - Int(ownerNode.nameLength)
        guard prefixLength + (targetEnd - targetStart) <= DomainName.maxWireLength else { return false }
        synthesized.removeAll(keepingCapacity: true)
        synthesized.append(contentsOf: currentName[0..<prefixLength])
        synthesized.append(contentsOf: zone.rdata[targetStart..<targetEnd])

        // In a DNAME loop the same CNAME comes back, and BIND writes each owner's CNAME once.
        if state.synthesizedOwners.insert(name.lowercased, zone: 0, rrset: 0) {
            let fits = currentName.withUnsafeBufferPointer { ownerName in
                synthesized.withUnsafeBufferPointer { target in
                    writer.writeRecord(owner: ownerName, type: RRType.cname.rawValue, rrClass: entry.rrClass,
                                       ttl: entry.ttl, rdata: target, section: .answer)
                }
            }
            if !fits { state.truncated = true }
        }
        currentName.removeAll(keepingCapacity: true)
        currentName.append(contentsOf: synthesized)
        name.set(currentName)
        return true
    }

    private mutating func loadCNAMETarget(_ zone: Zone, rrset: Int32) {
        let record = Int(zone.rrsets[Int(rrset)].rdataStart)
        let start = Int(zone.rdataOffsets[record])
        let end = Int(zone.rdataOffsets[record + 1])
        currentName.removeAll(keepingCapacity: true)
        currentName.append(contentsOf: zone.rdata[start..<end])
        name.set(currentName)
    }

    // MARK: - Class CHAOS

    /// Answers from the built-in CHAOS zones (`version.bind`, `hostname.bind`, `authors.bind`,
    /// `id.server`) as BIND 9.18 does: REFUSED outside them, and answer owners in the case of
    /// the question, as BIND's built-in database writes them. The server-wide `allow-query`
    /// applies, as BIND's built-in view inherits it from `options`.
    private mutating func answerChaos(client: IPAddress, snapshot: ServerSnapshot) -> RCode {
        guard let zone = snapshot.chaosZone(for: name) else { return .refused }
        if let check = snapshot.allowQuery, !check(client) {
            return .refused
        }
        let type = RRType(rawValue: query.type)
        if let error = Self.metaTypeError(type) {
            return error
        }
        state.authoritative = true
        state.finalZone = zone
        switch zone.find(&name, type: type) {
        case .answer(let node, let rrset, _):
            writeAnswers(zone, node: node, rrset: rrset, wildcard: false, questionCase: true)
            state.outcome = .positive
            return .noError
        case .nameError:
            state.outcome = .nameError
            return .nxDomain
        case .noData, .cname, .dname, .referral:
            // The built-in zones hold no CNAME, DNAME or delegation.
            state.outcome = .noData
            return .noError
        }
    }

    /// Extended DNS Error INFO-CODE 0 (Other) with BIND 9.18's text for a chain that
    /// needs more than `maxRestarts` restarts.
    static let maxRestartsError: [UInt8] = [0, 0] + Array("max. restarts reached".utf8)
}

/// Outcome of the lookup, which decides how the authority and additional sections are filled.
enum AnswerOutcome {
    case none
    case positive
    case noData
    case nameError
    case referral(cut: Int32)
}

/// Mutable state of one response, reset for each query without giving up its storage.
struct AnswerState {
    var outcome = AnswerOutcome.none
    /// Held without reference counting: the snapshot keeps the zone alive for the whole query.
    unowned(unsafe) var finalZone: Zone?
    var authoritative = false
    var truncated = false
    /// An RRset did not fit in the additional section, which then takes no more.
    var additionalFull = false
    /// A CNAME led out of the zone, so the answer ends there and gets no authority section.
    var leftZone = false
    /// The chain of CNAMEs needed more than `QueryResponder.maxRestarts` restarts.
    var restartsExhausted = false
    /// RRsets already in the answer section, to stop CNAME loops and repeats.
    var written: [(zone: ObjectIdentifier, rrset: Int32, wildcard: Bool)] = []
    /// NS, MX and SRV RRsets whose targets' addresses go into the additional section.
    var additional: [(zone: Zone, rrset: Int32)] = []
    /// Target nodes whose addresses are already in the additional section.
    var addedTargets: [Int32] = []
    /// The client's EDNS UDP size is 512 or less: positive answers get no authority or
    /// additional records.
    var smallUDPBuffer = false
    /// NSEC, NSEC3 and DS RRsets (with their owner nodes) for the authority section of a
    /// DNSSEC response, each once.
    var proofs: [(rrset: Int32, node: Int32)] = []
    /// Additional-section RRsets whose signatures follow all the addresses.
    var signedAdditional: [(zone: Zone, rrset: Int32, node: Int32)] = []
    /// Scratch space for a wildcard name in a denial proof.
    var proofName: [UInt8] = []
    /// Owners (lower case) of the CNAMEs synthesized from a DNAME so far.
    var synthesizedOwners = OwnerSet()
    /// Owners (lower case) of the wildcard RRsets written to the answer so far, per RRset.
    var wildcardOwners = OwnerSet()

    mutating func reset() {
        outcome = .none
        finalZone = nil
        authoritative = false
        truncated = false
        additionalFull = false
        leftZone = false
        restartsExhausted = false
        written.removeAll(keepingCapacity: true)
        additional.removeAll(keepingCapacity: true)
        addedTargets.removeAll(keepingCapacity: true)
        smallUDPBuffer = false
        // Only DO queries to signed zones fill these, so most queries skip the cost of clearing.
        if !proofs.isEmpty { proofs.removeAll(keepingCapacity: true) }
        if !signedAdditional.isEmpty { signedAdditional.removeAll(keepingCapacity: true) }
        synthesizedOwners.removeAll()
        wildcardOwners.removeAll()
    }
}

/// A set of lower-cased wire names, each tagged with a zone and an RRset, stored one after
/// another in one buffer so that a response can keep it without allocating.
struct OwnerSet {
    private static let keyLength = 12
    private var storage: [UInt8] = []

    mutating func reserveCapacity(names: Int) {
        storage.reserveCapacity(names * (Self.keyLength + DomainName.maxWireLength))
    }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
    }

    /// Adds `name` under the zone and RRset and returns true, or returns false when it is there
    /// already.
    mutating func insert(_ name: [UInt8], zone: UInt64, rrset: UInt32) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.keyLength) { key in
            for index in 0..<8 { key[index] = UInt8(truncatingIfNeeded: zone >> (56 - 8 * index)) }
            for index in 0..<4 { key[8 + index] = UInt8(truncatingIfNeeded: rrset >> (24 - 8 * index)) }
            var start = 0
            while start < storage.count {
                var end = start + Self.keyLength
                while storage[end] != 0 { end += 1 + Int(storage[end]) }
                end += 1
                if storage[start..<(start + Self.keyLength)].elementsEqual(key)
                    && storage[(start + Self.keyLength)..<end].elementsEqual(name)
                {
                    return false
                }
                start = end
            }
            storage.append(contentsOf: key)
            storage.append(contentsOf: name)
            return true
        }
    }
}
