import Foundation
import Testing
import TestSupport

/// The exit status and output of a finished process.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` and waits for it: the built named-checkconf, or Debian's BIND one as the reference.
func run(_ executable: String, _ arguments: [String]) throws -> CommandResult {
    let process = Process()
    let (program, programArguments) = withoutNetwork(executable, arguments)
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = programArguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self)
    )
}

/// The named-checkconf built next to this test bundle.
let checkconfPath: String = {
    var directory = Bundle.main.bundleURL
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("named-checkconf").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory.deleteLastPathComponent()
    }
    return "named-checkconf-not-built"
}()

let bindCheckconfPath = "/usr/bin/named-checkconf"

@Suite struct CheckconfCommandTests {
    @Test func validConfigIsSilent() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("named.conf", "options { directory \"/tmp\"; };\nzone \"a.test\" { type primary; file \"a\"; };\n")
        let result = try run(checkconfPath, [path])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.isEmpty)
    }

    @Test func errorPrintsLocationAndFails() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("named.conf", "options {\n\tdirectroy \"/tmp\";\n};\n")
        let result = try run(checkconfPath, [path])
        #expect(result.status == 1)
        #expect(result.stdout == "\(path):2: unknown option 'directroy'; check the spelling against named.conf(5)\n")
        #expect(result.stderr.isEmpty)
    }

    @Test func warningsKeepExitStatusZero() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("named.conf", "options { dnssec-enable yes; };\n")
        let result = try run(checkconfPath, [path])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("\(path):1: option 'dnssec-enable' no longer exists"))
        #expect(result.stderr.isEmpty)
    }

    @Test func printNormalized() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("named.conf", "options{directory \"/tmp\";/* c */allow-query{!10.0.0.1;any;};};")
        let result = try run(checkconfPath, ["-p", path])
        #expect(result.status == 0)
        #expect(result.stdout == "options {\n\tdirectory \"/tmp\";\n\tallow-query {\n\t\t!10.0.0.1;\n\t\tany;\n\t};\n};\n")
    }

    @Test func rootDirectoryOption() throws {
        let root = try Fixtures.rhelRoot(configName: "authoritative.conf")
        let result = try run(checkconfPath, ["-t", root.path, "/etc/named.conf"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("/etc/named.root.key:5: 'trust-anchors' is ignored"))
        #expect(result.stderr.isEmpty)
    }

    @Test func usageAndBadOption() throws {
        let help = try run(checkconfPath, ["-h"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("usage: named-checkconf"))
        let bad = try run(checkconfPath, ["-Q"])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("named-checkconf: unknown option '-Q'"))
    }

    /// Invalid inputs on which BIND 9.18's named-checkconf and ours must both fail at the same
    /// line; and valid ones on which both must pass.
    static let oracleCases: [(text: String, valid: Bool)] = [
        ("options { lisen-on { any; }; };", false),
        ("zone \"a\" { file \"x\"; };", false),
        ("zone \"a\" { type primary; };", false),
        ("zone \"a\" { type primary; file \"a\"; };\n\nzone \"a\" { type primary; file \"b\"; };", false),
        ("options {\n allow-query { 10.0.0.1/8; };\n};", false),
        ("options {\n\n tcp-clients abc;\n};", false),
        ("options { directory \"/tmp\" };", false),
        ("options { allow-query { nosuchacl; }; };", false),
        ("zone \"a\" { type secondary; };", false),
        ("options { directory \"/tmp\"; listen-on port 5353 { 127.0.0.1; }; notify explicit; };", true),
        ("acl x { !10/8; { 192.168/16; key k; }; };\nkey k { algorithm hmac-sha256; secret \"c2VjcmV0\"; };", true),
        ("zone \"b\" IN { type slave; masters port 5300 { 192.0.2.1 key k; }; file \"b\"; };\nkey k { algorithm hmac-sha256; secret \"c2VjcmV0\"; };", true),
        ("logging { channel c { file \"/tmp/l\" versions unlimited size 10m; print-time iso8601; }; category default { c; }; };", true),
        ("controls { inet 127.0.0.1 port 953 allow { 127.0.0.1; }; };", true),
        ("statistics-channels { inet 127.0.0.1 port 8053 allow { 127.0.0.1; }; };", true),
    ]

    @Test(arguments: oracleCases.indices)
    func agreesWithBind(index: Int) throws {
        let testCase = Self.oracleCases[index]
        let directory = try TemporaryDirectory()
        let path = try directory.write("named.conf", testCase.text + "\n")
        let bind = try run(bindCheckconfPath, [path])
        let ours = try run(checkconfPath, [path])
        #expect((bind.status == 0) == testCase.valid, "BIND: \(bind.stdout)")
        #expect((ours.status == 0) == testCase.valid, "ours: \(ours.stdout)")
        if !testCase.valid {
            // Both print their diagnostics on stdout; the first one must name the same file:line.
            let bindLine = bind.stdout.split(separator: "\n").first.map { $0.split(separator: ":").prefix(2).joined(separator: ":") }
            let ourLine = ours.stdout.split(separator: "\n").first.map { $0.split(separator: ":").prefix(2).joined(separator: ":") }
            #expect(bindLine == ourLine, "BIND: \(bind.stdout) ours: \(ours.stdout)")
            #expect(ours.stderr.isEmpty)
        }
    }
}
