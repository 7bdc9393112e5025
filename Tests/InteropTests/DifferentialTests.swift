import Foundation
import Testing
import TestSupport

/// Settings of the differential run, from the environment so that `scripts/difftest` can ask
/// for a larger run through `swift test --filter`.
struct DifferentialSettings {
    /// The seed of the first zone set; run `i` uses `seed + i`.
    var seed: UInt64 = 1
    /// Zones in each set (1 to `RandomZoneSet.maxZones`).
    var zones = 5
    /// Questions sent to both servers for each zone set.
    var questions = 2000
    /// Zone sets, each served by a fresh pair of servers.
    var runs = 3
    /// A directory to write each set's zone files and a named.conf into, for reproduction.
    var keepDirectory: String?
    /// Print every difference, not only the first example of each kind.
    var printAll = false

    static func fromEnvironment() throws -> DifferentialSettings {
        let environment = ProcessInfo.processInfo.environment
        var settings = DifferentialSettings()
        func number<Value: FixedWidthInteger>(_ key: String, _ range: ClosedRange<Value>) throws -> Value? {
            guard let text = environment[key], !text.isEmpty else { return nil }
            guard let value = Value(text), range.contains(value) else {
                throw HarnessError(description: "\(key)=\(text) is invalid; set a whole number in \(range)")
            }
            return value
        }
        settings.seed = try number("DIFFTEST_SEED", 0...UInt64.max) ?? settings.seed
        settings.zones = try number("DIFFTEST_ZONES", 1...RandomZoneSet.maxZones) ?? settings.zones
        settings.questions = try number("DIFFTEST_QUESTIONS", 1...10_000_000) ?? settings.questions
        settings.runs = try number("DIFFTEST_RUNS", 1...100_000) ?? settings.runs
        if let keep = environment["DIFFTEST_KEEP"], !keep.isEmpty { settings.keepDirectory = keep }
        settings.printAll = environment["DIFFTEST_PRINT_ALL"] == "1"
        return settings
    }
}

/// Differences on random questions that swift-named makes on purpose, each with the reason
/// and a test that recognizes it. docs/compatibility.md lists the same entries.
struct DeliberateRandomDifference: Sendable {
    var summary: String
    var reason: String
    var matches: @Sendable (RandomQuestion, NormalizedResponse, NormalizedResponse) -> Bool
}

let deliberateRandomDifferences: [DeliberateRandomDifference] = [
    DeliberateRandomDifference(
        summary: "TC set by BIND only, on CNAME chains or close to the UDP size",
        reason: "swift-named compresses every name against any earlier name with the same suffix "
            + "(RFC 1035 section 4.1.4), and BIND 9.18 compresses less. A response that swift-named "
            + "fits in the UDP size can exceed it at BIND, which sets TC: by hundreds of octets on "
            + "chains of long synthesized CNAMEs, by a few elsewhere. The client gets the same records "
            + "either way, from BIND over TCP.",
        matches: { question, bind, ours in
            guard !question.spec.tcp, bind.flags.contains("tc"), !ours.flags.contains("tc"),
                bind.flags.filter({ $0 != "tc" }) == ours.flags, bind.rcode == ours.rcode,
                bind.question == ours.question, bind.edns == ours.edns
            else { return false }
            let limit = question.spec.ednsUDPSize.map { max(512, min(Int($0), 1232)) } ?? 512
            return ours.answer.contains { $0.contains(" IN CNAME ") } || ours.wireSize > limit - 64
        }),
    DeliberateRandomDifference(
        summary: "additional RRsets that only swift-named fits near the UDP size",
        reason: "For the same reason, a UDP response close to the size limit leaves room for one more "
            + "additional RRset in swift-named and not in BIND 9.18. Additional records are optional "
            + "(RFC 2181 section 9 lets a server leave them out without setting TC).",
        matches: { question, bind, ours in
            guard !question.spec.tcp, bind.rcode == ours.rcode, bind.flags == ours.flags,
                bind.question == ours.question, bind.answer == ours.answer, bind.authority == ours.authority,
                bind.edns == ours.edns, bind.additional.count < ours.additional.count,
                bind.additional.allSatisfy(ours.additional.contains)
            else { return false }
            // BIND's response had no room for the records it lacks, each at least a 2-octet
            // compressed owner, 10 octets of header and its address. The limit is 512 without
            // EDNS, otherwise the client's size capped at the max-udp-size default of 1232.
            let limit = question.spec.ednsUDPSize.map { max(512, min(Int($0), 1232)) } ?? 512
            var needed = 0
            for record in ours.additional where !bind.additional.contains(record) {
                let fields = record.split(separator: " ")
                guard fields.count == 5, fields[3] == "A" || fields[3] == "AAAA" else { return false }
                needed += 12 + (fields[3] == "A" ? 4 : 16)
            }
            return bind.wireSize + needed > limit
        }),
]

