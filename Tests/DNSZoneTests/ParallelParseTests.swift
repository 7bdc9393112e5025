import Testing
@testable import DNSWire
@testable import DNSZone

/// A zone with the content that makes cutting a file into pieces hard: records spread over
/// several lines, blank owners, `$ORIGIN` and `$TTL` changes, quoted strings holding `;`, `(`
/// and `)`, owners repeated on consecutive lines (in other spellings too), out-of-zone data,
/// oversized TTLs, escapes, bytes outside ASCII, CRLF line ends and `$GENERATE`; and data
/// the validator reports (CNAME and other data, SPF without TXT).
func trickyZone(names: Int) -> String {
    var text = """
        ; a comment with "quotes" and (parentheses
        $ORIGIN example.com.
        @ IN SOA ns1 hostmaster (
                1 ; serial "not a string
                7200 3600 ; refresh ( retry
                1209600 300 )
        $TTL 3600
          IN NS ns1
          IN NS ns2.example.com.
        ns1 A 192.0.2.1
        ns2 A 192.0.2.2\r

        """
    var origin = "example.com."
    for i in 0..<names {
        switch i % 23 {
        case 0:
            text += "$TTL \(300 + i)\n"
        case 5:
            origin = "sub\(i % 4).example.com."
            text += "$ORIGIN \(origin)\n"
        case 11:
            origin = "example.com."
            text += "$ORIGIN \(origin)\n"
        default:
            break
        }
        let name = "h\(i)"
        switch i % 9 {
        case 0:
            text += "\(name) 60 IN A 10.0.\(i % 256).1\n\(name) 120 IN A 10.0.\(i % 256).2\n  AAAA 2001:db8::\(String(i, radix: 16))\n"
        case 1:
            text += "\(name) TXT \"semi;colon\" \"(paren\" \"close)\" \"esc\\\"aped\"\n\(name.uppercased()) 30 TXT \"second\"\n"
        case 2:
            text += "\(name) ( A\n   10.1.\(i % 256).3 ; comment ( \" in record\n )\n  MX ( 10\n  mail )\n"
        case 3:
            // The same owner spelled two ways, with TTLs that the run rule makes equal.
            text += "\(name) 50 TXT \"a\"\n\(name).\(origin) 70 TXT \"b\"\n"
        case 4:
            text += "\(name).other.net. A 192.0.2.9\n\(name) 4294967295 A 192.0.2.10\n"
        case 5:
            text += "\(name) HINFO \"cpu\" \"os\"\n  CAA 0 issue \"ca.example\"\n  TYPE65280 \\# 2 abcd\n  CNAME h0\n  SPF \"v=spf1\"\n"
        case 6:
            text += "a\\.b\(i) A 192.0.2.11\n\\065\(i) A 192.0.2.12\ncaf\u{E9}\(i) TXT \"na\u{EF}ve\"\n"
        case 7:
            text += "$GENERATE \(i % 200)-\(i % 200 + 2) g$-\(i) A 10.2.0.$\n"
        default:
            text += "\(name) IN A 10.3.\(i % 256).4\r\n  IN SRV 0 5 5060 \(name)\n"
        }
    }
    return text
}

func sameRecords(_ a: [ResourceRecord], _ b: [ResourceRecord]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0 == $1 && $0.owner.wire == $1.owner.wire }
}

@Test func parallelParseMatchesSequential() throws {
    let directory = try ZoneDirectory()
    let path = try directory.write("tricky.db", trickyZone(names: 3000))
    let origin = exampleOrigin

    let bytes = try ZoneFileBytes(path: path, displayName: path, includedFrom: nil)
    let pieces = ParallelZoneParse(
        bytes: bytes, displayName: path, zoneOrigin: origin, zoneClass: .in, baseDirectory: nil, chunks: 40
    ).split()
    #expect(pieces.count > 20, "the file should be cut into many pieces")
    // Some cuts must fall where the origin or the default TTL differs from the file's start.
    #expect(pieces.contains { $0.origin != origin })
    #expect(Set(pieces.compactMap(\.defaultTTL)).count > 5)

    let sequential = try ZoneFileParser.parse(path: path, origin: origin, defaultClass: .in, baseDirectory: nil, chunks: 1)
    #expect(sequential.records.count > 6000)
    #expect(sequential.warnings.contains { $0.message.hasPrefix("TTL set to prior TTL") })
    #expect(sequential.warnings.contains { $0.message.hasPrefix("ignoring out-of-zone data") })
    // Owners such as h3 and h3.example.com. (with the origin example.com.) on consecutive lines make some pieces start
    // with the run the piece before ended with.
    let (cutFine, reparsed) = try ParallelZoneParse(
        bytes: bytes, displayName: path, zoneOrigin: origin, zoneClass: .in, baseDirectory: nil, chunks: 400
    ).runCountingReparses()
    #expect(reparsed > 0)
    #expect(sameRecords(cutFine.records, sequential.records))
    #expect(cutFine.warnings == sequential.warnings)
    for chunks in [2, 3, 7, 40, 400] {
        let parallel = try ZoneFileParser.parse(path: path, origin: origin, defaultClass: .in, baseDirectory: nil, chunks: chunks)
        #expect(sameRecords(parallel.records, sequential.records), "\(chunks) pieces")
        #expect(parallel.warnings == sequential.warnings, "\(chunks) pieces")
    }
}

