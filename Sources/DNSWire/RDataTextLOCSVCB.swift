// Text forms of LOC (RFC 1876) and SVCB/HTTPS (RFC 9460), printed as BIND 9.18 prints them.

/// LOC field encodings: coordinates in thousandths of an arc second offset by 2^31, altitude in
/// centimetres offset by 100,000 m, and sizes as a mantissa and power of ten in centimetres.
enum Location {
    static let equator: Int64 = 1 << 31
    static let altitudeBase: Int64 = 10_000_000
    static let powersOfTen: [Int64] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    /// Parses `[-]METRES[.CC][m]` into centimetres, or nil if it is not a number with at most two decimals.
    static func centimetres(_ text: String, allowNegative: Bool) -> Int64? {
        var body = Substring(text)
        if body.hasSuffix("m") || body.hasSuffix("M") { body = body.dropLast() }
        var negative = false
        if allowNegative, body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 9,
            whole.utf8.allSatisfy(isDigit), let metres = Int64(whole)
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 2, digits.utf8.allSatisfy(isDigit), let value = Int64(digits) else { return nil }
            fraction = digits.count == 1 ? value * 10 : value
        }
        let total = metres * 100 + fraction
        return negative ? -total : total
    }

    /// The mantissa-exponent octet for a size in centimetres, truncating extra digits as BIND does.
    static func precisionOctet(_ centimetres: Int64) -> UInt8 {
        var exponent = 0
        while exponent < 9 && centimetres >= powersOfTen[exponent + 1] {
            exponent += 1
        }
        return UInt8(centimetres / powersOfTen[exponent]) << 4 | UInt8(exponent)
    }

    static func formatPrecision(_ octet: UInt8) -> String? {
        let mantissa = Int64(octet >> 4)
        let exponent = Int(octet & 0x0F)
        guard mantissa <= 9, exponent <= 9 else { return nil }
        if exponent >= 2 {
            return "\(mantissa * powersOfTen[exponent - 2])m"
        }
        let hundredths = mantissa * powersOfTen[exponent]
        return "0.\(hundredths < 10 ? "0" : "")\(hundredths)m"
    }

    static func formatCoordinate(_ value: UInt32, positive: String, negative: String, maxDegrees: Int64) -> String? {
        let offset = Int64(value) - equator
        let magnitude = abs(offset)
        guard magnitude <= maxDegrees * 3_600_000 else { return nil }
        let degrees = magnitude / 3_600_000
        let minutes = magnitude % 3_600_000 / 60_000
        let milliseconds = magnitude % 60_000
        let fraction = String(milliseconds % 1000)
        return "\(degrees) \(minutes) \(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) "
            + (offset < 0 ? negative : positive)
    }
}

extension FieldReader {
    /// Reads `DEGREES [MINUTES [SECONDS]] HEMISPHERE` and returns thousandths of an arc second
    /// offset by 2^31.
    mutating func coordinate(_ what: String, positive: String, negative: String, maxDegrees: Int64) throws(RDataTextError) -> [UInt8] {
        let usage = "expected DEGREES [MINUTES [SECONDS]] \(positive)|\(negative), for example 42 21 54.5 \(positive)"
        let degreesField = try next("\(what) degrees")
        guard let degrees = Int64(degreesField.text), degrees >= 0, degrees <= maxDegrees else {
            throw RDataTextError("invalid \(what) degrees '\(degreesField.text)' in LOC record: \(usage), degrees from 0 to \(maxDegrees)")
        }
        var minutes: Int64 = 0
        var milliseconds: Int64 = 0
        var field = try next("\(what) hemisphere")
        let isHemisphere = { (text: String) in text.uppercased() == positive || text.uppercased() == negative }
        if !isHemisphere(field.text) {
            guard let value = Int64(field.text), value >= 0, value <= 59 else {
                throw RDataTextError("invalid \(what) minutes '\(field.text)' in LOC record: \(usage), minutes a whole number from 0 to 59")
            }
            minutes = value
            field = try next("\(what) hemisphere")
            if !isHemisphere(field.text) {
                let parts = field.text.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0, whole <= 59,
                    parts.count == 1 || (1...3).contains(parts[1].count) && parts[1].utf8.allSatisfy(isDigit)
                else {
                    throw RDataTextError("invalid \(what) seconds '\(field.text)' in LOC record: \(usage), seconds from 0 to 59.999")
                }
                milliseconds = whole * 1000
                if parts.count == 2 {
                    let digits = String(parts[1]) + String(repeating: "0", count: 3 - parts[1].count)
                    milliseconds += Int64(digits)!
                }
                field = try next("\(what) hemisphere")
            }
        }
        guard isHemisphere(field.text) else {
            throw RDataTextError("invalid \(what) hemisphere '\(field.text)' in LOC record: \(usage)")
        }
        let magnitude = degrees * 3_600_000 + minutes * 60_000 + milliseconds
        guard magnitude <= maxDegrees * 3_600_000 else {
            throw RDataTextError("\(what) \(degrees) \(minutes) in LOC record is beyond \(maxDegrees) degrees: give at most \(maxDegrees) 0 0")
        }
        let value = Location.equator + (field.text.uppercased() == positive ? magnitude : -magnitude)
        return bigEndian(UInt32(value))
    }
}

