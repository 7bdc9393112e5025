import Glibc

/// Record type mnemonics used by the query list and by the response printer.
let recordTypeNumbers: [String: UInt16] = [
    "A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "NULL": 10, "PTR": 12, "HINFO": 13, "MX": 15,
    "TXT": 16, "AAAA": 28, "SRV": 33, "NAPTR": 35, "DNAME": 39, "OPT": 41, "DS": 43,
    "RRSIG": 46, "NSEC": 47, "DNSKEY": 48, "NSEC3": 50, "NSEC3PARAM": 51, "IXFR": 251, "AXFR": 252, "ANY": 255,
    "CAA": 257,
]

let recordTypeNames: [UInt16: String] = Dictionary(
    uniqueKeysWithValues: recordTypeNumbers.map { ($0.value, $0.key) })

func recordTypeName(_ type: UInt16) -> String {
    recordTypeNames[type] ?? "TYPE\(type)"
}

func className(_ rrClass: UInt16) -> String {
    switch rrClass {
    case 1: "IN"
    case 3: "CH"
    case 4: "HS"
    case 255: "ANY"
    default: "CLASS\(rrClass)"
    }
}

let rcodeNames: [Int: String] = [
    0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED",
    6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 16: "BADVERS",
    23: "BADCOOKIE",
]

/// Reads hex digits into bytes; nil when the count is odd or a character is not a hex digit.
func hexBytes(_ text: String) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    for index in stride(from: 0, to: digits.count, by: 2) {
        guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
        bytes.append(byte)
    }
    return bytes
}

/// One query of the interop list, written like a dig command line:
/// `NAME [CLASS] TYPE [+tcp] [+norec] [+noedns] [+bufsize=N] [+edns=VERSION] [+opcode=N]
/// [+dnssec] [+cd] [+cookie] [+cookie=HEX]`.
/// As in dig, RD is set and EDNS is sent with a 1232-octet UDP size unless an option says
/// otherwise. Unlike dig, no AD flag is sent, and a COOKIE option only with `+cookie`
/// (client cookie 0102030405060708) or `+cookie=HEX` (the option data as given).
struct QuerySpec: CustomStringConvertible, Sendable {
    var text: String
    var name: String
    var type: UInt16
    var rrClass: UInt16 = 1
    var tcp = false
    var recursionDesired = true
    var ednsUDPSize: UInt16? = 1232
    var ednsVersion: UInt8 = 0
    var opcode: UInt16 = 0
    var dnssecOK = false
    var checkingDisabled = false
    /// The COOKIE option's data, or nil for none.
    var cookie: [UInt8]?

