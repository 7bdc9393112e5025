/// The fixed 12-byte message header (RFC 1035 section 4.1.1).
public struct MessageHeader: Sendable, Equatable {
    public var id: UInt16 = 0
    public var isResponse = false
    public var opcode = Opcode.query
    public var isAuthoritative = false
    public var isTruncated = false
    public var recursionDesired = false
    public var recursionAvailable = false
    public var authenticData = false
    public var checkingDisabled = false
    /// The low four bits of the response code.
    public var rcode: UInt8 = 0
    public var questionCount: UInt16 = 0
    public var answerCount: UInt16 = 0
    public var authorityCount: UInt16 = 0
    public var additionalCount: UInt16 = 0

    public init() {}

    public init(flags: UInt16) {
        setFlags(flags)
    }

    public var flags: UInt16 {
        var value = UInt16(opcode.rawValue & 0x0F) << 11 | UInt16(rcode & 0x0F)
        if isResponse { value |= 0x8000 }
        if isAuthoritative { value |= 0x0400 }
        if isTruncated { value |= 0x0200 }
        if recursionDesired { value |= 0x0100 }
        if recursionAvailable { value |= 0x0080 }
        if authenticData { value |= 0x0020 }
        if checkingDisabled { value |= 0x0010 }
        return value
    }

    public mutating func setFlags(_ value: UInt16) {
        isResponse = value & 0x8000 != 0
        opcode = Opcode(rawValue: UInt8((value >> 11) & 0x0F))
        isAuthoritative = value & 0x0400 != 0
        isTruncated = value & 0x0200 != 0
        recursionDesired = value & 0x0100 != 0
        recursionAvailable = value & 0x0080 != 0
        authenticData = value & 0x0020 != 0
        checkingDisabled = value & 0x0010 != 0
        rcode = UInt8(value & 0x0F)
    }
}

/// One entry of the question section.
public struct Question: Sendable, Hashable {
    public var name: DomainName
    public var type: RRType
    public var qclass: RRClass

    public init(name: DomainName, type: RRType, qclass: RRClass = .in) {
        self.name = name
        self.type = type
        self.qclass = qclass
    }
}

/// EDNS(0) data carried by an OPT pseudo-record (RFC 6891 section 6.1).
public struct EDNS: Sendable, Equatable {
    public var udpPayloadSize: UInt16
    /// The upper eight bits of the extended RCODE.
    public var extendedRCode: UInt8
    public var version: UInt8
    public var dnssecOK: Bool
    public var options: [EDNSOption]

    public init(udpPayloadSize: UInt16, extendedRCode: UInt8 = 0, version: UInt8 = 0, dnssecOK: Bool = false, options: [EDNSOption] = []) {
        self.udpPayloadSize = udpPayloadSize
        self.extendedRCode = extendedRCode
        self.version = version
        self.dnssecOK = dnssecOK
        self.options = options
    }
}

/// One EDNS option: code and raw data.
public struct EDNSOption: Sendable, Equatable {
    public var code: UInt16
    public var data: [UInt8]

    public static let nsid: UInt16 = 3
    public static let cookie: UInt16 = 10
    /// Extended DNS Error (RFC 8914): an INFO-CODE and optional UTF-8 text.
    public static let extendedError: UInt16 = 15

    public init(code: UInt16, data: [UInt8]) {
        self.code = code
        self.data = data
    }
}

/// A whole message, parsed into sections. Used by tools and tests; the server's query path
/// parses queries with `QueryParser` instead.
public struct Message: Sendable {
    public var header = MessageHeader()
    public var questions: [Question] = []
    public var answers: [ResourceRecord] = []
    public var authority: [ResourceRecord] = []
    /// Additional records without the OPT pseudo-record, which is decoded into `edns`.
    public var additional: [ResourceRecord] = []
    public var edns: EDNS?

    public init() {}

    /// The full response code, combining the header bits and the OPT record's extension.
    public var rcode: RCode {
        RCode(rawValue: UInt16(edns?.extendedRCode ?? 0) << 4 | UInt16(header.rcode))
    }

    /// Parses a complete message.
    public init(parsing bytes: [UInt8]) throws(WireFormatError) {
        var reader = WireReader(bytes)
        let id = try reader.readUInt16("header")
        header = MessageHeader(flags: try reader.readUInt16("header"))
        header.id = id
        header.questionCount = try reader.readUInt16("header")
        header.answerCount = try reader.readUInt16("header")
        header.authorityCount = try reader.readUInt16("header")
        header.additionalCount = try reader.readUInt16("header")

        for _ in 0..<header.questionCount {
            let name = try reader.readName()
            let type = RRType(rawValue: try reader.readUInt16("question"))
            let qclass = RRClass(rawValue: try reader.readUInt16("question"))
            questions.append(Question(name: name, type: type, qclass: qclass))
        }
        for _ in 0..<header.answerCount {
            answers.append(try Self.readRecord(&reader))
        }
        for _ in 0..<header.authorityCount {
            authority.append(try Self.readRecord(&reader))
        }
        for _ in 0..<header.additionalCount {
            let record = try Self.readRecord(&reader)
            if record.type == .opt {
                edns = EDNS(optRecord: record)
            } else {
                additional.append(record)
            }
        }
        guard reader.remaining == 0 else { throw .trailingData }
    }

    /// Reads one resource record at the reader's offset.
    public static func readRecord(_ reader: inout WireReader) throws(WireFormatError) -> ResourceRecord {
        let owner = try reader.readName()
        let type = RRType(rawValue: try reader.readUInt16("record type"))
        let rrClass = RRClass(rawValue: try reader.readUInt16("record class"))
        let ttl = try reader.readUInt32("record TTL")
        let length = Int(try reader.readUInt16("RDATA length"))
        let rdata = try reader.readRData(type: type, length: length)
        return ResourceRecord(owner: owner, type: type, rrClass: rrClass, ttl: ttl, rdata: rdata)
    }

    /// Renders the message without truncation, compressing names. Used by tools and tests.
    public func rendered() -> [UInt8] {
        var writer = MessageWriter(capacity: 65535)
        var header = self.header
        header.questionCount = UInt16(questions.count)
        writer.writeHeader(header)
        for question in questions {
            _ = writer.writeQuestion(question)
        }
        for record in answers { _ = writer.writeRecord(record, section: .answer) }
        for record in authority { _ = writer.writeRecord(record, section: .authority) }
        for record in additional { _ = writer.writeRecord(record, section: .additional) }
        if let edns {
            _ = writer.writeOPT(edns)
        }
        return writer.bytes
    }
}

extension EDNS {
    /// Decodes the OPT pseudo-record's fields (RFC 6891 section 6.1.3).
    public init(optRecord record: ResourceRecord) {
        udpPayloadSize = record.rrClass.rawValue
        extendedRCode = UInt8(record.ttl >> 24)
        version = UInt8((record.ttl >> 16) & 0xFF)
        dnssecOK = record.ttl & 0x8000 != 0
        options = []
        var offset = 0
        let data = record.rdata
        while offset + 4 <= data.count {
            let code = UInt16(data[offset]) << 8 | UInt16(data[offset + 1])
            let length = Int(UInt16(data[offset + 2]) << 8 | UInt16(data[offset + 3]))
            let end = min(offset + 4 + length, data.count)
            options.append(EDNSOption(code: code, data: Array(data[(offset + 4)..<end])))
            offset = end
        }
    }
}