extension RDataText {
    static func parseLocationOrService(type: RRType, reader: inout FieldReader) throws(RDataTextError) -> [UInt8]? {
        switch type {
        case .loc:
            let latitude = try reader.coordinate("latitude", positive: "N", negative: "S", maxDegrees: 90)
            let longitude = try reader.coordinate("longitude", positive: "E", negative: "W", maxDegrees: 180)
            let altitudeField = try reader.next("altitude")
            guard let altitude = Location.centimetres(altitudeField.text, allowNegative: true),
                altitude >= -10_000_000, altitude <= 4_284_967_295
            else {
                throw RDataTextError("invalid altitude '\(altitudeField.text)' in LOC record: expected metres from -100000.00 to 42849672.95 with at most two decimals, for example -24.5m")
            }
            // RFC 1876 defaults: size 1 m, horizontal precision 10 km, vertical precision 10 m.
            var precision: [UInt8] = [0x12, 0x16, 0x13]
            for (index, what) in ["size", "horizontal precision", "vertical precision"].enumerated() where !reader.atEnd {
                let field = try reader.next(what)
                guard let value = Location.centimetres(field.text, allowNegative: false), value <= 9_000_000_000 else {
                    throw RDataTextError("invalid \(what) '\(field.text)' in LOC record: expected metres from 0 to 90000000.00 with at most two decimals, for example 10m")
                }
                precision[index] = Location.precisionOctet(value)
            }
            return [0] + precision + latitude + longitude + bigEndian(UInt32(altitude + Location.altitudeBase))
        case .svcb, .https:
            var rdata = try reader.uint16("priority")
            rdata += try reader.name("target name")
            return rdata + (try ServiceParameters.parse(&reader))
        default:
            return nil
        }
    }

    static func formatLocationOrService(type: RRType, reader: inout RDataReader) -> String? {
        switch type {
        case .loc:
            guard reader.uint8() == 0, let size = reader.uint8(), let horizontal = reader.uint8(), let vertical = reader.uint8(),
                let latitude = reader.uint32(), let longitude = reader.uint32(), let altitude = reader.uint32(),
                let latitudeText = Location.formatCoordinate(latitude, positive: "N", negative: "S", maxDegrees: 90),
                let longitudeText = Location.formatCoordinate(longitude, positive: "E", negative: "W", maxDegrees: 180),
                let sizeText = Location.formatPrecision(size), let horizontalText = Location.formatPrecision(horizontal),
                let verticalText = Location.formatPrecision(vertical)
            else { return nil }
            let metres = Int64(altitude) - Location.altitudeBase
            let hundredths = abs(metres) % 100
            let altitudeText = "\(metres < 0 ? "-" : "")\(abs(metres) / 100).\(hundredths < 10 ? "0" : "")\(hundredths)m"
            return "\(latitudeText) \(longitudeText) \(altitudeText) \(sizeText) \(horizontalText) \(verticalText)"
        case .svcb, .https:
            guard let priority = reader.uint16(), let target = reader.name(),
                let parameters = ServiceParameters.format(reader.rest())
            else { return nil }
            return (["\(priority) \(target)"] + parameters).joined(separator: " ")
        default:
            return nil
        }
    }
}
