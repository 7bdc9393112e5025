import Foundation
import Glibc
import Testing

/// rndc against a running swift-named: reloads, zone commands, status and stop.
@Suite(.serialized)
struct RndcTests {
    @Test func reloadServesNewSerial() throws {
        let named = try OperatedServer()
        try named.writeZone(OperatedServer.zone(serial: 2, address: "192.0.2.2"))

        let result = try named.rndc("reload")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == "server reload successful\n")
        #expect(try named.dig("steady.example.com", "+short") == "192.0.2.2\n")
        #expect(try named.dig("example.com", "SOA", "+short").contains(" 2 3600 600 86400 300"))
    }

    @Test func brokenZoneKeepsOldData() throws {
        let named = try OperatedServer()
        try named.writeZone(OperatedServer.zone(serial: 2, address: "192.0.2.2", extra: "bad IN A 300.1.1.1"))

        let result = try named.rndc("reload")
        #expect(result.status != 0)
        #expect(result.error.contains("rndc: 'reload' failed: failure"), "\(result.error)")
        // The bad record is on line 7 of the zone file.
        #expect(result.error.contains("example.com.zone:7:"), "\(result.error)")
        #expect(try named.dig("steady.example.com", "+short") == "192.0.2.1\n")
        #expect(named.server.standardError.contains("keeping serial 1 in service"), "\(named.server.standardError)")
    }

    @Test func brokenConfigChangesNothing() throws {
        let named = try OperatedServer()
        let other = "zone \"example.net\" { type primary; file \"example.com.zone\"; };"
        try named.writeConfig(extra: other + "\noptions {")
        try named.writeZone(OperatedServer.zone(serial: 2, address: "192.0.2.2"))

        let result = try named.rndc("reload")
        #expect(result.status != 0)
        #expect(result.error.contains("rndc: 'reload' failed"), "\(result.error)")
        #expect(result.error.contains("named.conf:"), "\(result.error)")
        // Neither the new zone nor the edited zone file is in service.
        #expect(try named.dig("example.net", "SOA", "+noall", "+comments").contains("status: REFUSED"))
        #expect(try named.dig("steady.example.com", "+short") == "192.0.2.1\n")
    }

    @Test func reloadZoneReportsUpToDate() throws {
        let named = try OperatedServer()
        let unchanged = try named.rndc("reload", "example.com")
        #expect(unchanged.status == 0, "\(unchanged.error)")
        #expect(unchanged.output == "zone reload up-to-date\n")

        try named.writeZone(OperatedServer.zone(serial: 5, address: "192.0.2.5"))
        let changed = try named.rndc("reload", "example.com", "IN")
        #expect(changed.status == 0, "\(changed.error)")
        #expect(changed.output == "zone reload successful\n")
        #expect(try named.dig("steady.example.com", "+short") == "192.0.2.5\n")

        let missing = try named.rndc("reload", "example.org")
        #expect(missing.status != 0)
        #expect(missing.error.contains("no matching zone 'example.org'"), "\(missing.error)")
    }

    @Test func reloadWarnsWhenSerialStays() throws {
        let named = try OperatedServer()
        try named.writeZone(OperatedServer.zone(serial: 1, address: "192.0.2.9"))
        let result = try named.rndc("reload", "example.com")
        #expect(result.status == 0)
        let log = named.server.standardError
        #expect(log.contains("serial 1 is unchanged (1 was served)"), "\(log)")
    }

    @Test func reconfigAddsAndRemovesZones() throws {
        let named = try OperatedServer()
        try named.directory.write("example.net.zone", """
            $TTL 300
            @ IN SOA ns1.example.net. hostmaster.example.net. 7 3600 600 86400 300
            @ IN NS ns1.example.net.
            ns1 IN A 192.0.2.7
            """)
        try named.writeConfig(extra: "zone \"example.net\" { type primary; file \"example.net.zone\"; };")
        let added = try named.rndc("reconfig")
        #expect(added.status == 0, "\(added.error)")
        #expect(try named.dig("ns1.example.net", "+short") == "192.0.2.7\n")

        try named.writeConfig(extra: "")
        let removed = try named.rndc("reload")
        #expect(removed.status == 0, "\(removed.error)")
        #expect(try named.dig("example.net", "SOA", "+noall", "+comments").contains("status: REFUSED"))
    }

    @Test func zonestatusShowsSerialAndFile() throws {
        let named = try OperatedServer()
        let result = try named.rndc("zonestatus", "example.com")
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("name: example.com"))
        #expect(lines.contains("type: primary"))
        #expect(lines.contains("files: example.com.zone"))
        #expect(lines.contains("serial: 1"))
        #expect(lines.contains { $0.hasPrefix("last loaded: ") && $0.hasSuffix(" GMT") }, "\(lines)")
    }

    @Test func statusReportsZonesAndRunning() throws {
        let named = try OperatedServer()
        let result = try named.rndc("status")
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("version: swift-named ") == true, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("boot time: ") }, "\(lines)")
        #expect(lines.contains("number of zones: 1 (0 automatic)"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("tcp clients: 0/") }, "\(lines)")
        #expect(lines.last == "server is up and running")
    }

    @Test func primaryZoneCannotRetransfer() throws {
        let named = try OperatedServer()
        let result = try named.rndc("retransfer", "example.com")
        #expect(result.status != 0)
        #expect(result.error.contains("retransfer: inappropriate zone type: primary"), "\(result.error)")
    }

    @Test func unknownCommandFails() throws {
        let named = try OperatedServer()
        let result = try named.rndc("frobnicate")
        #expect(result.status != 0)
        #expect(result.error.contains("rndc: 'frobnicate' failed: unknown command"), "\(result.error)")
    }

    @Test func stopExitsWithZero() throws {
        let named = try OperatedServer()
        let result = try named.rndc("stop")
        #expect(result.status == 0, "\(result.error)")
        let deadline = Date().addingTimeInterval(5)
        while named.server.process.isRunning && Date() < deadline {
            usleep(20_000)
        }
        #expect(!named.server.process.isRunning)
        #expect(named.server.process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: named.controlSocket))
    }

    @Test func missingServerIsReported() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.url.appendingPathComponent("control").path
        let result = try CommandResult.run(ServerProcess.productsDirectory.appendingPathComponent("rndc"),
                                           ["-s", socket, "status"])
        #expect(result.status != 0)
        #expect(result.error.contains("rndc: connect failed: \(socket): No such file or directory"), "\(result.error)")
    }

    @Test func sighupReloads() throws {
        let named = try OperatedServer()
        try named.writeZone(OperatedServer.zone(serial: 3, address: "192.0.2.3"))
        kill(named.server.process.processIdentifier, SIGHUP)
        let deadline = Date().addingTimeInterval(5)
        var answer = ""
        while Date() < deadline {
            answer = try named.dig("steady.example.com", "+short")
            if answer == "192.0.2.3\n" { break }
            usleep(50_000)
        }
        #expect(answer == "192.0.2.3\n")
    }

    @Test func versionFlags() throws {
        let named = ServerProcess.productsDirectory.appendingPathComponent("named")
        let short = try CommandResult.run(named, ["-v"])
        #expect(short.status == 0)
        #expect(short.output.hasPrefix("swift-named "))
        #expect(short.output.split(separator: "\n").count == 1)
        let long = try CommandResult.run(named, ["-V"])
        #expect(long.status == 0)
        #expect(long.output.split(separator: "\n").count >= 3, "\(long.output)")
        #expect(long.output.contains("running on Linux"), "\(long.output)")
    }
}

