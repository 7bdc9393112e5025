import NamedConfig

/// The query types counted one by one; every other type is counted under "other".
///
/// `index(of:)` is a plain switch so that the query path can call it without allocating.
public enum CountedQueryType {
    /// Type codes and mnemonics, in the order of `WorkerStatistics.queryTypes`.
    public static let types: [(code: UInt16, name: String)] = [
        (1, "A"), (2, "NS"), (5, "CNAME"), (6, "SOA"), (12, "PTR"), (13, "HINFO"), (15, "MX"), (16, "TXT"),
        (28, "AAAA"), (33, "SRV"), (35, "NAPTR"), (39, "DNAME"), (43, "DS"), (46, "RRSIG"), (47, "NSEC"),
        (48, "DNSKEY"), (50, "NSEC3"), (52, "TLSA"), (64, "SVCB"), (65, "HTTPS"), (99, "SPF"),
        (251, "IXFR"), (252, "AXFR"), (255, "ANY"), (257, "CAA"),
    ]
    /// Slot of the types not in `types`.
    public static let otherIndex = 25
    public static let slotCount = 26

    @inline(__always)
    public static func index(of type: UInt16) -> Int {
        switch type {
        case 1: return 0
        case 2: return 1
        case 5: return 2
        case 6: return 3
        case 12: return 4
        case 13: return 5
        case 15: return 6
        case 16: return 7
        case 28: return 8
        case 33: return 9
        case 35: return 10
        case 39: return 11
        case 43: return 12
        case 46: return 13
        case 47: return 14
        case 48: return 15
        case 50: return 16
        case 52: return 17
        case 64: return 18
        case 65: return 19
        case 99: return 20
        case 251: return 21
        case 252: return 22
        case 255: return 23
        case 257: return 24
        default: return otherIndex
        }
    }

    /// The name of slot `index`, "other" for the last one.
    public static func name(ofSlot index: Int) -> String {
        index < types.count ? types[index].name : "other"
    }
}

/// Counters kept by one worker and touched only on its queue, so they need no locks.
///
/// Fixed-size inline arrays keep an increment free of copy-on-write: reading a copy on the
/// worker's queue (`Worker.readStatistics`) shares no buffer with the live counters.
public struct WorkerStatistics: Sendable {
    public var udpQueries = 0
    public var tcpQueries = 0
    public var ipv4Requests = 0
    public var ipv6Requests = 0
    /// Responses built (UDP and TCP); a UDP response the socket could not take is also counted in `droppedResponses`.
    public var responses = 0
    public var droppedResponses = 0
    public var truncatedResponses = 0
    public var authoritativeAnswers = 0
    /// NOERROR responses with at least one answer record.
    public var successfulAnswers = 0
    /// NOERROR responses with an empty answer section (NODATA and referrals).
    public var emptyAnswers = 0
    /// Messages without a response: too short or with the QR bit set.
    public var ignoredMessages = 0
    /// Indexed by the 4-bit header opcode.
    public var opcodes = InlineArray<16, Int>(repeating: 0)
    /// Indexed by the 4-bit header RCODE; extended RCODEs in the OPT record are not added.
    public var rcodes = InlineArray<16, Int>(repeating: 0)
    /// Indexed by `CountedQueryType.index(of:)`.
    public var queryTypes = InlineArray<26, Int>(repeating: 0)
    /// Queries with a COOKIE option, and each class of option as BIND 9.18 counts them.
    public var cookieIn = 0
    public var cookieNew = 0
    public var cookieBadSize = 0
    public var cookieBadTime = 0
    public var cookieNoMatch = 0
    public var cookieMatch = 0

    public init() {}

    public var queries: Int { udpQueries + tcpQueries }

    public mutating func add(_ other: WorkerStatistics) {
        udpQueries += other.udpQueries
        tcpQueries += other.tcpQueries
        ipv4Requests += other.ipv4Requests
        ipv6Requests += other.ipv6Requests
        responses += other.responses
        droppedResponses += other.droppedResponses
        truncatedResponses += other.truncatedResponses
        authoritativeAnswers += other.authoritativeAnswers
        successfulAnswers += other.successfulAnswers
        emptyAnswers += other.emptyAnswers
        ignoredMessages += other.ignoredMessages
        for i in 0..<16 {
            opcodes[i] += other.opcodes[i]
            rcodes[i] += other.rcodes[i]
        }
        for i in 0..<CountedQueryType.slotCount {
            queryTypes[i] += other.queryTypes[i]
        }
        cookieIn += other.cookieIn
        cookieNew += other.cookieNew
        cookieBadSize += other.cookieBadSize
        cookieBadTime += other.cookieBadTime
        cookieNoMatch += other.cookieNoMatch
        cookieMatch += other.cookieMatch
    }

    /// Counts the COOKIE option of one query, as the responder classified it.
    @inline(__always)
    mutating func countCookie(_ check: ServerCookie.Check?) {
        guard let check else { return }
        cookieIn += 1
        switch check {
        case .clientOnly: cookieNew += 1
        case .badSize: cookieBadSize += 1
        case .badTime: cookieBadTime += 1
        case .noMatch: cookieNoMatch += 1
        case .match: cookieMatch += 1
        }
    }

