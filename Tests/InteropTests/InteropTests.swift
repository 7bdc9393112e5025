import Foundation
import Testing

/// Differences from BIND 9.18 that swift-named makes on purpose, keyed by the query text in
/// `InteropQueries`, with the reason. A difference on any other query fails the suite.
/// docs/compatibility.md lists the same entries for users.
let deliberateDifferences: [String: String] = [
    "version.bind CH TXT": versionReason,
    "version.bind CH TXT +norec": versionReason,
    "version.bind CH ANY +norec": versionReason,
    "authors.bind CH TXT":
        "swift-named has no list of authors to publish, so authors.bind has no TXT record (NODATA), "
        + "as BIND 9.18 answers it whenever the 'version' option is set.",
]

let versionReason =
    "swift-named returns its own name and version, not BIND's. No DNS standard defines the "
    + "text of this CHAOS-class name; it is a convention that BIND started, and a server that "
    + "claimed to be BIND 9.18 would mislead operators and vulnerability scanners."

/// One query and what each server returned for it.
struct AnswerDifference: CustomStringConvertible {
    var query: QuerySpec
    var referencePort: UInt16
    var reference: QueryOutcome
    var other: QueryOutcome
    var otherLabel: String

    var differs: Bool { reference != other }

    var description: String {
        """
        query: \(query.text)
          (reproduce: \(query.digCommand(port: referencePort)))
        --- BIND 9.18:
        \(reference)
        --- \(otherLabel):
        \(other)
        """
    }
}

/// Sends every query to both servers and returns one entry per query, differing or not.
/// With INTEROP_VERBOSE=1 in the environment it also prints every query and both outcomes.
func compareAnswers(
    _ queries: [QuerySpec], reference: ServerProcess, other: ServerProcess
) -> [AnswerDifference] {
    let verbose = ProcessInfo.processInfo.environment["INTEROP_VERBOSE"] == "1"
    var results: [AnswerDifference] = []
    for query in queries {
        let result = AnswerDifference(
            query: query, referencePort: reference.port, reference: exchange(query, port: reference.port),
            other: exchange(query, port: other.port), otherLabel: other.label)
        if verbose { print(result, "\n") }
        results.append(result)
    }
    return results
}

@Suite("swift-named against BIND 9.18", .serialized)
struct InteropTests {
    @Test("every query gets BIND's answer")
    func answersMatchBIND() throws {
        #expect(InteropQueries.all.count >= 60)
        try withServerPair(zones: Fixtures.all, otherFlavor: .swiftNamed) { bind, ours in
            let differences = compareAnswers(InteropQueries.all, reference: bind, other: ours).filter(\.differs)
            for difference in differences where deliberateDifferences[difference.query.text] == nil {
                Issue.record("swift-named differs from BIND:\n\(difference)")
            }
            #expect(ours.isRunning, "swift-named exited during the queries; its output:\n\(ours.log)")
        }
    }

    /// Two BIND instances on the same zones must agree on every query: this shows that the
    /// normalization hides nothing but per-run noise (record order, COOKIE, message ID).
    @Test("harness: BIND agrees with itself")
    func bindAgreesWithItself() throws {
        try withServerPair(zones: Fixtures.all, otherFlavor: .bind) { first, second in
            let results = compareAnswers(InteropQueries.all, reference: first, other: second)
            for result in results {
                guard case .response = result.reference else {
                    Issue.record("BIND gave no decodable response to \(result.query.text): \(result.reference)")
                    continue
                }
            }
            let differences = results.filter(\.differs)
            #expect(differences.isEmpty, "\(differences.map(\.description).joined(separator: "\n\n"))")
        }
    }

    /// The comparison must be able to fail: one changed address in example.com has to show up
    /// on exactly the queries whose answers contain it (two A queries and the zone transfer).
    @Test("harness: a changed zone is detected")
    func changedZoneIsDetected() throws {
        var changed = Fixtures.exampleCom
        changed.text = changed.text.replacingOccurrences(of: "10.0.1.4", with: "10.0.1.7")
        #expect(changed.text != Fixtures.exampleCom.text)
        let changedZones = [changed, Fixtures.reverse, Fixtures.test, Fixtures.kidTest]

        try withServerPair(zones: Fixtures.all, otherZones: changedZones, otherFlavor: .bind) { first, second in
            let differences = compareAnswers(InteropQueries.all, reference: first, other: second).filter(\.differs)
            let differing = Set(differences.map(\.query.text))
            #expect(differing == ["ftp.example.com A", "ftp.example.com A +tcp", "example.com AXFR +tcp"])
        }
    }
}
