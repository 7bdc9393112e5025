import Foundation

/// Zones signed at test time with BIND's `dnssec-keygen` and `dnssec-signzone` (Debian
/// bind9-utils): the same records three times, with NSEC, with NSEC3 and with NSEC3 opt-out.
///
/// The signatures have a fixed inception (2024-01-01) and expiration (2080-01-01), so the
/// answers do not expire while the suite is in use. The expiration stays within 68 years of
/// now because RRSIG times compare in serial number arithmetic (RFC 4034 section 3.1.5).
struct SignedZone: Sendable {
    var fixture: ZoneFixture
    /// The key-signing key's DNSKEY RDATA in presentation form ("257 3 13 BASE64"), the
    /// trust anchor for delv.
    var keySigningKey: String
    /// The same zone before signing.
    var unsigned: ZoneFixture
}

enum SignedZones {
    /// The records of every signed zone, with the origin set by `$ORIGIN`. They include a
    /// wildcard with a name below it, a wildcard below a mixed-case name, empty non-terminals (`ent`, `b.ent`, `optent`) and a
    /// signed delegation (`signed`, with DS and glue). There are two unsigned delegations:
    /// `unsigned` with glue, and `x.optent` with an out-of-zone name server, which opt-out
    /// leaves out of the NSEC3 chain. A CNAME chain, a CNAME to a wildcard, a DNAME, mixed
    /// case and an RRset that fits a 1232-octet response only without its signature follow.
    static let records = """
$TTL 3600
@	IN	SOA	ns1 admin 2024010101 7200 900 1209600 300
	IN	NS	ns1
	IN	NS	ns2
	IN	MX	10 mail
ns1	IN	A	192.0.2.1
ns2	IN	A	192.0.2.2
	IN	AAAA	2001:db8::2
mail	IN	A	192.0.2.25
host	IN	A	192.0.2.10
	IN	AAAA	2001:db8::10
MixedCase	IN	A	192.0.2.11
*.wild	IN	A	192.0.2.50
*.wild	IN	TXT	"wildcard"
exact.wild	IN	A	192.0.2.51
*.WildCase	IN	A	192.0.2.52
a.b.ent	IN	A	192.0.2.60
c1	IN	CNAME	c2
c2	IN	CNAME	host
wc	IN	CNAME	foo.wild
signed	IN	NS	ns.signed
signed	IN	DS	12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
ns.signed	IN	A	192.0.2.53
unsigned	IN	NS	ns.unsigned
ns.unsigned	IN	A	192.0.2.54
x.optent	IN	NS	ns.outside.example.
dn	IN	DNAME	tgt
x.tgt	IN	A	192.0.2.71

""" + nearlyFullRRset

    /// Nine TXT records of 110 octets: about 1,160 octets of response alone, more than 1,232
    /// with the RRSIG, so a DO query over UDP gets TC and one without DO does not.
    private static let nearlyFullRRset: String = {
        (1...9).map { index in
            "full\tIN\tTXT\t\"\(index) " + String(repeating: "x", count: 107) + "\""
        }.joined(separator: "\n") + "\n"
    }()

    /// Zone names and the dnssec-signzone options that choose the denial records: NSEC by
    /// default, NSEC3 with a salt, NSEC3 without salt and with opt-out. No extra iterations,
    /// as RFC 9276 recommends.
    static let variants: [(zone: String, options: [String])] = [
        ("nsec.example", []),
        ("nsec3.example", ["-3", "aabbccdd", "-H", "0"]),
        ("optout.example", ["-3", "-", "-H", "0", "-A"]),
    ]

    /// The signed zones, made once per test process; the first caller waits for the signing.
    static let all: Result<[SignedZone], HarnessError> = {
        do {
            let directory = try makeTemporaryDirectory(prefix: "signed-zones")
            defer { try? FileManager.default.removeItem(atPath: directory) }
            return .success(try variants.map { try sign(zone: $0.zone, options: $0.options, in: directory) })
        } catch let error as HarnessError {
            return .failure(error)
        } catch {
            return .failure(HarnessError(description: "signing the test zones failed: \(error)"))
        }
    }()

    static func zones() throws -> [SignedZone] {
        try all.get()
    }

    /// Generates a KSK and a ZSK (ECDSA P-256, algorithm 13) and signs `zone` with them.
    private static func sign(zone: String, options: [String], in parent: String) throws -> SignedZone {
        let directory = parent + "/" + zone
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let unsignedText = "$ORIGIN \(zone).\n" + records
        let keySigningKey = try run("/usr/bin/dnssec-keygen", ["-q", "-a", "ECDSAP256SHA256", "-f", "KSK", zone],
                                    in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try run("/usr/bin/dnssec-keygen", ["-q", "-a", "ECDSAP256SHA256", zone], in: directory)

        let unsignedPath = directory + "/" + zone + ".zone"
        try unsignedText.write(toFile: unsignedPath, atomically: true, encoding: .utf8)
        let signedPath = unsignedPath + ".signed"
        _ = try run("/usr/bin/dnssec-signzone",
                    ["-q", "-S", "-K", directory, "-o", zone, "-s", "20240101000000", "-e", "20800101000000"]
                        + options + ["-f", signedPath, unsignedPath],
                    in: directory)

        let keyText = try String(contentsOfFile: directory + "/" + keySigningKey + ".key", encoding: .utf8)
        guard let keyLine = keyText.split(separator: "\n").first(where: { $0.contains(" DNSKEY ") }),
            let range = keyLine.range(of: "DNSKEY ")
        else {
            throw HarnessError(description: "\(directory)/\(keySigningKey).key has no DNSKEY line")
        }
        return SignedZone(
            fixture: ZoneFixture(name: zone, fileName: zone + ".signed",
                                 text: try String(contentsOfFile: signedPath, encoding: .utf8)),
            keySigningKey: String(keyLine[range.upperBound...]),
            unsigned: ZoneFixture(name: zone, fileName: zone + ".signed", text: unsignedText))
    }

    /// Runs a program and returns its standard output, or throws with its standard error.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw HarnessError(description: "cannot start \(executable) (Debian package bind9-utils or "
                + "bind9-dnsutils; scripts/install-deps installs it): \(error)")
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: outputData, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw HarnessError(description: "\(executable) \(arguments.joined(separator: " ")) exited with status "
                + "\(process.terminationStatus): \(String(decoding: errorData, as: UTF8.self))\(text)")
        }
        return text
    }
}
