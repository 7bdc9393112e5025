/// The sections of a message that hold resource records.
public enum MessageSection: Sendable {
    case answer, authority, additional
}

/// Renders a message into a reusable byte buffer, compressing names (RFC 1035 section 4.1.4)
/// and refusing any record that would take the message past `limit` bytes.
///
/// Callers write the header first, then questions and records in section order. A write that
/// does not fit leaves the buffer as it was and returns false, so the caller decides whether
/// that means truncation (TC) or an omitted additional record.
public struct MessageWriter {
    public private(set) var bytes: [UInt8]
    /// Size the message must not exceed, less any space reserved for the OPT record.
    public private(set) var limit: Int
    private var reserved = 0
    private var compression: [CompressionEntry] = []
    public private(set) var questionCount: UInt16 = 0
    public private(set) var answerCount: UInt16 = 0
    public private(set) var authorityCount: UInt16 = 0
    public private(set) var additionalCount: UInt16 = 0

    private struct CompressionEntry {
        /// Offset of a name (or name suffix) in `bytes`.
        var offset: Int
        /// Uncompressed wire length of the name that starts there.
        var length: Int
    }

    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
        limit = capacity
        compression.reserveCapacity(32)
    }

    /// Empties the buffer for the next message, keeping its storage.
    public mutating func reset(limit: Int) {
        bytes.removeAll(keepingCapacity: true)
        compression.removeAll(keepingCapacity: true)
        self.limit = limit
        reserved = 0
        questionCount = 0
        answerCount = 0
        authorityCount = 0
        additionalCount = 0
    }

    public var count: Int { bytes.count }

    /// Keeps `count` bytes free for a record written last (the OPT record).
    public mutating func reserve(_ count: Int) {
        reserved += count
        limit -= count
    }

    /// Gives back space kept by `reserve` just before writing the record it was kept for.
    public mutating func releaseReserved() {
        limit += reserved
        reserved = 0
    }

    public mutating func writeHeader(_ header: MessageHeader) {
        appendUInt16(header.id)
        appendUInt16(header.flags)
        appendUInt16(header.questionCount)
        appendUInt16(header.answerCount)
        appendUInt16(header.authorityCount)
        appendUInt16(header.additionalCount)
    }

    /// Rewrites the flags of the header already written.
    public mutating func patchFlags(_ flags: UInt16) {
        bytes[2] = UInt8(flags >> 8)
        bytes[3] = UInt8(flags & 0xFF)
    }

    /// Writes the section counts into the header from what was written.
    public mutating func patchCounts() {
        patchUInt16(at: 4, questionCount)
        patchUInt16(at: 6, answerCount)
        patchUInt16(at: 8, authorityCount)
        patchUInt16(at: 10, additionalCount)
    }

    public mutating func writeQuestion(_ question: Question) -> Bool {
        let mark = bytes.count
        let entries = compression.count
        writeName(question.name, compress: true)
        appendUInt16(question.type.rawValue)
        appendUInt16(question.qclass.rawValue)
        guard bytes.count <= limit else {
            rollBack(to: mark, entries: entries)
            return false
        }
        questionCount += 1
        patchCounts()
        return true
    }

    public mutating func writeRecord(_ record: ResourceRecord, section: MessageSection) -> Bool {
        writeRecord(owner: record.owner, type: record.type, rrClass: record.rrClass, ttl: record.ttl,
                    rdata: record.rdata, section: section)
    }

    /// Writes one record, compressing the owner and the names in RDATA of RFC 1035 types.
    public mutating func writeRecord(owner: DomainName, type: RRType, rrClass: RRClass, ttl: UInt32,
                                     rdata: [UInt8], section: MessageSection) -> Bool {
        let mark = bytes.count
        let entries = compression.count
        writeName(owner, compress: true)
        appendUInt16(type.rawValue)
        appendUInt16(rrClass.rawValue)
        appendUInt32(ttl)
        let lengthOffset = bytes.count
        appendUInt16(0)
        writeRData(type: type, rdata: rdata)
        let rdataLength = bytes.count - lengthOffset - 2
        guard bytes.count <= limit, rdataLength <= 0xFFFF else {
            rollBack(to: mark, entries: entries)
            return false
        }
        patchUInt16(at: lengthOffset, UInt16(rdataLength))
        switch section {
        case .answer: answerCount += 1
        case .authority: authorityCount += 1
        case .additional: additionalCount += 1
        }
        patchCounts()
        return true
    }

    /// Writes the OPT pseudo-record into the additional section (RFC 6891 section 6.1.2).
    public mutating func writeOPT(_ edns: EDNS) -> Bool {
        var rdata: [UInt8] = []
        for option in edns.options {
            rdata.append(UInt8(option.code >> 8))
            rdata.append(UInt8(option.code & 0xFF))
            rdata.append(UInt8(option.data.count >> 8))
            rdata.append(UInt8(option.data.count & 0xFF))
            rdata += option.data
        }
        let ttl = UInt32(edns.extendedRCode) << 24 | UInt32(edns.version) << 16 | (edns.dnssecOK ? 0x8000 : 0)
        return writeRecord(owner: .root, type: .opt, rrClass: RRClass(rawValue: edns.udpPayloadSize),
                           ttl: ttl, rdata: rdata, section: .additional)
    }

    private mutating func writeRData(type: RRType, rdata: [UInt8]) {
        guard type.hasCompressibleNames,
            let offsets = RDataNames.compressibleNameOffsets(type: type, rdata: rdata),
            !offsets.isEmpty
        else {
            bytes += rdata
            return
        }
        var position = 0
        for nameOffset in offsets {
            bytes += rdata[position..<nameOffset]
            let end = RDataNames.nameEnd(rdata, at: nameOffset)!
            writeName(DomainName(uncheckedWire: Array(rdata[nameOffset..<end])), compress: true)
            position = end
        }
        bytes += rdata[position...]
    }

    /// Writes a name, pointing at the longest suffix already in the message when `compress` is set.
    public mutating func writeName(_ name: DomainName, compress: Bool) {
        let wire = name.wire
        var offset = 0
        while wire[offset] != 0 {
            let suffixLength = wire.count - offset
            if compress, let target = findSuffix(wire, from: offset, length: suffixLength) {
                appendUInt16(0xC000 | UInt16(target))
                return
            }
            if bytes.count < 0x4000 {
                compression.append(CompressionEntry(offset: bytes.count, length: suffixLength))
            }
            let labelLength = Int(wire[offset])
            bytes += wire[offset...(offset + labelLength)]
            offset += 1 + labelLength
        }
        bytes.append(0)
    }

    private func findSuffix(_ wire: [UInt8], from start: Int, length: Int) -> Int? {
        for entry in compression where entry.length == length {
            if nameInMessage(at: entry.offset, equals: wire, from: start) {
                return entry.offset
            }
        }
        return nil
    }

    /// Compares the name at `offset` in the message (following pointers) with wire bytes, ignoring case.
    private func nameInMessage(at offset: Int, equals wire: [UInt8], from start: Int) -> Bool {
        var position = offset
        var index = start
        while true {
            var length = Int(bytes[position])
            if length & 0xC0 == 0xC0 {
                position = (length & 0x3F) << 8 | Int(bytes[position + 1])
                length = Int(bytes[position])
            }
            guard length == Int(wire[index]) else { return false }
            if length == 0 { return true }
            for k in 1...length where asciiLowercase(bytes[position + k]) != asciiLowercase(wire[index + k]) {
                return false
            }
            position += 1 + length
            index += 1 + length
        }
    }

    private mutating func rollBack(to mark: Int, entries: Int) {
        bytes.removeSubrange(mark...)
        compression.removeSubrange(entries...)
    }

    public mutating func appendUInt16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    public mutating func appendUInt32(_ value: UInt32) {
        bytes.append(UInt8(value >> 24))
        bytes.append(UInt8((value >> 16) & 0xFF))
        bytes.append(UInt8((value >> 8) & 0xFF))
        bytes.append(UInt8(value & 0xFF))
    }

    private mutating func patchUInt16(at offset: Int, _ value: UInt16) {
        bytes[offset] = UInt8(value >> 8)
        bytes[offset + 1] = UInt8(value & 0xFF)
    }
}