    static let defaultClientCookie: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]

    init(_ text: String) {
        self.text = text
        let words = text.split(separator: " ").map(String.init)
        precondition(words.count >= 2, "query \"\(text)\" needs at least a name and a type")
        name = words[0]
        var index = 1
        if let rrClass = ["IN": UInt16(1), "CH": 3, "CHAOS": 3, "HS": 4][words[index].uppercased()],
            index + 1 < words.count, !words[index + 1].hasPrefix("+")
        {
            self.rrClass = rrClass
            index += 1
        }
        let typeWord = words[index].uppercased()
        if let number = recordTypeNumbers[typeWord] {
            type = number
        } else if typeWord.hasPrefix("TYPE"), let number = UInt16(typeWord.dropFirst(4)) {
            type = number
        } else {
            preconditionFailure("query \"\(text)\": unknown type \(words[index]); use a mnemonic or TYPEnnn")
        }
        for option in words[(index + 1)...] {
            switch option {
            case "+tcp": tcp = true
            case "+notcp": tcp = false
            case "+rec": recursionDesired = true
            case "+norec": recursionDesired = false
            case "+noedns": ednsUDPSize = nil
            case "+dnssec": dnssecOK = true
            case "+cd": checkingDisabled = true
            case "+cookie": cookie = Self.defaultClientCookie
            default:
                if option.hasPrefix("+bufsize="), let size = UInt16(option.dropFirst("+bufsize=".count)) {
                    ednsUDPSize = size
                } else if option.hasPrefix("+edns="), let version = UInt8(option.dropFirst("+edns=".count)) {
                    ednsVersion = version
                } else if option.hasPrefix("+cookie="), let data = hexBytes(String(option.dropFirst("+cookie=".count))) {
                    cookie = data
                } else if option.hasPrefix("+opcode="), let value = UInt16(option.dropFirst("+opcode=".count)),
                    value < 16
                {
                    opcode = value
                } else {
                    preconditionFailure("query \"\(text)\": unknown option \(option)")
                }
            }
        }
    }

    var description: String { text }

    /// Returns a dig command that sends the same query, for failure reports.
    func digCommand(port: UInt16) -> String {
        "dig @127.0.0.1 -p \(port) \(text) +noadflag" + (cookie == nil ? " +nocookie" : " +nobadcookie")
    }

    /// Encodes the query with the given message ID.
    func encode(id: UInt16) -> [UInt8] {
        var bytes: [UInt8] = []
        var flags: UInt16 = opcode << 11
        if recursionDesired { flags |= 0x0100 }
        if checkingDisabled { flags |= 0x0010 }
        appendUInt16(&bytes, id)
        appendUInt16(&bytes, flags)
        appendUInt16(&bytes, 1)
        appendUInt16(&bytes, 0)
        appendUInt16(&bytes, 0)
        appendUInt16(&bytes, ednsUDPSize == nil ? 0 : 1)
        bytes += encodeName(name)
        appendUInt16(&bytes, type)
        appendUInt16(&bytes, rrClass)
        if let size = ednsUDPSize {
            bytes.append(0)  // root owner name
            appendUInt16(&bytes, 41)
            appendUInt16(&bytes, size)
            bytes.append(0)  // extended RCODE
            bytes.append(ednsVersion)
            appendUInt16(&bytes, dnssecOK ? 0x8000 : 0)
            if let cookie {
                appendUInt16(&bytes, UInt16(4 + cookie.count))
                appendUInt16(&bytes, 10)
                appendUInt16(&bytes, UInt16(cookie.count))
                bytes += cookie
            } else {
                appendUInt16(&bytes, 0)  // no options
            }
        }
        return bytes
    }
}

func appendUInt16(_ bytes: inout [UInt8], _ value: UInt16) {
    bytes.append(UInt8(value >> 8))
    bytes.append(UInt8(value & 0xFF))
}

/// Encodes a presentation-form name (no escapes needed by the fixtures) into wire form,
/// keeping the letter case as written.
func encodeName(_ name: String) -> [UInt8] {
    var bytes: [UInt8] = []
    for label in name.split(separator: ".", omittingEmptySubsequences: true) {
        let utf8 = Array(label.utf8)
        precondition(utf8.count <= 63, "label \(label) is longer than 63 octets")
        bytes.append(UInt8(utf8.count))
        bytes += utf8
    }
    bytes.append(0)
    return bytes
}

enum DecodeError: Error, CustomStringConvertible {
    case truncated(at: Int, what: String)
    case badName(String)
    case invalid(String)

    var description: String {
        switch self {
        case .truncated(let offset, let what): "message ends at offset \(offset) inside \(what)"
        case .badName(let reason): "invalid name: \(reason)"
        case .invalid(let reason): reason
        }
    }
}

