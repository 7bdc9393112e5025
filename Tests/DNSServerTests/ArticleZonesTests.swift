import Foundation
import TestSupport
import Testing

/// The bundled zones/ served by the built `named`, checked with dig as the README shows.
@Suite(.serialized)
final class ArticleZonesTests {
    let server: ServerProcess
    let port: UInt16

    init() throws {
        port = freePort()
        server = try ServerProcess.swiftNamed(config: "zones/named.conf", directory: repositoryRoot, port: port)
        try server.waitUntilAnswering("example.com")
    }

    deinit {
        server.stop()
    }

    /// Runs dig against the server; runs of spaces and tabs in its output become one space.
    func dig(_ arguments: String...) throws -> String {
        let output = try Dig.run(["@127.0.0.1", "-p", String(port)] + arguments)
        return output.replacing(/[ \t]+/, with: " ")
    }

    @Test func cnameChainEndsAtMailAddress() throws {
        let output = try dig("www.example.com", "+noall", "+answer", "+comments")
        #expect(output.contains("flags: qr aa rd;"), "\(output)")
        #expect(output.contains("www.example.com. 86400 IN CNAME server1.example.com."), "\(output)")
        #expect(output.contains("server1.example.com. 86400 IN CNAME mail.example.com."), "\(output)")
        #expect(output.contains("mail.example.com. 86400 IN A 10.0.1.5"), "\(output)")
    }

    @Test func reverseLookupGivesFTP() throws {
        let output = try dig("-x", "10.0.1.3", "+short")
        #expect(output == "ftp.example.com.\n")
    }

    @Test func tcpAnswersTheSame() throws {
        let udp = try dig("ftp.example.com", "+short")
        let tcp = try dig("ftp.example.com", "+short", "+tcp")
        #expect(Set(udp.split(separator: "\n")) == ["10.0.1.3", "10.0.1.4"])
        #expect(Set(tcp.split(separator: "\n")) == ["10.0.1.3", "10.0.1.4"])
    }

    @Test func missingNameIsNXDOMAINWithSOA() throws {
        let output = try dig("nosuch.example.com", "+noall", "+comments", "+authority")
        #expect(output.contains("status: NXDOMAIN"), "\(output)")
        #expect(output.contains("example.com. 86400 IN SOA dns1.example.com. hostmaster.example.com. 2001062501"), "\(output)")
    }

    @Test func nameOutsideZonesIsRefused() throws {
        let output = try dig("example.org", "+noall", "+comments")
        #expect(output.contains("status: REFUSED"), "\(output)")
        #expect(!output.contains(" aa"), "\(output)")
    }

    @Test func mxAnswerCarriesAddresses() throws {
        let output = try dig("example.com", "MX", "+noall", "+answer", "+additional")
        #expect(output.contains("IN MX 10 mail.example.com."), "\(output)")
        #expect(output.contains("mail2.example.com. 86400 IN A 10.0.1.6"), "\(output)")
    }

    @Test func existingNameWithoutTypeIsNODATA() throws {
        let output = try dig("mail.example.com", "AAAA", "+noall", "+comments", "+authority")
        #expect(output.contains("status: NOERROR"), "\(output)")
        #expect(output.contains("ANSWER: 0"), "\(output)")
        #expect(output.contains("IN SOA dns1.example.com."), "\(output)")
    }
}
