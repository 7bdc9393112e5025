import DNSWire

/// Writes a response into a caller's buffer, compressing names (RFC 1035 section 4.1.4) and
/// never going past `limit`. Every write of a record either completes or leaves the buffer
/// as it was and returns false, so the caller decides between truncation and omission.
///
/// Compression matches names byte for byte, case included, as BIND does, so that owner
/// names keep the case they have in the zone even when the question used other case.
struct ResponseWriter {
    /// Longest response over TCP (RFC 1035 section 4.2.2).
    static let maxSize = 65535
    /// Name suffixes remembered for compression; later names simply are not compressed.
    static let maxCompressionEntries = 128

    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private(set) var limit = 512
    private var reserved = 0
    private let entryOffsets: UnsafeMutablePointer<UInt16>
    private let entryLengths: UnsafeMutablePointer<UInt16>
    private var entryCount = 0
    var answerCount: UInt16 = 0
    var authorityCount: UInt16 = 0
    var additionalCount: UInt16 = 0

    init() {
        buffer = .allocate(capacity: Self.maxSize)
        entryOffsets = .allocate(capacity: Self.maxCompressionEntries)
        entryLengths = .allocate(capacity: Self.maxCompressionEntries)
    }

    /// Starts a new response in `destination`, which must hold `limit` bytes.
    mutating func start(in destination: UnsafeMutablePointer<UInt8>, limit: Int) {
        buffer = destination
        count = 0
        self.limit = limit
        reserved = 0
        entryCount = 0
        answerCount = 0
        authorityCount = 0
        additionalCount = 0
    }

    /// A position to return to when a whole RRset does not fit.
    struct Checkpoint {
        var count: Int
        var entries: Int
        var answers: UInt16
        var authority: UInt16
        var additional: UInt16
    }

    func checkpoint() -> Checkpoint {
        Checkpoint(count: count, entries: entryCount, answers: answerCount, authority: authorityCount,
                   additional: additionalCount)
    }

    mutating func restore(_ checkpoint: Checkpoint) {
        count = checkpoint.count
        entryCount = checkpoint.entries
        answerCount = checkpoint.answers
        authorityCount = checkpoint.authority
        additionalCount = checkpoint.additional
    }

    /// Keeps `bytes` free for the OPT record, which is written last.
    mutating func reserve(_ bytes: Int) {
        reserved += bytes
        limit -= bytes
    }

    mutating func releaseReserved() {
        limit += reserved
        reserved = 0
    }

    mutating func writeHeader(id: UInt16, flags: UInt16) {
        put16(id, at: 0)
        put16(flags, at: 2)
        for offset in 4..<12 { buffer[offset] = 0 }
        count = 12
    }

    mutating func setFlags(_ flags: UInt16) {
        put16(flags, at: 2)
    }

    /// Writes the question exactly as the client sent it and remembers its name for compression.
    mutating func writeQuestion(name: UnsafeRawBufferPointer, type: UInt16, qclass: UInt16) {
        var offset = 0
        while name[offset] != 0 && entryCount < Self.maxCompressionEntries {
            entryOffsets[entryCount] = UInt16(count + offset)
            entryLengths[entryCount] = UInt16(name.count - offset)
            entryCount += 1
            offset += 1 + Int(name[offset])
        }
        for index in 0..<name.count { buffer[count + index] = name[index] }
        count += name.count
        put16(type, at: count)
        put16(qclass, at: count + 2)
        count += 4
        put16(1, at: 4)
    }

    /// Writes the section counts into the header.
    mutating func finishCounts() {
        put16(answerCount, at: 6)
        put16(authorityCount, at: 8)
        put16(additionalCount, at: 10)
    }

    /// Writes one record. Names inside RDATA are compressed only for RFC 1035 types (RFC 3597
    /// section 4). Returns false, with nothing written, when the record does not fit.
    mutating func writeRecord(owner: UnsafeBufferPointer<UInt8>, type: UInt16, rrClass: UInt16, ttl: UInt32,
                              rdata: UnsafeBufferPointer<UInt8>, section: MessageSection) -> Bool {
        let mark = count
        let entries = entryCount
        guard writeName(owner, from: 0) else { return rollBack(mark, entries) }
        guard count + 10 <= limit else { return rollBack(mark, entries) }
        put16(type, at: count)
        put16(rrClass, at: count + 2)
        put32(ttl, at: count + 4)
        let lengthOffset = count + 8
        count += 10
        guard writeRData(type: type, rdata) else { return rollBack(mark, entries) }
        put16(UInt16(count - lengthOffset - 2), at: lengthOffset)
        switch section {
        case .answer: answerCount += 1
        case .authority: authorityCount += 1
        case .additional: additionalCount += 1
        }
        return true
    }

