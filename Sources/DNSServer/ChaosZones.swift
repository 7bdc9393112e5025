import DNSWire
import DNSZone

/// The CHAOS-class zones that BIND 9.18 builds in: `version.bind`, `hostname.bind`,
/// `authors.bind` and `id.server`. Each has an SOA and an NS record at its apex, as BIND's
/// built-in zones do, and a TXT record when the identity it reports is not hidden. Held as
/// ordinary `Zone`s, they are answered by the same lookup as class IN, so NODATA, NXDOMAIN and
/// the authority section follow the zone rules without allocating.
enum ChaosZones {
    /// SOA RDATA fields of BIND's built-in zones: serial 0, refresh 28800, retry 7200,
    /// expire 604800, minimum 86400, with `hostmaster.ZONE` as the mailbox.
    static let soaTTL: UInt32 = 86400
    static let soaTimers: [UInt32] = [0, 28800, 7200, 604800, 86400]

    /// Builds the four zones from the identity strings of `policy`. `authors.bind` never gets
    /// a TXT record: BIND lists its own authors there only while `version` is unset, and
    /// swift-named has no such list to publish.
    static func build(policy: ResponsePolicy) -> [Zone] {
        let identities: [(String, String?)] = [
            ("version.bind.", policy.version),
            ("hostname.bind.", policy.hostname),
            ("authors.bind.", nil),
            ("id.server.", policy.serverID),
        ]
        return identities.compactMap { name, text in
            // The names are fixed and valid, so neither parse nor build can fail.
            guard let origin = try? DomainName(parsing: name),
                let mailbox = try? DomainName(parsing: "hostmaster." + name)
            else { return nil }
            var soa = origin.wire + mailbox.wire
            for value in soaTimers {
                soa += withUnsafeBytes(of: value.bigEndian, Array.init)
            }
            var records = [
                ResourceRecord(owner: origin, type: .soa, rrClass: .chaos, ttl: soaTTL, rdata: soa),
                ResourceRecord(owner: origin, type: .ns, rrClass: .chaos, ttl: 0, rdata: origin.wire),
            ]
            if let text {
                records.append(ResourceRecord(owner: origin, type: .txt, rrClass: .chaos, ttl: 0, rdata: txtRData(text)))
            }
            return try? Zone(origin: origin, rrClass: .chaos, records: records)
        }
    }

    /// One character-string of at most 255 octets: BIND 9.18 cuts longer text at 255.
    static func txtRData(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8.prefix(255))
        return [UInt8(bytes.count)] + bytes
    }
}

extension ServerSnapshot {
    /// The built-in CHAOS zone that contains `name`, found without allocating.
    func chaosZone(for name: LookupName) -> Zone? {
        for zone in chaosZones {
            let labels = zone.origin.labelCount
            guard name.labelCount >= labels else { continue }
            let start = name.suffixOffset(labels: labels)
            let origin = zone.origin.wire
            guard name.lowercased.count - start == origin.count else { continue }
            let equal = origin.withUnsafeBufferPointer { originBytes in
                name.lowercased.withUnsafeBufferPointer { nameBytes in
                    ZoneHash.equalIgnoringCase(originBytes, 0, nameBytes, start, originBytes.count)
                }
            }
            if equal { return zone }
        }
        return nil
    }
}