    /// Counts one incoming message. `query` is the raw message; only its header and the type
    /// of its first question are read, without allocating.
    @inline(__always)
    mutating func countRequest(_ query: UnsafeRawBufferPointer, isIPv4: Bool, transport: Transport) {
        switch transport {
        case .udp: udpQueries += 1
        case .tcp: tcpQueries += 1
        }
        if isIPv4 { ipv4Requests += 1 } else { ipv6Requests += 1 }
        guard query.count >= 12 else { return }
        opcodes[Int((query[2] >> 3) & 0x0F)] += 1
        guard query[4] != 0 || query[5] != 0 else { return }
        // Skip the question name: uncompressed labels up to the root label.
        var offset = 12
        while offset < query.count {
            let length = Int(query[offset])
            if length == 0 { break }
            if length & 0xC0 != 0 { return }
            offset += length + 1
        }
        guard offset + 2 < query.count else { return }
        let type = UInt16(query[offset + 1]) << 8 | UInt16(query[offset + 2])
        queryTypes[CountedQueryType.index(of: type)] += 1
    }

    /// Counts one response of at least 12 bytes (a whole header) built at `response`.
    @inline(__always)
    mutating func countResponse(_ response: UnsafeBufferPointer<UInt8>) {
        guard response.count >= 12 else { return }
        responses += 1
        let rcode = Int(response[3] & 0x0F)
        rcodes[rcode] += 1
        if response[2] & 0x04 != 0 { authoritativeAnswers += 1 }
        if response[2] & 0x02 != 0 { truncatedResponses += 1 }
        if rcode == 0 {
            if response[6] != 0 || response[7] != 0 { successfulAnswers += 1 } else { emptyAnswers += 1 }
        }
    }
}

/// Names of header opcodes and RCODEs as BIND's statistics print them.
public enum DNSCodeNames {
    public static let opcodes = [
        "QUERY", "IQUERY", "STATUS", "RESERVED3", "NOTIFY", "UPDATE", "RESERVED6", "RESERVED7", "RESERVED8",
        "RESERVED9", "RESERVED10", "RESERVED11", "RESERVED12", "RESERVED13", "RESERVED14", "RESERVED15",
    ]
    public static let rcodes = [
        "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
        "NOTAUTH", "NOTZONE", "RESERVED11", "RESERVED12", "RESERVED13", "RESERVED14", "RESERVED15",
    ]
}

/// Zone facts printed next to the counters.
public struct ZoneStatisticsEntry: Sendable {
    public var name: String
    public var serial: UInt32
}

/// Every counter of the server, summed over the workers, with the facts the outputs print.
public struct ServerStatistics: Sendable {
    public var counters: WorkerStatistics
    /// Seconds since the epoch.
    public var bootTime: Int
    public var configTime: Int
    public var currentTime: Int
    public var version: String
    public var tcpClients: Int
    public var zones: [ZoneStatisticsEntry]

    /// The counters of BIND's "Name Server Statistics" section that swift-named keeps: the JSON
    /// key (`nsstats` in /json/v1), the text line of the statistics file and the value.
    public var nameServerCounters: [(key: String, description: String, value: Int)] {
        [
            ("Requestv4", "IPv4 requests received", counters.ipv4Requests),
            ("Requestv6", "IPv6 requests received", counters.ipv6Requests),
            ("ReqTCP", "TCP requests received", counters.tcpQueries),
            ("Response", "responses sent", counters.responses - counters.droppedResponses),
            ("TruncatedResp", "truncated responses sent", counters.truncatedResponses),
            ("QrySuccess", "queries resulted in successful answer", counters.successfulAnswers),
            ("QryAuthAns", "queries resulted in authoritative answer", counters.authoritativeAnswers),
            ("QryNoauthAns", "queries resulted in non authoritative answer",
             counters.responses - counters.authoritativeAnswers),
            ("QryNxrrset", "queries resulted in nxrrset", counters.emptyAnswers),
            ("QryNXDOMAIN", "queries resulted in NXDOMAIN", counters.rcodes[3]),
            ("QrySERVFAIL", "queries resulted in SERVFAIL", counters.rcodes[2]),
            ("QryFORMERR", "queries resulted in FORMERR", counters.rcodes[1]),
            ("QryUDP", "UDP queries received", counters.udpQueries),
            ("QryTCP", "TCP queries received", counters.tcpQueries),
            ("RespDropped", "responses dropped by the socket", counters.droppedResponses),
            ("ReqIgnored", "requests ignored (short or QR set)", counters.ignoredMessages),
            ("CookieIn", "COOKIE option received", counters.cookieIn),
            ("CookieNew", "COOKIE - client only", counters.cookieNew),
            ("CookieBadSize", "COOKIE - bad size", counters.cookieBadSize),
            ("CookieBadTime", "COOKIE - bad time", counters.cookieBadTime),
            ("CookieNoMatch", "COOKIE - no match", counters.cookieNoMatch),
            ("CookieMatch", "COOKIE - match", counters.cookieMatch),
        ]
    }
}