@Test func parallelParseReportsTheFirstError() throws {
    let directory = try ZoneDirectory()
    var text = trickyZone(names: 2000)
    let lines = text.utf8.filter { $0 == UInt8(ascii: "\n") }.count + 1
    text += "bad1 A 10.0.0.256\n"
    text += trickyZone(names: 500)
    text += "bad2 MX x y\n"
    let path = try directory.write("broken.db", text)

    func firstError(_ chunks: Int) -> String? {
        do {
            _ = try ZoneFileParser.parse(path: path, origin: exampleOrigin, defaultClass: .in, baseDirectory: nil, chunks: chunks)
            return nil
        } catch {
            return error.description
        }
    }
    let sequential = firstError(1)
    #expect(sequential == "\(path):\(lines): invalid IPv4 address '10.0.0.256' in A record: expected a dotted quad such as 192.0.2.1")
    for chunks in [2, 5, 40] {
        #expect(firstError(chunks) == sequential, "\(chunks) pieces")
    }
}

@Test func parallelValidationMatchesSequential() throws {
    let directory = try ZoneDirectory()
    let path = try directory.write("tricky.db", trickyZone(names: 3000))
    let parsed = try ZoneFileParser.parse(path: path, origin: exampleOrigin)
    // Records in file order; then with a stretch repeated in reverse order, which merges
    // duplicates, moves RRsets apart and changes TTLs; then with records of another class.
    var chaos = parsed.records[100]
    chaos.rrClass = .chaos
    let inputs = [
        parsed.records,
        parsed.records + parsed.records[2000..<3000].reversed(),
        parsed.records + [chaos],
    ]
    for records in inputs {
        let sequential = ZoneValidator.validate(origin: exampleOrigin, records: records, file: path, checkIntegrity: true, parallelism: 1)
        #expect(!sequential.diagnostics.isEmpty)
        for parallelism in [2, 3, 8] {
            let parallel = ZoneValidator.validate(origin: exampleOrigin, records: records, file: path, checkIntegrity: true, parallelism: parallelism)
            #expect(sameRecords(parallel.records, sequential.records), "\(parallelism) partitions")
            #expect(parallel.diagnostics == sequential.diagnostics, "\(parallelism) partitions")
        }
    }
}

@Test func parallelCheckNamesMatchesSequential() throws {
    let directory = try ZoneDirectory()
    // Names with underscores as A owners and MX targets, spread through the whole file.
    var text = trickyZone(names: 1000)
    for index in 0..<300 {
        text += "bad_\(index).example.com. A 192.0.2.\(index % 250)\nmx\(index).example.com. MX 10 bad_\(index)\n"
    }
    let path = try directory.write("names.db", text)
    for mode in [CheckNamesMode.warn, .fail] {
        let sequential = try ZoneFileParser.parse(path: path, origin: exampleOrigin, defaultClass: .in, baseDirectory: nil,
                                                  chunks: 1, checkNames: mode)
        let badNames = sequential.warnings.filter { $0.message.hasSuffix("(check-names)") }
        #expect(badNames.count >= 600, "\(mode)")
        #expect(badNames.allSatisfy { $0.severity == (mode == .fail ? .error : .warning) })
        for chunks in [3, 40] {
            let parallel = try ZoneFileParser.parse(path: path, origin: exampleOrigin, defaultClass: .in, baseDirectory: nil,
                                                    chunks: chunks, checkNames: mode)
            #expect(parallel.warnings == sequential.warnings, "\(mode), \(chunks) pieces")
        }
    }
    let ignored = try ZoneFileParser.parse(path: path, origin: exampleOrigin, defaultClass: .in, baseDirectory: nil, chunks: 1)
    #expect(!ignored.warnings.contains { $0.message.hasSuffix("(check-names)") })
}
