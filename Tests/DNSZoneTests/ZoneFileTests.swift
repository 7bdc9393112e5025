import Foundation
import Testing
@testable import DNSWire
@testable import DNSZone

/// A temporary directory for one test's zone files, removed when the test ends.
final class ZoneDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "zonefile-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

let exampleZone = """
    $TTL 86400
    @	IN	SOA	dns1.example.com.	hostmaster.example.com. (
    			2001062501 ; serial
    			21600      ; refresh after 6 hours
    			3600       ; retry after 1 hour
    			604800     ; expire after 1 week
    			86400 )    ; minimum TTL of 1 day
    	IN	NS	dns1.example.com.
    	IN	NS	dns2.example.com.
    	IN	MX	10	mail.example.com.
    	IN	MX	20	mail2.example.com.
    dns1	IN	A	10.0.1.1
    dns2	IN	A	10.0.1.2
    server1	IN	CNAME	mail
    server2	IN	CNAME	mail2
    ftp	IN	A	10.0.1.3
    	IN	A	10.0.1.4
    mail	IN	A	10.0.1.5
    mail2	IN	A	10.0.1.6
    www	IN	CNAME	server1

    """

let reverseZone = """
    $ORIGIN 1.0.10.in-addr.arpa.
    $TTL 86400
    @	IN	SOA	dns1.example.com.	hostmaster.example.com. (
    			2001062501 21600 3600 604800 86400 )
    @	IN	NS	dns1.example.com.
    @	IN	NS	dns2.example.com.
    1	IN	PTR	dns1.example.com.
    2	IN	PTR	dns2.example.com.
    3	IN	PTR	ftp.example.com.
    4	IN	PTR	ftp.example.com.
    5	IN	PTR	mail.example.com.
    6	IN	PTR	mail2.example.com.

    """

let exampleOrigin = try! DomainName(parsing: "example.com.")

func name(_ text: String) -> DomainName { try! DomainName(parsing: text) }

func parse(_ text: String, origin: DomainName = exampleOrigin, extraFiles: [String: String] = [:]) throws -> ParsedZoneFile {
    let directory = try ZoneDirectory()
    for (file, content) in extraFiles {
        try directory.write(file, content)
    }
    let path = try directory.write("zone.db", text)
    return try ZoneFileParser.parse(path: path, origin: origin, baseDirectory: directory.path)
}

@Test func exampleZoneRecords() throws {
    let parsed = try parse(exampleZone)
    #expect(parsed.records.count == 14)
    #expect(parsed.warnings.isEmpty)
    let ftp = parsed.records.filter { $0.owner == name("ftp.example.com.") }
    #expect(ftp.map(\.rdata) == [[10, 0, 1, 3], [10, 0, 1, 4]])
    let soa = try #require(parsed.records.first.flatMap { SOAData(rdata: $0.rdata) })
    #expect(soa.serial == 2_001_062_501)
    #expect(soa.minimum == 86400)
    let www = try #require(parsed.records.first { $0.owner == name("www.example.com.") })
    #expect(www.type == .cname)
    #expect(RDataText.format(type: .cname, rdata: www.rdata) == "server1.example.com.")
    let checked = ZoneValidator.validate(origin: exampleOrigin, records: parsed.records, file: "zone.db")
    #expect(checked.diagnostics.isEmpty)
    #expect(checked.records.count == 14)
}

@Test func reverseZoneRecords() throws {
    let origin = name("1.0.10.in-addr.arpa.")
    let parsed = try parse(reverseZone, origin: origin)
    let ptrs = parsed.records.filter { $0.type == .ptr }
    #expect(ptrs.count == 6)
    #expect(ptrs[4].owner == name("5.1.0.10.in-addr.arpa."))
    #expect(RDataText.format(type: .ptr, rdata: ptrs[4].rdata) == "mail.example.com.")
    #expect(ZoneValidator.validate(origin: origin, records: parsed.records, file: "rev").diagnostics.isEmpty)
}

