import DNSWire

/// The fields of a query that the responder needs, read straight from the received bytes.
struct ParsedQuery {
    var id: UInt16 = 0
    var flags: UInt16 = 0
    /// Offset and length of the question name in the query, uncompressed.
    var nameOffset = 12
    var nameLength = 0
    var type: UInt16 = 0
    var qclass: UInt16 = 0
    var hasEDNS = false
    var ednsPayloadSize: UInt16 = 0
    var ednsVersion: UInt8 = 0
    var dnssecOK = false
    /// The query carries an empty NSID option (RFC 5001): the server's identity is wanted.
    var nsidRequested = false
    /// Offset and length of the first COOKIE option's data (RFC 7873); length 0 when absent.
    var cookieOffset = 0
    var cookieLength = 0
    /// The OPT record could be read but one of its options could not, so the FORMERR
    /// response carries an OPT record as BIND's does.
    var optionError = false

    var opcode: UInt8 { UInt8((flags >> 11) & 0x0F) }
    var recursionDesired: Bool { flags & 0x0100 != 0 }
    var checkingDisabled: Bool { flags & 0x0010 != 0 }
}

/// Why a query gets no answer section.
enum QueryParseOutcome {
    case valid
    /// A header that could be read but a message that cannot (RFC 1035 section 4.1.1 FORMERR).
    case formatError(questionParsed: Bool)
    /// Nothing to answer: shorter than a header, or a response (QR set).
    case drop
}

enum QueryParser {
    /// Parses the header, the single question and the OPT record. Other records in the
    /// answer, authority and additional sections are checked for shape and skipped.
    static func parse(_ query: UnsafeRawBufferPointer, into parsed: inout ParsedQuery) -> QueryParseOutcome {
        guard query.count >= 12 else { return .drop }
        parsed = ParsedQuery()
        parsed.id = read16(query, 0)
        parsed.flags = read16(query, 2)
        guard parsed.flags & 0x8000 == 0 else { return .drop }
        let questionCount = read16(query, 4)
        let otherCount = Int(read16(query, 6)) + Int(read16(query, 8))
        let additionalCount = Int(read16(query, 10))
        guard questionCount == 1 else { return .formatError(questionParsed: false) }

        guard var offset = questionNameEnd(query) else { return .formatError(questionParsed: false) }
        parsed.nameLength = offset - 12
        parsed.type = read16(query, offset)
        parsed.qclass = read16(query, offset + 2)
        offset += 4

        for _ in 0..<otherCount {
            guard let next = skipRecord(query, offset) else { return .formatError(questionParsed: true) }
            offset = next
        }
        for _ in 0..<additionalCount {
            guard let ownerEnd = skipName(query, offset), ownerEnd + 10 <= query.count else {
                return .formatError(questionParsed: true)
            }
            let type = read16(query, ownerEnd)
            let length = Int(read16(query, ownerEnd + 8))
            guard ownerEnd + 10 + length <= query.count else { return .formatError(questionParsed: true) }
            if type == RRType.opt.rawValue {
                // RFC 6891 section 6.1.1: one OPT record, owned by the root.
                guard !parsed.hasEDNS, ownerEnd == offset + 1 else { return .formatError(questionParsed: true) }
                parsed.hasEDNS = true
                parsed.ednsPayloadSize = read16(query, ownerEnd + 2)
                parsed.ednsVersion = query[ownerEnd + 5]
                parsed.dnssecOK = query[ownerEnd + 6] & 0x80 != 0
                // Options (RFC 6891 section 6.1.2): only NSID and COOKIE matter here; others are ignored.
                var option = ownerEnd + 10
                let optionsEnd = option + length
                while option + 4 <= optionsEnd {
                    let code = read16(query, option)
                    let optionLength = Int(read16(query, option + 2))
                    if code == EDNSOption.nsid { parsed.nsidRequested = true }
                    if code == EDNSOption.cookie {
                        // RFC 7873 section 5.2.2: an 8-octet client cookie, alone or followed by
                        // an 8- to 32-octet server cookie. BIND answers other lengths with FORMERR.
                        guard optionLength == 8 || (16...40).contains(optionLength), option + 4 + optionLength <= optionsEnd else {
                            parsed.optionError = true
                            return .formatError(questionParsed: true)
                        }
                        if parsed.cookieLength == 0 {
                            parsed.cookieOffset = option + 4
                            parsed.cookieLength = optionLength
                        }
                    }
                    option += 4 + optionLength
                }
            }
            offset = ownerEnd + 10 + length
        }
        guard offset == query.count else { return .formatError(questionParsed: true) }
        return .valid
    }

    private static func skipRecord(_ query: UnsafeRawBufferPointer, _ offset: Int) -> Int? {
        guard let ownerEnd = skipName(query, offset), ownerEnd + 10 <= query.count else { return nil }
        let length = Int(read16(query, ownerEnd + 8))
        guard ownerEnd + 10 + length <= query.count else { return nil }
        return ownerEnd + 10 + length
    }

    /// Offset just past a possibly compressed name; nil when it is malformed.
    private static func skipName(_ query: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var offset = start
        while offset < query.count {
            let length = Int(query[offset])
            if length == 0 { return offset + 1 }
            if length & 0xC0 == 0xC0 {
                guard offset + 2 <= query.count else { return nil }
                let target = (length & 0x3F) << 8 | Int(query[offset + 1])
                // A pointer must go backwards; the name it points at was checked already.
                return target < offset ? offset + 2 : nil
            }
            guard length <= DomainName.maxLabelLength else { return nil }
            offset += 1 + length
        }
        return nil
    }

    @inline(__always)
    /// Returns the offset just past the question name that starts at offset 12, or nil when
    /// that name is not a well-formed uncompressed name followed by room for QTYPE and QCLASS.
    /// Compression pointers are rejected, as nothing precedes the question to point at.
    static func questionNameEnd(_ query: UnsafeRawBufferPointer) -> Int? {
        var offset = 12
        while true {
            guard offset < query.count else { return nil }
            let length = Int(query[offset])
            if length == 0 {
                offset += 1
                break
            }
            guard length <= DomainName.maxLabelLength else { return nil }
            offset += 1 + length
        }
        guard offset - 12 <= DomainName.maxWireLength, offset + 4 <= query.count else { return nil }
        return offset
    }

    static func read16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}