/// Queries at a steady rate while the zone is reloaded: no query may go unanswered or get a
/// wrong answer while snapshots are swapped.
@Suite(.serialized)
struct ReloadUnderLoadTests {
    static let queriesPerSecond = 2000
    static let reloads = 100

    @Test func steadyRateThroughReloads() throws {
        let named = try OperatedServer()
        let client = try UDPClient(port: named.port, receiveTimeout: 2)
        let done = Locked(false)
        let sent = Locked(0)
        let answers = Locked([AResponse?](repeating: nil, count: 65536))

        // The sender paces itself in bursts of 20 every 10 ms and stops once the reloads are
        // over, or after 30 seconds.
        let sender = Thread {
            let start = Date()
            var id = 0
            while !done.withLock({ $0 }) && Date().timeIntervalSince(start) < 30 && id < 65536 {
                let due = Int(Date().timeIntervalSince(start) * Double(Self.queriesPerSecond))
                while id < due && id < 65536 {
                    _ = client.send(UDPClient.query(id: UInt16(id), name: "steady.example.com"))
                    id += 1
                }
                sent.withLock { $0 = id }
                usleep(10_000)
            }
            sent.withLock { $0 = id }
        }

        let receiverDone = DispatchSemaphore(value: 0)
        let receiver = Thread {
            while let message = client.receive() {
                guard let response = AResponse(message) else { continue }
                answers.withLock { $0[Int(response.id)] = response }
            }
            receiverDone.signal()
        }
        receiver.start()
        sender.start()

        var failedReloads: [String] = []
        for index in 1...Self.reloads {
            let address = index % 2 == 0 ? "192.0.2.1" : "192.0.2.2"
            try named.writeZone(OperatedServer.zone(serial: UInt32(1 + index), address: address))
            let result = try named.rndc("reload", "example.com")
            if result.status != 0 || result.output != "zone reload successful\n" {
                failedReloads.append("reload \(index): \(result.status) \(result.output) \(result.error)")
            }
        }
        // Keep the load on for a moment after the last swap.
        usleep(200_000)
        done.withLock { $0 = true }
        while sender.isExecuting { usleep(10_000) }
        receiverDone.wait()

        let total = sent.withLock { $0 }
        let collected = answers.withLock { Array($0[0..<total]) }
        let lost = collected.filter { $0 == nil }.count
        let wrong = collected.compactMap { $0 }.filter {
            $0.rcode != 0 || $0.addresses.count != 1 || !["192.0.2.1", "192.0.2.2"].contains($0.addresses[0])
        }
        let seen = Set(collected.compactMap { $0?.addresses.first })

        #expect(failedReloads.isEmpty, "\(failedReloads.prefix(3))")
        #expect(total >= 2 * Self.reloads, "only \(total) queries were sent")
        let lostIDs = collected.indices.filter { collected[$0] == nil }
        let metrics = (try? parsePrometheus(httpGet(port: named.statisticsPort, path: "/metrics").output)) ?? [:]
        let serverView = "server received \(metrics["named_queries_total{transport=\"udp\"}"] ?? -1) UDP queries, "
            + "dropped \(metrics["named_responses_dropped_total{}"] ?? -1) responses"
        #expect(lost == 0, "\(lost) of \(total) queries got no answer, first IDs \(lostIDs.prefix(10)), last \(lostIDs.suffix(3)); \(serverView)")
        #expect(wrong.isEmpty, "\(wrong.count) wrong answers, first: \(String(describing: wrong.first))")
        #expect(seen == ["192.0.2.1", "192.0.2.2"], "answers seen: \(seen)")
        #expect(try named.dig("example.com", "SOA", "+short").contains(" \(1 + Self.reloads) 3600 "))
    }
}

