import Foundation
import Testing

/// The named-compilezone built next to this test bundle, and Debian's BIND 9.18 one.
let compilezonePath = builtProgramPath("named-compilezone")
let bindCompilezonePath = "/usr/bin/named-compilezone"

/// named-compilezone against BIND's: the same messages, exit status and written zone.
@Suite struct CompilezoneTests {
    static let zone = """
        $TTL 300
        @ IN SOA ns1 hostmaster 7 3600 600 86400 300
          IN NS ns1
          IN MX 10 mail
        ns1 IN A 192.0.2.1
        mail IN A 192.0.2.25
        www IN CNAME ns1
        Mixed.Case IN TXT "kept" "as written"

        """
    /// A host name with an underscore: an error for named-compilezone by default, a warning
    /// for named-checkzone.
    static let badHostZone = zone + "bad_host IN A 192.0.2.9\n"

    /// Runs both programs in one directory with the zone as `zone.db`. An `OUTPUT` argument
    /// becomes `ours.out` or `bind.out`, so that each program writes its own file.
    func runBoth(_ zoneText: String, _ arguments: [String])
        throws -> (ours: CommandResult, bind: CommandResult, oursFile: String?, bindFile: String?)
    {
        let directory = try ZoneDirectory()
        try directory.write("zone.db", zoneText)
        func withOutput(_ name: String) -> [String] {
            arguments.map { $0 == "OUTPUT" ? name : $0 }
        }
        let ours = try run(compilezonePath, commonCheckzoneOptions + withOutput("ours.out"), in: directory.path)
        let bind = try run(bindCompilezonePath, commonCheckzoneOptions + withOutput("bind.out"), in: directory.path)
        let oursFile = try? String(contentsOfFile: directory.path + "/ours.out", encoding: .utf8)
        let bindFile = try? String(contentsOfFile: directory.path + "/bind.out", encoding: .utf8)
        return (ours, bind, oursFile, bindFile)
    }

    @Test func writesZoneToFile() throws {
        let result = try runBoth(Self.zone, ["-o", "OUTPUT", "example.com", "zone.db"])
        #expect(result.ours.status == 0)
        #expect(result.ours.stdout == """
            zone example.com/IN: loaded serial 7
            dump zone to ours.out...done
            OK

            """)
        #expect(result.bind.stdout == result.ours.stdout.replacingOccurrences(of: "ours.out", with: "bind.out"))
        #expect(result.oursFile != nil)
        #expect(result.oursFile == result.bindFile)
    }

    @Test func writesZoneToStandardOutput() throws {
        let result = try runBoth(Self.zone, ["-o", "-", "example.com", "zone.db"])
        #expect(result.ours.status == 0)
        #expect(result.ours.stdout.hasPrefix("example.com."))
        #expect(result.ours.stdout == result.bind.stdout)
        #expect(result.ours.stderr == "zone example.com/IN: loaded serial 7\nOK\n")
        #expect(result.ours.stderr == result.bind.stderr)
    }

    @Test func relativeStyleMatchesBIND() throws {
        let result = try runBoth(Self.zone, ["-s", "relative", "-o", "-", "example.com", "zone.db"])
        #expect(result.ours.status == 0)
        #expect(result.ours.stdout.contains("$ORIGIN"))
        #expect(result.ours.stdout == result.bind.stdout)
    }

    @Test func readsStandardInput() throws {
        let directory = try ZoneDirectory()
        try directory.write("zone.db", Self.zone)
        let options = commonCheckzoneOptions.joined(separator: " ")
        let ours = try run("/bin/sh", ["-c", "'\(compilezonePath)' \(options) -o - example.com - < zone.db"], in: directory.path)
        let bind = try run("/bin/sh", ["-c", "unshare --net \(bindCompilezonePath) \(options) -o - example.com - < zone.db"],
                           in: directory.path)
        #expect(ours.status == 0, "\(ours.stderr)")
        #expect(ours.stdout == bind.stdout)
        let noFile = try run("/bin/sh", ["-c", "'\(compilezonePath)' \(options) -o - example.com < zone.db"], in: directory.path)
        #expect(noFile.status == 0, "\(noFile.stderr)")
        #expect(noFile.stdout == bind.stdout)
    }

    @Test func requiresOutputFile() throws {
        let result = try runBoth(Self.zone, ["example.com", "zone.db"])
        #expect(result.ours.status == 1)
        #expect(result.bind.status == 1)
        #expect(result.ours.stderr.hasPrefix("output file required, but not specified\nusage: named-compilezone"))
        #expect(result.bind.stderr.hasPrefix("output file required, but not specified\nusage: named-compilezone"))
    }

    @Test func rejectsBadHostNamesByDefault() throws {
        let result = try runBoth(Self.badHostZone, ["-o", "OUTPUT", "example.com", "zone.db"])
        #expect(result.ours.status == 1)
        #expect(result.bind.status == 1)
        #expect(result.ours.stdout.contains("zone.db:9: bad_host.example.com: bad owner name (check-names)"))
        #expect(result.ours.stdout == result.bind.stdout)
        #expect(result.oursFile == nil)
    }

    @Test func writesBadHostNamesWhenTold() throws {
        let result = try runBoth(Self.badHostZone, ["-k", "warn", "-o", "OUTPUT", "example.com", "zone.db"])
        #expect(result.ours.status == 0)
        #expect(result.ours.stdout.contains("bad owner name (check-names)"))
        #expect(result.ours.stdout == result.bind.stdout.replacingOccurrences(of: "bind.out", with: "ours.out"))
        #expect(result.oursFile == result.bindFile)
    }

    /// BIND's raw and map formats are not written: a clear error, not a text file by another name.
    @Test func rejectsBinaryFormats() throws {
        let directory = try ZoneDirectory()
        try directory.write("zone.db", Self.zone)
        let result = try run(compilezonePath, ["-F", "raw", "-o", "zone.raw", "example.com", "zone.db"], in: directory.path)
        #expect(result.status == 1)
        #expect(result.stderr == "named-compilezone: format 'raw' for -F is not supported: swift-named reads and writes zones as text only, so use '-F text'\n")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/zone.raw"))
        let text = try run(compilezonePath, ["-f", "text", "-F", "text", "-o", "-", "example.com", "zone.db"], in: directory.path)
        #expect(text.status == 0, "\(text.stderr)")
    }
}