    /// Writes the OPT pseudo-record (RFC 6891 section 6.1.2), with an NSID option (RFC 5001)
    /// when `nsid` is given, then a COOKIE option (RFC 7873) when `cookie` is given, in the
    /// order BIND 9.18 writes them, and last an Extended DNS Error option (RFC 8914) when
    /// `extendedError` (INFO-CODE and text) is given. The caller must have reserved room for it
    /// with `reserve`; without room it writes nothing and returns false.
    mutating func writeOPT(payloadSize: UInt16, extendedRCode: UInt8, dnssecOK: Bool,
                           nsid: UnsafeBufferPointer<UInt8>? = nil, cookie: ServerCookie? = nil,
                           extendedError: UnsafeBufferPointer<UInt8>? = nil) -> Bool {
        let nsidLength = nsid.map { 4 + $0.count } ?? 0
        let cookieLength = cookie == nil ? 0 : 4 + ServerCookie.optionLength
        let errorLength = extendedError.map { 4 + $0.count } ?? 0
        let optionLength = nsidLength + cookieLength + errorLength
        guard count + 11 + optionLength <= limit else { return false }
        buffer[count] = 0
        put16(RRType.opt.rawValue, at: count + 1)
        put16(payloadSize, at: count + 3)
        let ttl = UInt32(extendedRCode) << 24 | (dnssecOK ? 0x8000 : 0)
        put32(ttl, at: count + 5)
        put16(UInt16(optionLength), at: count + 9)
        count += 11
        if let nsid {
            put16(EDNSOption.nsid, at: count)
            put16(UInt16(nsid.count), at: count + 2)
            count += 4
            for (index, byte) in nsid.enumerated() { buffer[count + index] = byte }
            count += nsid.count
        }
        if let cookie {
            put16(EDNSOption.cookie, at: count)
            put16(UInt16(ServerCookie.optionLength), at: count + 2)
            put32(UInt32(truncatingIfNeeded: cookie.clientCookie >> 32), at: count + 4)
            put32(UInt32(truncatingIfNeeded: cookie.clientCookie), at: count + 8)
            put32(0x0100_0000, at: count + 12)  // version 1, reserved octets zero
            put32(cookie.timestamp, at: count + 16)
            for index in 0..<8 {
                buffer[count + 20 + index] = UInt8(truncatingIfNeeded: cookie.hash >> (8 * index))
            }
            count += cookieLength
        }
        if let extendedError {
            put16(EDNSOption.extendedError, at: count)
            put16(UInt16(extendedError.count), at: count + 2)
            count += 4
            for (index, byte) in extendedError.enumerated() { buffer[count + index] = byte }
            count += extendedError.count
        }
        additionalCount += 1
        return true
    }

    private mutating func writeRData(type: UInt16, _ rdata: UnsafeBufferPointer<UInt8>) -> Bool {
        switch type {
        case 2, 3, 4, 5, 7, 8, 9, 12:
            return writeName(rdata, from: 0)
        case 15:
            guard count + 2 <= limit, rdata.count > 2 else { return false }
            buffer[count] = rdata[0]
            buffer[count + 1] = rdata[1]
            count += 2
            return writeName(rdata, from: 2)
        case 6, 14:
            guard let first = nameEnd(rdata, 0), writeName(rdata, from: 0, end: first),
                let second = nameEnd(rdata, first), writeName(rdata, from: first, end: second)
            else { return false }
            return copyBytes(rdata, from: second)
        default:
            return copyBytes(rdata, from: 0)
        }
    }

    private mutating func copyBytes(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        let length = bytes.count - start
        guard count + length <= limit else { return false }
        if length > 0 {
            (buffer + count).update(from: bytes.baseAddress! + start, count: length)
        }
        count += length
        return true
    }

    private func nameEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var offset = start
        while offset < bytes.count {
            if bytes[offset] == 0 { return offset + 1 }
            offset += 1 + Int(bytes[offset])
        }
        return nil
    }

    /// Writes the wire name at `bytes[start..<end]` (end defaults to the end of the name),
    /// pointing at the longest suffix already in the message.
    private mutating func writeName(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int? = nil) -> Bool {
        let stop = end ?? (nameEnd(bytes, start) ?? bytes.count)
        var offset = start
        while bytes[offset] != 0 {
            let suffixLength = stop - offset
            if let target = findSuffix(bytes, from: offset, length: suffixLength) {
                guard count + 2 <= limit else { return false }
                put16(0xC000 | UInt16(target), at: count)
                count += 2
                return true
            }
            let labelLength = Int(bytes[offset])
            guard count + 1 + labelLength <= limit else { return false }
            if count < 0x4000 && entryCount < Self.maxCompressionEntries {
                entryOffsets[entryCount] = UInt16(count)
                entryLengths[entryCount] = UInt16(suffixLength)
                entryCount += 1
            }
            (buffer + count).update(from: bytes.baseAddress! + offset, count: 1 + labelLength)
            count += 1 + labelLength
            offset += 1 + labelLength
        }
        guard count + 1 <= limit else { return false }
        buffer[count] = 0
        count += 1
        return true
    }

    private func findSuffix(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, length: Int) -> Int? {
        for entry in 0..<entryCount where Int(entryLengths[entry]) == length {
            if nameInMessage(at: Int(entryOffsets[entry]), equals: bytes, from: start) {
                return Int(entryOffsets[entry])
            }
        }
        return nil
    }

    private func nameInMessage(at offset: Int, equals bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var position = offset
        var index = start
        while true {
            var length = Int(buffer[position])
            if length & 0xC0 == 0xC0 {
                position = (length & 0x3F) << 8 | Int(buffer[position + 1])
                length = Int(buffer[position])
            }
            guard length == Int(bytes[index]) else { return false }
            if length == 0 { return true }
            for k in 1...length where buffer[position + k] != bytes[index + k] {
                return false
            }
            position += 1 + length
            index += 1 + length
        }
    }

    private mutating func rollBack(_ mark: Int, _ entries: Int) -> Bool {
        count = mark
        entryCount = entries
        return false
    }

    @inline(__always)
    private func put16(_ value: UInt16, at offset: Int) {
        buffer[offset] = UInt8(value >> 8)
        buffer[offset + 1] = UInt8(value & 0xFF)
    }

    @inline(__always)
    private func put32(_ value: UInt32, at offset: Int) {
        buffer[offset] = UInt8(value >> 24)
        buffer[offset + 1] = UInt8((value >> 16) & 0xFF)
        buffer[offset + 2] = UInt8((value >> 8) & 0xFF)
        buffer[offset + 3] = UInt8(value & 0xFF)
    }
}