/// The statistics outputs: Prometheus text, BIND's JSON and the statistics file.
@Suite(.serialized)
struct StatisticsTests {
    @Test func metricsCountQueriesSent() throws {
        let named = try OperatedServer()
        let before = try parsePrometheus(try httpGet(port: named.statisticsPort, path: "/metrics").output)

        let client = try UDPClient(port: named.port)
        let count = 300
        var answered = 0
        for id in 0..<count {
            #expect(client.send(UDPClient.query(id: UInt16(id), name: "steady.example.com")))
            if client.receive() != nil { answered += 1 }
        }
        // Five MX queries, to see a second type counted apart.
        for id in 0..<5 {
            _ = client.send(UDPClient.query(id: UInt16(count + id), name: "example.com", type: 15))
            _ = client.receive()
        }
        #expect(answered == count)

        let fetched = try httpGet(port: named.statisticsPort, path: "/metrics")
        #expect(fetched.status == 0, "\(fetched.error)")
        let after = try parsePrometheus(fetched.output)
        func delta(_ key: String) -> Double { (after[key] ?? -1) - (before[key] ?? 0) }
        #expect(delta("named_queries_total{transport=\"udp\"}") == Double(count + 5))
        #expect(delta("named_queries_total{transport=\"tcp\"}") == 0)
        #expect(delta("named_query_types_total{type=\"A\"}") == Double(count))
        #expect(delta("named_query_types_total{type=\"MX\"}") == 5)
        #expect(delta("named_opcodes_total{opcode=\"QUERY\"}") == Double(count + 5))
        #expect(delta("named_responses_total{rcode=\"NOERROR\"}") == Double(count + 5))
        #expect(after["named_zones{}"] == 1)
        #expect(after["named_zone_serial{zone=\"example.com\"}"] == 1)
    }