/// One question whose responses differ, with what is needed to reproduce it.
struct RandomDifference {
    var seed: UInt64
    var question: RandomQuestion
    var difference: AnswerDifference

    /// Names the parts of the responses that differ, with the question's category, so that
    /// differences with one cause fall into one kind.
    var kind: String {
        var parts: [String] = []
        switch (difference.reference, difference.other) {
        case (.response(let bind), .response(let ours)):
            if bind.rcode != ours.rcode { parts.append("rcode \(bind.rcode) vs \(ours.rcode)") }
            if bind.flags != ours.flags {
                let missing = bind.flags.filter { !ours.flags.contains($0) }
                let extra = ours.flags.filter { !bind.flags.contains($0) }
                let changes = missing.map { "-" + $0 } + extra.map { "+" + $0 }
                parts.append("flags " + changes.joined(separator: " "))
            }
            if bind.question != ours.question { parts.append("question") }
            if bind.answer != ours.answer { parts.append("answer") }
            if bind.authority != ours.authority { parts.append("authority") }
            if bind.additional != ours.additional { parts.append("additional") }
            if bind.edns != ours.edns { parts.append("EDNS") }
        case (let bind, let ours):
            parts.append("outcome \(outcomeName(bind)) vs \(outcomeName(ours))")
        }
        return "\(question.category): " + parts.joined(separator: ", ")
    }

    var description: String {
        "seed \(seed): \(question.spec.text)  [\(question.category)]\n\(difference)"
    }

    private func outcomeName(_ outcome: QueryOutcome) -> String {
        switch outcome {
        case .response: "response"
        case .noReply: "no reply"
        case .connectionClosed: "closed"
        case .undecodable: "undecodable"
        case .socketError: "socket error"
        }
    }
}

/// Runs `named-checkzone` of BIND and of swift-named on one generated zone and returns both
/// exit statuses and outputs.
func checkZone(executable: String, zone: ZoneFixture, directory: String) throws -> (status: Int32, output: String) {
    let path = directory + "/" + zone.fileName
    try zone.text.write(toFile: path, atomically: true, encoding: .utf8)
    let process = Process()
    // `-k fail` checks names as a primary zone in named does; named-checkzone only warns by
    // default. `-i local` keeps BIND from looking up out-of-zone NS, MX and SRV targets with
    // getaddrinfo, and `withoutNetwork` makes sure no such lookup leaves the machine.
    let command = withoutNetwork(executable, ["-k", "fail", "-i", "local", zone.name, path])
    process.executableURL = URL(fileURLWithPath: command.executable)
    process.arguments = command.arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
}

@Suite("random zones against BIND 9.18", .serialized)
struct DifferentialTests {
    /// Generates zone sets from a fixed seed, checks that BIND loads every zone, and sends
    /// seeded random questions to BIND and swift-named. Every difference that is not listed
    /// in `deliberateRandomDifferences` fails the test. The DIFFTEST_* environment variables
    /// (see `DifferentialSettings`) make the run larger.
    @Test("random questions get BIND's answers")
    func randomQuestionsMatchBIND() throws {
        let settings = try DifferentialSettings.fromEnvironment()
        let ourCheckzone = try BuiltProducts.path(of: "named-checkzone")
        var differences: [RandomDifference] = []
        var explained: [String: Int] = [:]
        var retried: [String] = []
        var sent = 0

        for run in 0..<settings.runs {
            let seed = settings.seed &+ UInt64(run)
            let set = RandomZoneSet(seed: seed, zoneCount: settings.zones)
            let fixtures = set.fixtures
            if let keep = settings.keepDirectory {
                let directory = keep + "/seed-\(seed)"
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                _ = try writeConfiguration(directory: directory, port: 5300, zones: fixtures, flavor: .bind)
            }
            guard try zonesLoadAlike(fixtures, seed: seed, ourCheckzone: ourCheckzone) else { continue }

            let questions = RandomQuestions.make(for: set, count: settings.questions)
            sent += questions.count
            try withServerPair(zones: fixtures, otherFlavor: .swiftNamed) { bind, ours in
                let results = compareAnswers(questions.map(\.spec), reference: bind, other: ours)
                for (question, first) in zip(questions, results) where first.differs {
                    var result = first
                    if result.reference == .noReply {
                        // BIND is the reference, not the product under test: a reply it did not
                        // send in time is asked for once more and listed in the summary. No
                        // reply from swift-named is a difference like any other.
                        result = compareAnswers([question.spec], reference: bind, other: ours)[0]
                        let second = result.differs ? "different replies" : "the same reply"
                        retried.append("seed \(seed): \(question.spec.text): BIND sent no reply; the retry got \(second)")
                        if !result.differs { continue }
                    }
                    if case .response(let bindResponse) = result.reference, case .response(let ourResponse) = result.other,
                        let rule = deliberateRandomDifferences.first(where: { $0.matches(question, bindResponse, ourResponse) })
                    {
                        explained[rule.summary, default: 0] += 1
                        continue
                    }
                    differences.append(RandomDifference(seed: seed, question: question, difference: result))
                }
                #expect(ours.isRunning, "swift-named exited during the questions of seed \(seed); its output:\n\(ours.log)")
            }
        }

        report(differences, explained: explained, sent: sent, settings: settings)
        for line in retried {
            print("  retried after no reply: \(line)")
        }
    }