let header = "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"

@Test func ttlAndClassInEitherOrder() throws {
    let parsed = try parse(header + "a 60 IN A 1.1.1.1\nb IN 70 A 1.1.1.2\nc 1h30m A 1.1.1.3\nd A 1.1.1.4\n")
    #expect(parsed.records.suffix(4).map(\.ttl) == [60, 70, 5400, 300])
}

@Test func originDirectivesAndAt() throws {
    let parsed = try parse(header + "$ORIGIN sub\nx A 1.1.1.1\n@ TXT here\n$ORIGIN example.com.\ny.z. A 1.1.1.2\n")
    let owners = parsed.records.suffix(2).map(\.owner)
    #expect(owners == [name("x.sub.example.com."), name("sub.example.com.")])
    #expect(parsed.warnings.map(\.message) == ["ignoring out-of-zone data (y.z)"])
}

@Test func includeWithOriginRestoresOwner() throws {
    let parsed = try parse(
        header + "y A 1.1.1.1\n$INCLUDE inc.db a\n TXT after\n",
        extraFiles: ["inc.db": "b TXT inc\n TXT inc2\n$TTL 99\n"])
    let texts = parsed.records.filter { $0.type == .txt }.map { "\($0.owner) \($0.ttl) " + RDataText.format(type: .txt, rdata: $0.rdata) }
    #expect(texts == ["b.a.example.com. 300 \"inc\"", "b.a.example.com. 300 \"inc2\"", "y.example.com. 99 \"after\""])
}

@Test func includeDepthIsCapped() throws {
    #expect(throws: ZoneFileError.self) {
        try parse(header + "$INCLUDE self.db\n", extraFiles: ["self.db": "$INCLUDE self.db\n"])
    }
}

@Test func generateExpandsCounter() throws {
    let parsed = try parse(header + "$GENERATE 1-3 host-$ A 10.0.0.$\n$GENERATE 10-12/2 ${0,3,x} CNAME h${-9}\n")
    let generated = parsed.records.suffix(5)
    #expect(generated.map(\.owner) == ["host-1", "host-2", "host-3", "00a", "00c"].map { name($0 + ".example.com.") })
    #expect(generated.first.map { $0.rdata } == [10, 0, 0, 1])
    #expect(generated.last.map { RDataText.format(type: .cname, rdata: $0.rdata) } == "h3.example.com.")
}

@Test func quotesParenthesesAndComments() throws {
    let parsed = try parse(header + "t TXT \"a;b\" ; comment\nu ( TXT\n one\n \"two words\" ) ; end\nv TXT a\"b c\"d\n")
    let texts = parsed.records.filter { $0.type == .txt }.map { RDataText.format(type: .txt, rdata: $0.rdata) }
    #expect(texts == ["\"a;b\"", "\"one\" \"two words\"", "\"a\" \"b c\" \"d\""])
}

@Test func nonASCIIBytesKept() throws {
    let directory = try ZoneDirectory()
    var bytes = Array((header + "t TXT \"").utf8)
    bytes += [0xE9, 0xFF]
    bytes += Array("\"\n".utf8)
    let path = directory.path + "/zone.db"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let parsed = try ZoneFileParser.parse(path: path, origin: exampleOrigin)
    #expect(parsed.records.last?.rdata == [2, 0xE9, 0xFF])
}

@Test func rfc1035TTLDefaults() throws {
    let parsed = try parse("@ 100 SOA ns hm 1 2 3 4 5\n@ NS ns\nns 77 A 1.2.3.4\nx A 1.1.1.1\n")
    #expect(parsed.records.map(\.ttl) == [100, 100, 77, 77])
    #expect(parsed.warnings.first?.message == "using RFC1035 TTL semantics")
    #expect(parsed.warnings.first?.line == 2)
}

