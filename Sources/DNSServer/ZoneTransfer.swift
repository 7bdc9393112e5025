import DNSWire
import DNSZone
import NamedConfig

extension QueryResponder {
    /// Whether `message` asks for a zone transfer (AXFR or IXFR), which needs several messages.
    public mutating func isTransferRequest(_ message: UnsafeRawBufferPointer) -> Bool {
        guard case .valid = QueryParser.parse(message, into: &query) else { return false }
        return query.opcode == Opcode.query.rawValue
            && (query.type == RRType.axfr.rawValue || query.type == RRType.ixfr.rawValue)
    }

    /// Sends a whole zone over TCP (RFC 5936): the SOA, every other record, the SOA again,
    /// in as many messages as needed, each passed to `emit`. IXFR gets the same full answer,
    /// which RFC 1995 section 4 allows when no history is kept.
    ///
    /// The zone must be named exactly (NOTAUTH otherwise) and `allow-transfer` must admit the
    /// client (REFUSED otherwise); BIND 9.18 allows everyone when `allow-transfer` is absent.
    public mutating func transfer(_ message: UnsafeRawBufferPointer, buffer: UnsafeMutablePointer<UInt8>,
                                  from client: IPAddress, snapshot: ServerSnapshot,
                                  emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard case .valid = QueryParser.parse(message, into: &query) else { return }
        loadQuestionName(message)
        let flags: UInt16 = 0x8000 | (query.flags & 0x7800)
        // As BIND 9.18 does, every message of the transfer, and an error, carries the OPT
        // record and the same COOKIE option when the query had them.
        let cookie = evaluateCookie(message, client: client, policy: snapshot.policy).response

        func refuse(_ rcode: RCode) {
            writer.start(in: buffer, limit: ResponseWriter.maxSize)
            // Unlike the transfer itself, BIND's error response copies RD and CD.
            writer.writeHeader(id: query.id, flags: 0x8000 | (query.flags & 0x7910) | rcode.rawValue)
            writer.writeQuestion(name: UnsafeRawBufferPointer(rebasing: message[12..<(12 + query.nameLength)]),
                                 type: query.type, qclass: query.qclass)
            if query.hasEDNS {
                _ = writer.writeOPT(payloadSize: snapshot.policy.ednsUDPSize, extendedRCode: 0, dnssecOK: query.dnssecOK,
                                    cookie: cookie)
            }
            writer.finishCounts()
            emit(UnsafeBufferPointer(start: buffer, count: writer.count))
        }

        if query.qclass == RRClass.chaos.rawValue, let zone = snapshot.chaosZone(for: name),
            zone.origin.labelCount == name.labelCount
        {
            // BIND 9.18 cannot transfer its built-in CHAOS zones and answers SERVFAIL.
            refuse(.servFail)
            return
        }
        guard query.qclass == RRClass.in.rawValue, let served = snapshot.closestZone(for: name),
            served.zone.origin.labelCount == name.labelCount
        else {
            refuse(.notAuth)
            return
        }
        if let allowed = served.allowTransfer ?? snapshot.allowTransfer, !allowed(client) {
            refuse(.refused)
            return
        }

        let zone = served.zone
        let apex = Int(zone.apexIndex)
        let soa = zone.rrsetIndex(node: apex, type: RRType.soa.rawValue)
        var first = true
        func startMessage() {
            writer.start(in: buffer, limit: ResponseWriter.maxSize)
            writer.writeHeader(id: query.id, flags: flags | 0x0400)
            if first {
                writer.writeQuestion(name: UnsafeRawBufferPointer(rebasing: message[12..<(12 + query.nameLength)]),
                                     type: query.type, qclass: query.qclass)
                first = false
            }
            if query.hasEDNS { writer.reserve(11 + (cookie == nil ? 0 : 4 + ServerCookie.optionLength)) }
        }
        func send() {
            writer.releaseReserved()
            if query.hasEDNS {
                _ = writer.writeOPT(payloadSize: snapshot.policy.ednsUDPSize, extendedRCode: 0, dnssecOK: query.dnssecOK,
                                    cookie: cookie)
            }
            writer.finishCounts()
            emit(UnsafeBufferPointer(start: buffer, count: writer.count))
        }
        /// Writes one record, starting a new message when the current one is full.
        func put(node: Int, record: Int, set: RRSetEntry, ttl: UInt32) {
            let nodeEntry = zone.nodes[node]
            zone.names.withUnsafeBufferPointer { names in
                zone.rdata.withUnsafeBufferPointer { rdata in
                    let owner = UnsafeBufferPointer(rebasing: names[Int(nodeEntry.nameOffset)..<(Int(nodeEntry.nameOffset) + Int(nodeEntry.nameLength))])
                    let data = UnsafeBufferPointer(rebasing: rdata[Int(zone.rdataOffsets[record])..<Int(zone.rdataOffsets[record + 1])])
                    if !writer.writeRecord(owner: owner, type: set.type, rrClass: set.rrClass, ttl: ttl, rdata: data,
                                           section: .answer)
                    {
                        send()
                        startMessage()
                        _ = writer.writeRecord(owner: owner, type: set.type, rrClass: set.rrClass, ttl: ttl,
                                               rdata: data, section: .answer)
                    }
                }
            }
        }
        func putSOA() {
            let set = zone.rrsets[soa]
            put(node: apex, record: Int(set.rdataStart), set: set, ttl: set.ttl)
        }

        startMessage()
        putSOA()
        for node in 0..<zone.nodes.count {
            let entry = zone.nodes[node]
            for index in Int(entry.rrsetStart)..<Int(entry.rrsetStart + entry.rrsetCount) where index != soa {
                let set = zone.rrsets[index]
                // RRSIG records keep the TTL of the RRset each one signs.
                let signatures = set.type == RRType.rrsig.rawValue ? zone.dnssec : nil
                for record in Int(set.rdataStart)..<Int(set.rdataStart + set.rdataCount) {
                    let ttl = signatures?.signatureTTL(zone: zone, rrsigSet: index, record: record) ?? set.ttl
                    put(node: node, record: record, set: set, ttl: ttl)
                }
            }
        }
        putSOA()
        send()
    }
}
