import DNSWire
import DNSZone
import NamedConfig

/// The transport a query arrived on; it sets the response size limit.
public enum Transport: Sendable {
    case udp, tcp
}

/// Builds the response to one query into a reusable buffer.
///
/// The steps follow RFC 1034 section 4.3.2: check the message, pick the closest zone, look the
/// name up, follow CNAMEs through the zones held here, then fill the authority and additional
/// sections as BIND 9.18 does. Each step is a method below; `respond` shows the whole sequence.
public struct QueryResponder {
    /// CNAME links followed for one query before the answer is sent as it stands
    /// (BIND 9.18 stops after 11 restarts as well).
    public static let maxRestarts = 11

    public private(set) var writer: MessageWriter

    public init() {
        writer = MessageWriter(capacity: 65535)
    }

    /// The response bytes from the last `respond` call that returned true.
    public var response: [UInt8] { writer.bytes }

    /// Writes the response to `query` into `response`. Returns false when no response must be
    /// sent: a message shorter than a header, or one with QR set (RFC 1035 section 4.1.1).
    public mutating func respond(to query: [UInt8], from client: IPAddress, transport: Transport,
                                 snapshot: ServerSnapshot) -> Bool {
        guard query.count >= 12, query[2] & 0x80 == 0 else { return false }

        var request = ParsedRequest(query: query)
        let parsed = request.parse(query)

        var header = MessageHeader()
        header.id = request.id
        header.isResponse = true
        header.opcode = request.opcode
        header.recursionDesired = request.recursionDesired
        header.checkingDisabled = request.checkingDisabled
        writer.reset(limit: 65535)

        guard parsed, let question = request.question else {
            writeError(header, question: nil, rcode: .formErr, edns: nil, snapshot: snapshot)
            return true
        }
        guard request.opcode == .query else {
            writeError(header, question: question, rcode: .notImp, edns: request.edns, snapshot: snapshot)
            return true
        }
        if let edns = request.edns, edns.version != 0 {
            // RFC 6891 section 6.1.3: an unsupported version gets BADVERS, no answer.
            writeError(header, question: question, rcode: .badVers, edns: edns, snapshot: snapshot)
            return true
        }

        writer.reset(limit: sizeLimit(transport: transport, edns: request.edns, policy: snapshot.policy))
        writer.writeHeader(header)
        _ = writer.writeQuestion(question)
        if request.edns != nil {
            writer.reserve(11)
        }

        var state = ResponseState(header: header)
        switch question.qclass {
        case .in:
            answerInternet(question, client: client, transport: transport, snapshot: snapshot, state: &state)
        case .chaos:
            answerChaos(question, snapshot: snapshot, state: &state)
        default:
            state.header.rcode = UInt8(RCode.refused.rawValue)
        }
        finish(&state, edns: request.edns, policy: snapshot.policy)
        return true
    }

    // MARK: - Steps

    /// Answers a question of class IN from the zones, or REFUSED when no zone holds the name.
    private mutating func answerInternet(_ question: Question, client: IPAddress, transport: Transport,
                                         snapshot: ServerSnapshot, state: inout ResponseState) {
        guard let served = snapshot.closestZone(for: question.name) else {
            // Authoritative only: a name outside every zone is never resolved (no recursion).
            state.header.rcode = UInt8(RCode.refused.rawValue)
            return
        }
        let allowed = served.allowQuery ?? snapshot.allowQuery
        if let allowed, !allowed(client) {
            state.header.rcode = UInt8(RCode.refused.rawValue)
            return
        }
        if question.type == .axfr || question.type == .ixfr {
            // TODO: zone transfers are not served yet; BIND answers them over TCP per allow-transfer.
            state.header.rcode = UInt8((transport == .udp ? RCode.formErr : RCode.refused).rawValue)
            return
        }
        if question.type.isMetaType && question.type != .any {
            state.header.rcode = UInt8(RCode.notImp.rawValue)
            return
        }

        state.header.isAuthoritative = true
        var zone = served.zone
        var name = question.name
        for restart in 0...Self.maxRestarts {
            if restart > 0 {
                // After a CNAME the chain may lead into another zone held here, or out of all of them.
                guard let next = snapshot.closestZone(for: name) else { return }
                let nextAllowed = next.allowQuery ?? snapshot.allowQuery
                if let nextAllowed, !nextAllowed(client) { return }
                zone = next.zone
            }
            switch zone.lookup(name, type: question.type) {
            case .answer(let rrsets, let wildcard):
                for rrset in rrsets {
                    writeAnswer(rrset, owner: wildcard == nil ? rrset.owner : name, state: &state)
                }
                state.additionalSources += rrsets.filter { $0.type == .ns || $0.type == .mx || $0.type == .srv }
                state.finalZone = zone
                state.outcome = .positive(answeredNS: rrsets.contains { $0.type == .ns && $0.owner == zone.origin })
                return
            case .cname(let cname, let wildcard):
                writeAnswer(cname, owner: wildcard == nil ? cname.owner : name, state: &state)
                guard let target = RDataNames.singleName(cname.rdatas[0]) else { return }
                if state.visited.contains(target) {
                    // A CNAME loop: BIND returns the chain once, without an error.
                    state.finalZone = zone
                    state.outcome = .positive(answeredNS: false)
                    return
                }
                state.visited.append(target)
                name = target
                state.finalZone = zone
                state.outcome = .positive(answeredNS: false)
            case .noData:
                state.finalZone = zone
                state.outcome = .noData
                return
            case .nameError:
                state.finalZone = zone
                state.outcome = .nameError
                state.header.rcode = UInt8(RCode.nxDomain.rawValue)
                return
            case .referral(let cut, let ns):
                if state.header.answerCount == 0 {
                    // RFC 1034 section 4.3.2 step 3b: the data below a cut is not ours.
                    state.header.isAuthoritative = false
                }
                state.finalZone = zone
                state.outcome = .referral(cut: cut, ns: ns)
                return
            }
        }
    }