@Test func soaMinimumBecomesDefaultTTL() throws {
    let parsed = try parse("@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns 77 A 1.2.3.4\nx A 1.1.1.1\n")
    #expect(parsed.records.map(\.ttl) == [5, 5, 77, 5])
    #expect(parsed.warnings.first?.message == "no TTL specified; using SOA MINTTL instead")
}

@Test func rrsetTakesFirstTTLInRun() throws {
    let parsed = try parse(header + "x 10 A 1.1.1.1\nx 20 A 1.1.1.2\n")
    #expect(parsed.records.suffix(2).map(\.ttl) == [10, 10])
    #expect(parsed.warnings.map(\.description).contains { $0.hasSuffix(":6: TTL set to prior TTL (10)") })
}

@Test func oversizedTTLBecomesZero() throws {
    let parsed = try parse(header + "x 2147483648 A 1.1.1.1\n")
    #expect(parsed.records.last?.ttl == 0)
    #expect(parsed.warnings.count == 1)
}

/// Each case: zone text after `header`, the line of the error, the token, part of the message.
let rejections: [(String, Int, String?, String)] = [
    ("x AX 1.1.1.1\n", 5, "AX", "unknown RR type 'AX': expected a type such as A, MX or TYPE65280"),
    ("x A 1.1.1\n", 5, "1.1.1", "invalid IPv4 address '1.1.1'"),
    ("x CH A 1.1.1.1\n", 5, "CH", "class 'CH' != zone class 'IN'"),
    ("$FOO bar\n", 5, "$FOO", "unknown directive '$FOO'"),
    ("$TTL 1h30\n", 5, "1h30", "invalid $TTL value '1h30'"),
    ("x (\n A\n 1.1.1.1\n", 5, nil, "end of file inside parentheses opened on line 5"),
    ("x TXT \"abc\n", 5, nil, "line ends inside a quoted string"),
    ("x TXT a )\n", 5, ")", "unbalanced ')'"),
    ("a..b A 1.1.1.1\n", 5, "a..b", "invalid owner name 'a..b'"),
    ("x\n", 5, nil, "has no type"),
    ("x AXFR 1.1.1.1\n", 5, "AXFR", "query type"),
    ("$INCLUDE missing.db\n", 5, "missing.db", "cannot open included file 'missing.db'"),
    ("$GENERATE 5-1 h$ A 1.1.1.$\n", 5, "5-1", "invalid $GENERATE range '5-1'"),
    ("x MX 10\n", 5, nil, "MX record is missing its exchange name"),
    ("x TYPE65280 \\# 2 01\n", 5, "2", "does not match"),
    ("x SOA ns hm (\n 1\n 2\n 3x\n 4 5 )\n", 8, "3x", "invalid retry '3x' in SOA record"),
]

@Test func rejectionsNameFileLineAndToken() throws {
    for (text, line, token, message) in rejections {
        do {
            _ = try parse(header + text)
            Issue.record("accepted: \(text)")
        } catch let error as ZoneFileError {
            #expect(error.file.hasSuffix("zone.db"), "\(text)")
            #expect(error.line == line, "\(text): \(error)")
            #expect(error.token == token, "\(text): \(error)")
            #expect(error.message.contains(message), "\(text): \(error)")
            #expect(error.description.contains("zone.db:\(line): "), "\(text)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

@Test func blankOwnerWithoutPreviousOwnerRejected() throws {
    #expect(throws: ZoneFileError.self) {
        try parse("$TTL 1\n A 1.1.1.1\n")
    }
}

@Test func missingTTLRejected() throws {
    do {
        _ = try parse("@ NS ns\n@ SOA ns hm 1 2 3 4 5\n")
        Issue.record("accepted a zone without any TTL")
    } catch let error as ZoneFileError {
        #expect(error.line == 1)
        #expect(error.message.hasPrefix("no TTL specified; zone rejected"))
    } catch {
        Issue.record("unexpected error \(error)")
    }
}