    @Test func jsonHasBINDSections() throws {
        let named = try OperatedServer()
        #expect(try named.dig("example.com", "SOA", "+short").contains(" 1 3600 600 86400 300"))
        let fetched = try httpGet(port: named.statisticsPort, path: "/json/v1")
        #expect(fetched.status == 0, "\(fetched.error)")
        struct ServerDocument: Decodable {
            var opcodes: [String: Int]
            var rcodes: [String: Int]
            var qtypes: [String: Int]
            var nsstats: [String: Int]
            var bootTime: String

            enum CodingKeys: String, CodingKey {
                case opcodes, rcodes, qtypes, nsstats
                case bootTime = "boot-time"
            }
        }
        let document = try JSONDecoder().decode(ServerDocument.self, from: Data(fetched.output.utf8))
        // At least the SOA query above was counted.
        #expect((document.opcodes["QUERY"] ?? 0) > 0, "\(fetched.output)")
        #expect(document.opcodes.count == 16)
        #expect((document.rcodes["NOERROR"] ?? 0) > 0, "\(fetched.output)")
        #expect((document.qtypes["SOA"] ?? 0) > 0, "\(fetched.output)")
        #expect((document.nsstats["QryUDP"] ?? 0) > 0, "\(fetched.output)")
        #expect(document.bootTime.hasSuffix("Z"))
    }

    /// The same six queries gave these counts in BIND 9.18.49's /json/v1/server.
    @Test func cookieCountersMatchBIND() throws {
        let named = try OperatedServer()
        struct ServerDocument: Decodable {
            var nsstats: [String: Int]
        }
        func counters() throws -> [String: Int] {
            let fetched = try httpGet(port: named.statisticsPort, path: "/json/v1")
            return try JSONDecoder().decode(ServerDocument.self, from: Data(fetched.output.utf8)).nsstats
        }
        // The start-up check's dig sent a cookie too, so the counters are compared as deltas.
        let before = try counters()
        _ = try named.dig("example.com", "SOA", "+cookie=0102030405060708", "+nobadcookie")
        _ = try named.dig("example.com", "SOA", "+cookie=0102030405060708aabbccddeeff0011", "+nobadcookie")
        let issued = try named.dig("example.com", "SOA", "+cookie=0102030405060708", "+tcp")
        let cookie = try #require(issued.split(separator: "\n").first { $0.hasPrefix("; COOKIE: ") }?
            .split(separator: " ").dropFirst(2).first.map(String.init))
        #expect(cookie.count == 48)
        _ = try named.dig("example.com", "SOA", "+cookie=\(cookie)", "+nobadcookie")
        _ = try named.dig("example.com", "SOA", "+cookie=\(cookie.dropLast(2))00", "+nobadcookie")
        _ = try named.dig("example.com", "SOA", "+cookie=0102030405060708010000000000000000000000000000ff", "+nobadcookie")

        let after = try counters()
        func delta(_ key: String) -> Int { (after[key] ?? 0) - (before[key] ?? 0) }
        #expect(delta("CookieIn") == 6, "before \(before), after \(after)")
        #expect(delta("CookieNew") == 2)
        #expect(delta("CookieBadSize") == 1)
        #expect(delta("CookieBadTime") == 1)
        #expect(delta("CookieNoMatch") == 1)
        #expect(delta("CookieMatch") == 1)

        let metrics = try httpGet(port: named.statisticsPort, path: "/metrics").output
        #expect(metrics.contains("named_cookies_total{result=\"match\"} 1\n"), "\(metrics)")
        #expect(metrics.contains("named_cookies_total{result=\"bad_time\"} 1\n"))
    }

    @Test func httpRejectsOtherMethods() throws {
        let named = try OperatedServer()
        let result = try CommandResult.run(URL(fileURLWithPath: "/usr/bin/curl"),
                                           ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                                            "http://127.0.0.1:\(named.statisticsPort)/metrics"])
        #expect(result.output == "405")
        let missing = try CommandResult.run(URL(fileURLWithPath: "/usr/bin/curl"),
                                            ["-s", "-o", "/dev/null", "-w", "%{http_code}",
                                             "http://127.0.0.1:\(named.statisticsPort)/nothing"])
        #expect(missing.output == "404")
    }

    @Test func statsAppendsDump() throws {
        let named = try OperatedServer()
        #expect(try named.rndc("stats").status == 0)
        #expect(try named.rndc("stats").status == 0)
        let path = named.directory.url.appendingPathComponent("named.stats").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let starts = text.split(separator: "\n").filter { $0.hasPrefix("+++ Statistics Dump +++ (") }
        #expect(starts.count == 2, "\(text)")
        #expect(text.contains("++ Incoming Requests ++\n"))
        #expect(text.contains("++ Name Server Statistics ++\n"))
        #expect(text.contains(/\n +\d+ QUERY\n/), "\(text)")
        #expect(text.contains(/\n +\d+ UDP queries received\n/), "\(text)")
    }
}