    /// Answers `version.bind`, `hostname.bind` and `id.server` in class CHAOS as BIND does.
    private mutating func answerChaos(_ question: Question, snapshot: ServerSnapshot, state: inout ResponseState) {
        let policy = snapshot.policy
        let text: String?
        switch question.name.description.lowercased() {
        case "version.bind.", "version.server.": text = policy.version
        case "hostname.bind.": text = policy.hostname
        case "id.server.": text = policy.serverID
        default:
            state.header.rcode = UInt8(RCode.refused.rawValue)
            return
        }
        guard let text, question.type == .txt || question.type == .any else {
            state.header.rcode = UInt8(RCode.refused.rawValue)
            return
        }
        state.header.isAuthoritative = true
        var rdata: [UInt8] = []
        for chunk in Array(text.utf8).chunked(into: 255) {
            rdata.append(UInt8(chunk.count))
            rdata += chunk
        }
        let rrset = RRSet(owner: question.name, type: .txt, rrClass: .chaos, ttl: 0, rdatas: [rdata])
        writeAnswer(rrset, owner: question.name, state: &state)
    }

    /// Adds the authority and additional sections, the OPT record and the final header.
    private mutating func finish(_ state: inout ResponseState, edns: EDNS?, policy: ResponsePolicy) {
        if !state.truncated, let zone = state.finalZone {
            switch state.outcome {
            case .positive(let answeredNS):
                let wantsAuthority: Bool
                switch policy.minimalResponses {
                case .no: wantsAuthority = true
                case .yes, .noAuth: wantsAuthority = false
                case .noAuthRecursive: wantsAuthority = !state.header.recursionDesired
                }
                if wantsAuthority && !answeredNS, let apex = zone.node(zone.origin), let ns = apex.rrset(.ns) {
                    if writeRRSet(ns, owner: ns.owner, section: .authority, state: &state) {
                        state.additionalSources.append(ns)
                    }
                }
                if policy.minimalResponses != .yes {
                    writeAdditionalAddresses(for: state.additionalSources, glueZone: nil, state: &state)
                }
            case .noData, .nameError:
                // RFC 2308 section 3: the SOA with the negative TTL tells how long to cache the answer.
                var soa = zone.soaRRSet
                soa.ttl = zone.negativeTTL
                _ = writeRRSet(soa, owner: soa.owner, section: .authority, state: &state)
            case .referral(_, let ns):
                if writeRRSet(ns, owner: ns.owner, section: .authority, state: &state) {
                    writeAdditionalAddresses(for: [ns], glueZone: zone, state: &state)
                }
            case .none:
                break
            }
        }

        writer.releaseReserved()
        if let edns {
            let reply = EDNS(udpPayloadSize: policy.ednsUDPSize, version: 0, dnssecOK: edns.dnssecOK)
            _ = writer.writeOPT(reply)
        }
        state.header.isTruncated = state.truncated
        writer.patchFlags(state.header.flags)
        writer.patchCounts()
    }

    // MARK: - Helpers

    private mutating func writeAnswer(_ rrset: RRSet, owner: DomainName, state: inout ResponseState) {
        if state.written.contains(where: { $0.type == rrset.type && $0.owner == owner }) { return }
        if writeRRSet(rrset, owner: owner, section: .answer, state: &state) {
            state.written.append((owner, rrset.type))
        }
    }

    /// Writes a whole RRset or, when it does not fit, none of it and marks the response truncated
    /// (answer and authority) or leaves it out (additional).
    private mutating func writeRRSet(_ rrset: RRSet, owner: DomainName, section: MessageSection,
                                     state: inout ResponseState) -> Bool {
        guard !state.truncated else { return false }
        let mark = writer.count
        _ = mark
        for rdata in rrset.rdatas {
            let fits = writer.writeRecord(owner: owner, type: rrset.type, rrClass: rrset.rrClass,
                                          ttl: rrset.ttl, rdata: rdata, section: section)
            if !fits {
                if section != .additional {
                    state.truncated = true
                }
                return false
            }
        }
        return true
    }

