/// An error in a record's RDATA text, with a message that quotes the value and says how to fix it.
public struct RDataTextError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// Index of the offending field among the RDATA fields, or the field count when a field is
    /// missing at the end. `RDataText.parse` fills it in when the code that threw did not.
    public var fieldIndex: Int?

    public init(_ message: String, fieldIndex: Int? = nil) {
        self.message = message
        self.fieldIndex = fieldIndex
    }

    public var description: String { message }
}

/// One RDATA field as the zone-file lexer found it: the raw text with its backslash escapes
/// still in place, and whether it was written inside double quotes.
public struct PresentationField: Sendable, Equatable {
    public var text: String
    public var isQuoted: Bool

    public init(text: String, isQuoted: Bool = false) {
        self.text = text
        self.isQuoted = isQuoted
    }
}

/// Conversion of RDATA between presentation format (RFC 1035 section 5, RFC 3597) and wire form.
public enum RDataText {
    /// Parses the RDATA fields of one record (already split into tokens by the zone lexer) into wire form.
    /// An error's `fieldIndex` points at the field at fault.
    public static func parse(type: RRType, fields: [PresentationField], origin: DomainName?) throws(RDataTextError) -> [UInt8] {
        if let first = fields.first, !first.isQuoted, first.text == "\\#" {
            do {
                return try parseGeneric(type: type, fields: Array(fields.dropFirst()))
            } catch {
                var located = error
                // parseGeneric counts from the field after `\#`.
                located.fieldIndex = (error.fieldIndex ?? 0) + 1
                throw located
            }
        }
        var reader = FieldReader(fields: fields, origin: origin, type: type)
        do {
            let rdata = try parseKnown(type: type, reader: &reader)
            try reader.expectEnd()
            return rdata
        } catch {
            var located = error
            if located.fieldIndex == nil {
                located.fieldIndex = reader.lastFieldIndex
            }
            throw located
        }
    }

    /// Prints RDATA as BIND 9.18's `named-checkzone -D` does (absolute names), on one line.
    /// RDATA that does not decode for its type is printed in the RFC 3597 generic form.
    public static func format(type: RRType, rdata: [UInt8]) -> String {
        var reader = RDataReader(rdata)
        if let text = formatKnown(type: type, reader: &reader), reader.atEnd {
            return text
        }
        return formatGeneric(rdata)
    }

    /// RFC 3597 generic form: `\# length hex`, the hex split into groups the way BIND prints them.
    public static func formatGeneric(_ rdata: [UInt8]) -> String {
        if rdata.isEmpty { return "\\# 0" }
        return "\\# \(rdata.count) " + splitHex(rdata)
    }

    static func parseGeneric(type: RRType, fields: [PresentationField]) throws(RDataTextError) -> [UInt8] {
        guard let lengthField = fields.first else {
            throw RDataTextError("missing RDATA length after '\\#': write '\\# LENGTH HEX', for example '\\# 4 0a000001'", fieldIndex: 0)
        }
        guard let length = Int(lengthField.text), length >= 0, length <= 65535 else {
            throw RDataTextError("invalid RDATA length '\(lengthField.text)' after '\\#': expected a number from 0 to 65535", fieldIndex: 0)
        }
        let hex = fields.dropFirst().map(\.text).joined()
        let bytes: [UInt8]
        do {
            bytes = try decodeHex(hex)
        } catch {
            throw RDataTextError(error.message, fieldIndex: 1)
        }
        guard bytes.count == length else {
            throw RDataTextError(
                "'\\#' length \(length) does not match the \(bytes.count) octets of hex data that follow: correct the length or the data",
                fieldIndex: 0)
        }
        // A known type in generic form must still decode as that type (RFC 3597 section 5).
        if knownTypes.contains(type) {
            var reader = RDataReader(bytes)
            guard formatKnown(type: type, reader: &reader) != nil, reader.atEnd else {
                throw RDataTextError("'\\#' data '\(hex)' is not valid \(type) RDATA: check the octets against the \(type) format", fieldIndex: 1)
            }
        }
        return bytes
    }

    /// Types with a text format here. Others are accepted only in `\#` form.
    public static let knownTypes: Set<RRType> = [
        .a, .ns, .md, .mf, .cname, .soa, .mb, .mg, .mr, .ptr, .hinfo, .minfo, .mx, .txt, .rp,
        .afsdb, .aaaa, .srv, .naptr, .kx, .dname, .ds, .sshfp, .dnskey, .tlsa, .cds, .cdnskey,
        .spf, .uri, .caa, .openpgpkey, .rrsig, .nsec, .nsec3, .nsec3param, .smimea, .csync, .zonemd,
        .cert, .hip, .loc, .svcb, .https, .eui48, .eui64, .nid, .l32, .l64, .lp,
        .x25, .isdn, .rt, .ninfo, .talink, .avc, .ta, .dlv, .dhcid, .key,
    ]
}