/// A bounds-checked cursor over a DNS message.
struct WireReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func uint8(_ what: String) throws -> UInt8 {
        guard offset + 1 <= bytes.count else { throw DecodeError.truncated(at: offset, what: what) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16(_ what: String) throws -> UInt16 {
        guard offset + 2 <= bytes.count else { throw DecodeError.truncated(at: offset, what: what) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func uint32(_ what: String) throws -> UInt32 {
        let high = try uint16(what)
        let low = try uint16(what)
        return UInt32(high) << 16 | UInt32(low)
    }

    mutating func take(_ count: Int, _ what: String) throws -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else {
            throw DecodeError.truncated(at: offset, what: what)
        }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// Reads a possibly compressed name and returns it in presentation form, letter case kept.
    mutating func name() throws -> String {
        var labels: [String] = []
        var position = offset
        var jumped = false
        var jumps = 0
        var wireLength = 0
        while true {
            guard position < bytes.count else { throw DecodeError.truncated(at: position, what: "name") }
            let length = Int(bytes[position])
            if length & 0xC0 == 0xC0 {
                guard position + 1 < bytes.count else { throw DecodeError.truncated(at: position, what: "pointer") }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                if !jumped { offset = position + 2 }
                jumped = true
                jumps += 1
                guard jumps < 128, target < position else {
                    throw DecodeError.badName("compression pointer at \(position) does not point backwards")
                }
                position = target
                continue
            }
            guard length & 0xC0 == 0 else { throw DecodeError.badName("label type \(length >> 6)") }
            position += 1
            if length == 0 { break }
            guard position + length <= bytes.count else { throw DecodeError.truncated(at: position, what: "label") }
            wireLength += length + 1
            guard wireLength < 255 else { throw DecodeError.badName("longer than 255 octets") }
            labels.append(presentLabel(bytes[position..<(position + length)]))
            position += length
        }
        if !jumped { offset = position }
        return labels.isEmpty ? "." : labels.joined(separator: ".") + "."
    }
}

private func presentLabel(_ label: ArraySlice<UInt8>) -> String {
    var text = ""
    for byte in label {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: ";"), UInt8(ascii: "@"), UInt8(ascii: "$"):
            text += "\\" + String(UnicodeScalar(byte))
        case 0x21...0x7E:
            text += String(UnicodeScalar(byte))
        default:
            text += "\\" + threeDigits(byte)
        }
    }
    return text
}

private func threeDigits(_ byte: UInt8) -> String {
    let digits = String(byte)
    return String(repeating: "0", count: 3 - digits.count) + digits
}

private func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789ABCDEF")
    var text = ""
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return text
}

private func quotedString(_ bytes: [UInt8]) -> String {
    var text = "\""
    for byte in bytes {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): text += "\\" + String(UnicodeScalar(byte))
        case 0x20...0x7E: text += String(UnicodeScalar(byte))
        default: text += "\\" + threeDigits(byte)
        }
    }
    return text + "\""
}

/// A response reduced to what the comparison looks at. The message ID is checked when the
/// response is decoded and left out. Sections are sorted lists of printed records, so RRsets
/// compare as multisets and the order of records does not matter.
struct NormalizedResponse: Equatable, CustomStringConvertible {
    var opcode: Int
    var rcode: String
    var flags: [String]
    var question: [String]
    var answer: [String]
    var authority: [String]
    var additional: [String]
    /// The OPT record's UDP size, version, flags and options: NSID is left out, and COOKIE is
    /// reduced to its length and client cookie, since the server cookie differs by design.
    var edns: String?
    /// For a TC response, the record counts of the three sections, whose records were dropped.
    /// They are printed but not compared.
    var truncatedSectionCounts: [Int]?
    /// The size of the message in octets; printed by nobody and not compared.
    var wireSize = 0
    /// The whole COOKIE option data (client and server cookie), or nil when there was none.
    /// Not compared: tests that send a cookie back read it from here.
    var cookie: [UInt8]?

    static func == (left: Self, right: Self) -> Bool {
        left.opcode == right.opcode && left.rcode == right.rcode && left.flags == right.flags
            && left.question == right.question && left.answer == right.answer
            && left.authority == right.authority && left.additional == right.additional
            && left.edns == right.edns
    }

    var description: String {
        var lines = ["opcode \(opcode), \(rcode), flags: \(flags.joined(separator: " "))"]
        lines.append("EDNS: \(edns ?? "none")")
        for (title, records) in [
            ("QUESTION", question), ("ANSWER", answer), ("AUTHORITY", authority),
            ("ADDITIONAL", additional),
        ] {
            lines.append("\(title) (\(records.count))")
            lines += records.map { "  " + $0 }
        }
        if let counts = truncatedSectionCounts {
            lines.append(
                "TC is set: \(counts[0]) answer, \(counts[1]) authority and \(counts[2]) additional records "
                    + "were not compared")
        }
        return lines.joined(separator: "\n")
    }