    /// Adds A and AAAA RRsets for the targets of NS, MX and SRV records (RFC 1035 section 3.3,
    /// RFC 2782). With `glueZone`, the addresses come from that zone's nodes directly, so glue
    /// below a zone cut is found.
    private mutating func writeAdditionalAddresses(for sources: [RRSet], glueZone: Zone?, state: inout ResponseState) {
        var done: [DomainName] = []
        for source in sources {
            for rdata in source.rdatas {
                guard let target = RDataNames.additionalTarget(type: source.type, rdata: rdata),
                    !done.contains(target)
                else { continue }
                done.append(target)
                for type in [RRType.a, .aaaa] {
                    if let glueZone {
                        guard target.isSubdomain(of: glueZone.origin),
                            let rrset = glueZone.node(target)?.rrset(type)
                        else { continue }
                        _ = writeRRSet(rrset, owner: rrset.owner, section: .additional, state: &state)
                    } else if let zone = state.finalZone, target.isSubdomain(of: zone.origin),
                        case .answer(let rrsets, _) = zone.lookup(target, type: type)
                    {
                        for rrset in rrsets {
                            _ = writeRRSet(rrset, owner: target, section: .additional, state: &state)
                        }
                    }
                }
            }
        }
    }

    private mutating func writeError(_ header: MessageHeader, question: Question?, rcode: RCode, edns: EDNS?,
                                     snapshot: ServerSnapshot) {
        var header = header
        header.rcode = UInt8(rcode.rawValue & 0x0F)
        writer.reset(limit: 65535)
        writer.writeHeader(header)
        if let question {
            _ = writer.writeQuestion(question)
        }
        if let edns {
            let reply = EDNS(udpPayloadSize: snapshot.policy.ednsUDPSize, extendedRCode: UInt8(rcode.rawValue >> 4),
                             version: 0, dnssecOK: edns.dnssecOK)
            _ = writer.writeOPT(reply)
        }
        writer.patchCounts()
    }

    /// The response size limit: 512 octets without EDNS (RFC 1035 section 4.2.1), otherwise the
    /// smaller of the client's advertised size and `max-udp-size`, but never below 512.
    private func sizeLimit(transport: Transport, edns: EDNS?, policy: ResponsePolicy) -> Int {
        guard transport == .udp else { return 65535 }
        guard let edns else { return 512 }
        return max(512, min(Int(edns.udpPayloadSize), policy.maxUDPSize))
    }
}

/// What the lookup decided, for filling the authority and additional sections.
enum ResponseOutcome {
    case none
    case positive(answeredNS: Bool)
    case noData
    case nameError
    case referral(cut: ZoneNode, ns: RRSet)
}

/// Mutable state of one response while it is built.
struct ResponseState {
    var header: MessageHeader
    var outcome = ResponseOutcome.none
    var finalZone: Zone?
    var truncated = false
    var additionalSources: [RRSet] = []
    var written: [(owner: DomainName, type: RRType)] = []
    var visited: [DomainName] = []
}

/// The fields of a query that the responder needs, read without building the whole message.
struct ParsedRequest {
    var id: UInt16
    var opcode: Opcode
    var recursionDesired: Bool
    var checkingDisabled: Bool
    var question: Question?
    var edns: EDNS?

    init(query: [UInt8]) {
        id = UInt16(query[0]) << 8 | UInt16(query[1])
        let flags = MessageHeader(flags: UInt16(query[2]) << 8 | UInt16(query[3]))
        opcode = flags.opcode
        recursionDesired = flags.recursionDesired
        checkingDisabled = flags.checkingDisabled
    }

    /// Reads the question and the OPT record. Returns false for a malformed query (FORMERR):
    /// a question count other than one, a bad name, truncated data, a second OPT record,
    /// an OPT record not owned by the root, or trailing bytes.
    mutating func parse(_ query: [UInt8]) -> Bool {
        var reader = WireReader(query, offset: 4)
        do {
            let questionCount = try reader.readUInt16("header")
            let answerCount = try reader.readUInt16("header")
            let authorityCount = try reader.readUInt16("header")
            let additionalCount = try reader.readUInt16("header")
            guard questionCount == 1 else { return false }
            let name = try reader.readName()
            let type = RRType(rawValue: try reader.readUInt16("question type"))
            let qclass = RRClass(rawValue: try reader.readUInt16("question class"))
            question = Question(name: name, type: type, qclass: qclass)
            for _ in 0..<(Int(answerCount) + Int(authorityCount)) {
                _ = try Message.readRecord(&reader)
            }
            for _ in 0..<additionalCount {
                let record = try Message.readRecord(&reader)
                if record.type == .opt {
                    guard edns == nil, record.owner.isRoot else { return false }
                    edns = EDNS(optRecord: record)
                }
            }
            return reader.remaining == 0
        } catch {
            return false
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [[Element]] {
        guard !isEmpty else { return [[]] }
        return stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