/// A worker kept busy by a stream of UDP queries must still run the other work on its
/// queue: TCP connections handed to it and the switch to a reloaded zone. dnsperf sends the
/// stream from one socket, so it lands on one worker, at 10,000 queries a second: the gaps are
/// shorter than the time a worker waits on its socket before it lets the queue go. A worker
/// that kept its queue while the stream lasts would leave such a TCP query waiting for
/// seconds and keep answering from the old zone.
@Suite(.serialized)
struct BusyWorkerTests {
    /// Starts dnsperf sending `steady.example.com A` to 127.0.0.1 from one socket at 10,000
    /// queries a second for at most 10 seconds, and gives it half a second to get going.
    static func startStream(to named: OperatedServer) throws -> Process {
        try named.directory.write("queries.txt", "steady.example.com A\n")
        let dnsperf = Process()
        dnsperf.executableURL = URL(fileURLWithPath: "/usr/bin/dnsperf")
        dnsperf.arguments = ["-s", "127.0.0.1", "-p", String(named.port), "-c", "1", "-Q", "10000", "-l", "10",
                             "-d", named.directory.url.appendingPathComponent("queries.txt").path]
        dnsperf.standardOutput = FileHandle.nullDevice
        try dnsperf.run()
        usleep(500_000)
        return dnsperf
    }

    /// Stops a stream that `startStream` started, by its PID.
    static func stop(_ dnsperf: Process) {
        if dnsperf.isRunning { kill(dnsperf.processIdentifier, SIGINT) }
        dnsperf.waitUntilExit()
    }

    @Test func streamOfUDPQueriesLeavesRoomForOtherWork() throws {
        let named = try OperatedServer()
        let dnsperf = try Self.startStream(to: named)
        defer { Self.stop(dnsperf) }

        // TCP connections go to the workers in turn, so two of these land on the busy one.
        for attempt in 1...4 {
            let answer = try named.dig("+tcp", "+time=3", "steady.example.com", "A", "+short")
            #expect(answer == "192.0.2.1\n", "TCP query \(attempt) got \(answer.debugDescription)")
        }

        // Each dig comes from a new source port, so these reach both workers.
        try named.writeZone(OperatedServer.zone(serial: 2, address: "192.0.2.2"))
        let reload = try named.rndc("reload", "example.com")
        #expect(reload.output == "zone reload successful\n", "\(reload.output) \(reload.error)")
        usleep(500_000)
        for attempt in 1...6 {
            let answer = try named.dig("steady.example.com", "A", "+short")
            #expect(answer == "192.0.2.2\n", "UDP query \(attempt) after the reload got \(answer.debugDescription)")
        }
        #expect(dnsperf.isRunning, "dnsperf ended before the checks were done")
    }

    /// A worker reads all of its UDP sockets in one loop and keeps its queue while queries
    /// keep coming, so the loop itself must watch the worker's other sockets: queries to ::1
    /// must be answered while 127.0.0.1 has a steady stream.
    @Test func streamOnOneAddressLeavesRoomForAnother() throws {
        let named = try OperatedServer(listenOnV6: "::1;")
        let dnsperf = try Self.startStream(to: named)
        defer { Self.stop(dnsperf) }

        // Each dig comes from a new source port, so these reach both workers.
        for attempt in 1...8 {
            let answer = try named.dig(at: "::1", "steady.example.com", "A", "+short")
            #expect(answer == "192.0.2.1\n", "query \(attempt) to ::1 got \(answer.debugDescription)")
        }
        #expect(dnsperf.isRunning, "dnsperf ended before the checks were done")
    }
}