    /// Decodes a response and checks that it carries `expectedID`.
    init(decoding message: [UInt8], expectedID: UInt16?) throws {
        wireSize = message.count
        var reader = WireReader(message)
        let id = try reader.uint16("header")
        let flagBits = try reader.uint16("header")
        let counts = [
            try reader.uint16("header"), try reader.uint16("header"),
            try reader.uint16("header"), try reader.uint16("header"),
        ]
        if let expectedID, id != expectedID {
            throw DecodeError.invalid("response ID \(id) does not match query ID \(expectedID)")
        }

        opcode = Int(flagBits >> 11) & 0x0F
        var rcodeValue = Int(flagBits & 0x000F)
        let flagNames: [(UInt16, String)] = [
            (0x8000, "qr"), (0x0400, "aa"), (0x0200, "tc"), (0x0100, "rd"), (0x0080, "ra"),
            (0x0040, "z"), (0x0020, "ad"), (0x0010, "cd"),
        ]
        flags = flagNames.filter { flagBits & $0.0 != 0 }.map(\.1)

        question = []
        for _ in 0..<counts[0] {
            let name = try reader.name()
            let type = try reader.uint16("question")
            let rrClass = try reader.uint16("question")
            question.append("\(name) \(className(rrClass)) \(recordTypeName(type))")
        }

        var sections: [[String]] = [[], [], []]
        var ednsText: String?
        for section in 0..<3 {
            for _ in 0..<counts[section + 1] {
                let owner = try reader.name()
                let type = try reader.uint16("record header")
                let rrClass = try reader.uint16("record header")
                let ttl = try reader.uint32("record header")
                let rdataLength = Int(try reader.uint16("record header"))
                let rdataStart = reader.offset
                guard rdataStart + rdataLength <= message.count else {
                    throw DecodeError.truncated(at: rdataStart, what: "RDATA of \(owner) \(recordTypeName(type))")
                }
                if type == 41 {
                    rcodeValue |= Int(ttl >> 24) << 4
                    let rdata = try reader.take(rdataLength, "OPT")
                    ednsText = try Self.describeOPT(udpSize: rrClass, ttl: ttl, rdata: rdata)
                    cookie = Self.cookieOption(rdata)
                    continue
                }
                let rdata = try Self.describeRDATA(
                    type: type, message: message, start: rdataStart, length: rdataLength)
                reader.offset = rdataStart + rdataLength
                sections[section].append(
                    "\(owner) \(ttl) \(className(rrClass)) \(recordTypeName(type)) \(rdata)")
            }
        }
        guard reader.offset == message.count else {
            throw DecodeError.invalid("\(message.count - reader.offset) octets after the last record")
        }
        answer = sections[0].sorted()
        authority = sections[1].sorted()
        additional = sections[2].sorted()
        if flags.contains("tc") {
            // RFC 2181 section 9: a client ignores the records of a truncated response and
            // retries over TCP. BIND sends either no records or a random part of the RRset, so
            // only the header, question and OPT record of a TC response are compared.
            truncatedSectionCounts = [answer.count, authority.count, additional.count]
            answer = []
            authority = []
            additional = []
        }
        edns = ednsText
        rcode = rcodeNames[rcodeValue] ?? "RCODE\(rcodeValue)"
    }

    private static func cookieOption(_ rdata: [UInt8]) -> [UInt8]? {
        var offset = 0
        while offset + 4 <= rdata.count {
            let code = Int(rdata[offset]) << 8 | Int(rdata[offset + 1])
            let length = Int(rdata[offset + 2]) << 8 | Int(rdata[offset + 3])
            guard offset + 4 + length <= rdata.count else { return nil }
            if code == 10 { return Array(rdata[(offset + 4)..<(offset + 4 + length)]) }
            offset += 4 + length
        }
        return nil
    }

