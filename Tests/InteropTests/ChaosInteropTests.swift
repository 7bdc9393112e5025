import Testing

/// The built-in CHAOS zones with `version`, `hostname` and `server-id` set, where swift-named
/// must answer exactly as BIND 9.18 does, text included.
@Suite("CHAOS identities against BIND 9.18", .serialized)
struct ChaosInteropTests {
    static let queries = [
        "version.bind CH TXT +norec", "version.bind CH ANY", "hostname.bind CH TXT +norec",
        "hostname.bind CH ANY", "id.server CH TXT +norec", "id.server CH ANY", "authors.bind CH TXT",
        "authors.bind CH ANY +norec",
    ].map(QuerySpec.init)

    func expectSameAnswers(_ options: [String]) throws {
        try withServerPair(zones: Fixtures.all, otherFlavor: .swiftNamed, extraOptions: options) { bind, ours in
            for result in compareAnswers(Self.queries, reference: bind, other: ours) {
                #expect(!result.differs, "with \(options.joined(separator: " ")):\n\(result)")
            }
        }
    }

    @Test("version text, hostname none, server-id text")
    func configuredText() throws {
        try expectSameAnswers(["version \"custom 1.0\";", "hostname none;", "server-id \"ns-test\";"])
    }

    @Test("version none, server-id hostname")
    func hiddenVersion() throws {
        try expectSameAnswers(["version none;", "server-id hostname;"])
    }

    @Test("version longer than 255 octets is cut")
    func longVersion() throws {
        try expectSameAnswers(["version \"\(String(repeating: "0123456789", count: 30))\";"])
    }
}
