import Foundation
import Testing

@testable import NamedConfig

@Suite struct ParserTests {
    @Test func commentsOfAllThreeKinds() throws {
        let text = """
            // line comment with { braces } and "quotes"
            # hash comment; zone "bogus" { };
            /* block comment
               spanning lines; options { */
            options { directory "/srv/dns"; /* inline */ version "x"; # trailing
            };
            """
        let loaded = try ConfigLoader.load(text: text)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.configuration.options.directory == "/srv/dns")
        #expect(loaded.configuration.options.version == .text("x"))
        #expect(loaded.statements.count == 1)
        #expect(loaded.statements[0].location.line == 5)
    }

    @Test func slashInsideWordIsNotComment() throws {
        let loaded = try ConfigLoader.load(text: "acl nets { 10.0.0.0/8; 2001:db8::/32; };")
        let list = try #require(loaded.configuration.acls["nets"])
        #expect(list.description == "{ 10.0.0.0/8; 2001:db8::/32; }")
    }

    @Test func unterminatedBlockComment() {
        let found = errors(of: "options {\n};\n/* never closed\n")
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
        #expect(found.first?.message.hasPrefix("unterminated comment") == true)
    }

    @Test func unterminatedString() {
        let found = errors(of: "options {\n directory \"/var/named;\n};\n")
        #expect(found.first?.line == 2)
        #expect(found.first?.message.hasPrefix("unterminated quoted string") == true)
    }

    @Test func lineNumbersCountQuotedNewlines() {
        let text = "trust-anchors {\n \".\" initial-key 257 3 8 \"AwEAAa\n bbbb\";\n};\nbogus;\n"
        let found = errors(of: text)
        #expect(found.map(\.line) == [5])
    }

    @Test func missingSemicolonBeforeClosingBrace() {
        let found = errors(of: "options {\n\tdirectory \"/tmp\"\n};\n")
        #expect(found.map(\.description) == ["named.conf:3: missing ';' before '}'; end the statement with ';'"])
    }

    @Test func missingSemicolonAfterBlock() {
        let found = errors(of: "options { directory \"/tmp\"; }\nzone \"a\" { type hint; file \"x\"; };\n")
        #expect(found.first?.line == 2)
        #expect(found.first?.message.hasPrefix("missing ';' before 'zone'") == true)
    }

    @Test func includeFromAbsolutePath() throws {
        let directory = try TemporaryDirectory()
        let zones = try directory.write("zones.conf", "zone \"example.com\" {\n type primary;\n file \"example.com.zone\";\n};\n")
        let main = try directory.write("named.conf", "options { directory \"/var/named\"; };\ninclude \"\(zones)\";\n")
        let loaded = try ConfigLoader.load(path: main)
        #expect(loaded.configuration.zones.map(\.name) == ["example.com"])
        #expect(loaded.configuration.zones.first?.location == SourceLocation(file: zones, line: 1))
        #expect(loaded.files == [main, zones])
    }

    @Test func includeInsideBlock() throws {
        let directory = try TemporaryDirectory()
        let acl = try directory.write("acl.conf", "10.1.0.0/16;\n!10.2.0.0/16;\n")
        let loaded = try ConfigLoader.load(text: "acl \"inner\" { include \"\(acl)\"; };")
        #expect(loaded.configuration.acls["inner"]?.description == "{ 10.1.0.0/16; !10.2.0.0/16; }")
    }

    /// BIND resolves a relative include against the working directory, not the including file.
    @Test func relativeIncludeUsesWorkingDirectory() throws {
        let directory = try TemporaryDirectory()
        try directory.write("sub/zones.conf", "zone \"a.test\" { type primary; file \"a\"; };\n")
        let main = try directory.write("sub/named.conf", "include \"zones.conf\";\n")
        let notFound = diagnostics(of: try String(contentsOfFile: main, encoding: .utf8), file: main)
        #expect(notFound.map(\.message) == ["open: zones.conf: file not found; check the path and that the file is readable"])
        #expect(notFound.first?.line == 1)

        // The same file, reached by a path relative to the working directory, loads.
        let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let relative = String(repeating: "../", count: depth) + directory.path.dropFirst() + "/sub/zones.conf"
        let loaded = try ConfigLoader.load(text: "include \"\(relative)\";\n")
        #expect(loaded.configuration.zones.map(\.name) == ["a.test"])
    }

    @Test func includeLoopIsReported() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/loop.conf"
        try directory.write("loop.conf", "include \"\(path)\";\n")
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.load(path: path) }
        #expect(error?.errors.count == 1)
        #expect(error?.errors.first?.message.contains("nested more than 32 levels") == true)
    }

    @Test func rootDirectoryPrefixesAbsolutePaths() throws {
        let root = try TemporaryDirectory()
        try root.write("etc/named.conf", "include \"/etc/extra.conf\";\n")
        try root.write("etc/extra.conf", "zone \"b.test\" { type primary; file \"b\"; };\n")
        let loaded = try ConfigLoader.load(path: "/etc/named.conf", rootDirectory: root.path)
        #expect(loaded.configuration.zones.first?.location == SourceLocation(file: "/etc/extra.conf", line: 1))
    }

    @Test func printerRoundTrips() throws {
        let text = """
            options { directory "/var/named"; allow-query { !10.0.0.1; any; }; };
            zone "example.com" IN { type master; file "example.com.zone"; };
            """
        let first = try ConfigLoader.load(text: text)
        let printed = ConfigPrinter.format(first.statements)
        #expect(printed.contains("\t\t!10.0.0.1;\n"))
        let second = try ConfigLoader.load(text: printed)
        #expect(ConfigPrinter.format(second.statements) == printed)
        #expect(second.configuration.zones.first?.type == .primary)
    }
}