    private static func describeOPT(udpSize: UInt16, ttl: UInt32, rdata: [UInt8]) throws -> String {
        let version = (ttl >> 16) & 0xFF
        let doBit = ttl & 0x8000 != 0
        let otherFlags = ttl & 0x7FFF
        var text = "udp \(udpSize) version \(version)" + (doBit ? " do" : "")
        if otherFlags != 0 { text += " flags 0x\(String(otherFlags, radix: 16))" }
        var reader = WireReader(rdata)
        while reader.offset < rdata.count {
            let code = try reader.uint16("OPT option")
            let length = Int(try reader.uint16("OPT option"))
            let data = try reader.take(length, "OPT option data")
            // NSID (3) and the server part of COOKIE (10) differ between servers by nature.
            if code == 3 { continue }
            if code == 10 {
                text += " cookie length \(length) client \(hex(Array(data.prefix(8))))"
                continue
            }
            text += " option \(code)=\(hex(data))"
        }
        return text
    }

    private static func describeRDATA(type: UInt16, message: [UInt8], start: Int, length: Int) throws -> String {
        var reader = WireReader(message)
        reader.offset = start
        let end = start + length
        var parts: [String] = []
        switch type {
        case 1 where length == 4:
            let bytes = try reader.take(4, "A")
            parts.append(bytes.map(String.init).joined(separator: "."))
        case 28 where length == 16:
            var bytes = try reader.take(16, "AAAA")
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            _ = inet_ntop(AF_INET6, &bytes, &text, socklen_t(text.count))
            let length = text.firstIndex(of: 0) ?? text.count
            parts.append(String(decoding: text[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        case 2, 5, 12, 39:
            parts.append(try reader.name())
        case 15:
            parts.append(String(try reader.uint16("MX")))
            parts.append(try reader.name())
        case 6:
            parts.append(try reader.name())
            parts.append(try reader.name())
            for _ in 0..<5 { parts.append(String(try reader.uint32("SOA"))) }
        case 33:
            for _ in 0..<3 { parts.append(String(try reader.uint16("SRV"))) }
            parts.append(try reader.name())
        case 16:
            while reader.offset < end {
                let count = Int(try reader.uint8("TXT"))
                parts.append(quotedString(try reader.take(count, "TXT string")))
            }
        case 257:
            parts.append(String(try reader.uint8("CAA")))
            let tagLength = Int(try reader.uint8("CAA"))
            let tag = try reader.take(tagLength, "CAA tag")
            parts.append(String(decoding: tag, as: UTF8.self))
            parts.append(quotedString(try reader.take(end - reader.offset, "CAA value")))
        case 43:
            parts.append(String(try reader.uint16("DS")))
            parts.append(String(try reader.uint8("DS")))
            parts.append(String(try reader.uint8("DS")))
            parts.append(hex(try reader.take(end - reader.offset, "DS digest")))
        default:
            parts.append("\\# \(length)")
            if length > 0 { parts.append(hex(try reader.take(length, "RDATA"))) }
        }
        guard reader.offset == end else {
            throw DecodeError.invalid(
                "\(recordTypeName(type)) RDATA is \(length) octets but its fields use \(reader.offset - start)")
        }
        return parts.joined(separator: " ")
    }
}

/// The outcome of sending one query, in a form two servers can be compared on.
enum QueryOutcome: Equatable, CustomStringConvertible {
    case response(NormalizedResponse)
    case noReply
    case connectionClosed
    case undecodable(reason: String, message: [UInt8])
    case socketError(String)

    var description: String {
        switch self {
        case .response(let response): response.description
        case .noReply: "no reply before the timeout"
        case .connectionClosed: "connection closed without a reply"
        case .undecodable(let reason, let message): "undecodable reply (\(reason)): \(hex(message))"
        case .socketError(let text): "socket error: \(text)"
        }
    }
}

/// Sends `query` to the server on `port` and normalizes what comes back.
func exchange(_ query: QuerySpec, port: UInt16) -> QueryOutcome {
    let id = UInt16.random(in: 0...UInt16.max)
    let payload = query.encode(id: id)
    let reply = query.tcp ? WireClient.tcp(port: port, payload: payload) : WireClient.udp(port: port, payload: payload)
    switch reply {
    case .message(let bytes):
        do {
            return .response(try NormalizedResponse(decoding: bytes, expectedID: id))
        } catch {
            return .undecodable(reason: "\(error)", message: bytes)
        }
    case .noReply: return .noReply
    case .closed: return .connectionClosed
    case .socketError(let text): return .socketError(text)
    }
}