    /// Checks one zone set with both `named-checkzone` programs. Returns false, after
    /// recording why, when BIND rejects a zone: the generator must not produce it, unless
    /// swift-named rejects it too, which is then a test passed.
    private func zonesLoadAlike(_ fixtures: [ZoneFixture], seed: UInt64, ourCheckzone: String) throws -> Bool {
        let directory = try makeTemporaryDirectory(prefix: "difftest-check")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var allLoad = true
        for zone in fixtures {
            let bind = try checkZone(executable: "/usr/bin/named-checkzone", zone: zone, directory: directory)
            let ours = try checkZone(executable: ourCheckzone, zone: zone, directory: directory)
            if (bind.status == 0) != (ours.status == 0) {
                Issue.record(
                    """
                    seed \(seed): named-checkzone of BIND exits \(bind.status) and swift-named's exits \(ours.status) \
                    on zone \(zone.name)
                    --- BIND:
                    \(bind.output)
                    --- swift-named:
                    \(ours.output)
                    --- zone file:
                    \(zone.text)
                    """)
            } else if bind.status != 0 {
                let message = "seed \(seed): the generator wrote a zone that BIND rejects (and so does swift-named); "
                    + "fix the generator. BIND's named-checkzone:\n\(bind.output)\n--- zone file:\n\(zone.text)"
                Issue.record("\(message)")
            }
            allLoad = allLoad && bind.status == 0 && ours.status == 0
        }
        return allLoad
    }

    /// Prints a summary and one example of each kind of difference, and records one issue per
    /// kind (or per difference with DIFFTEST_PRINT_ALL=1).
    private func report(_ differences: [RandomDifference], explained: [String: Int], sent: Int,
                        settings: DifferentialSettings) {
        var kinds: [String] = []
        var byKind: [String: [RandomDifference]] = [:]
        for difference in differences {
            let kind = difference.kind
            if byKind[kind] == nil { kinds.append(kind) }
            byKind[kind, default: []].append(difference)
        }
        let lastSeed = settings.seed &+ UInt64(settings.runs - 1)
        print(
            """
            difftest: seeds \(settings.seed)...\(lastSeed), \(settings.zones) zones and \(settings.questions) \
            questions per seed: \(sent) questions sent, \(differences.count + explained.values.reduce(0, +)) \
            differ, \(kinds.count) kinds of unexplained difference
            """)
        for rule in deliberateRandomDifferences {
            print("  deliberate, \(rule.summary): \(explained[rule.summary] ?? 0)")
        }
        for kind in kinds {
            let members = byKind[kind]!
            let examples = settings.printAll ? members : [members[0]]
            let reproduce = "reproduce: scripts/difftest --seed \(members[0].seed) --zones \(settings.zones) --keep DIR "
                + "writes the zones and a named.conf to DIR/seed-\(members[0].seed)"
            let text = "difference kind (\(members.count)x): \(kind)\n"
                + examples.map(\.description).joined(separator: "\n\n") + "\n" + reproduce
            print(text + "\n")
            Issue.record("\(text)")
        }
    }
}
