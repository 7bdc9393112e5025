import Glibc

/// Renders `ServerStatistics` as BIND's statistics file, BIND's /json/v1 document and
/// Prometheus text.
public enum StatisticsOutput {
    /// One dump in the layout of BIND 9.18's statistics file: sections headed `++ Name ++`, each
    /// counter right-aligned in 20 columns before its description, zero counters left out.
    public static func statisticsFile(_ statistics: ServerStatistics) -> String {
        let counters = statistics.counters
        var text = "+++ Statistics Dump +++ (\(statistics.currentTime))\n"
        func line(_ value: Int, _ description: String) {
            let number = String(value)
            text += String(repeating: " ", count: max(0, 20 - number.count)) + number + " " + description + "\n"
        }
        text += "++ Incoming Requests ++\n"
        for (index, name) in DNSCodeNames.opcodes.enumerated() where counters.opcodes[index] > 0 {
            line(counters.opcodes[index], name)
        }
        text += "++ Incoming Queries ++\n"
        for index in 0..<CountedQueryType.slotCount where counters.queryTypes[index] > 0 {
            line(counters.queryTypes[index], CountedQueryType.name(ofSlot: index))
        }
        text += "++ Outgoing Rcodes ++\n"
        for (index, name) in DNSCodeNames.rcodes.enumerated() where counters.rcodes[index] > 0 {
            line(counters.rcodes[index], name)
        }
        text += "++ Outgoing Queries ++\n"
        text += "++ Name Server Statistics ++\n"
        for counter in statistics.nameServerCounters where counter.value > 0 {
            line(counter.value, counter.description)
        }
        text += "++ Zone Maintenance Statistics ++\n"
        text += "++ Per Zone Query Statistics ++\n"
        for zone in statistics.zones {
            text += "[\(zone.name)]\n"
        }
        text += "--- Statistics Dump --- (\(statistics.currentTime))\n"
        return text
    }

    /// The server document of BIND's /json/v1 where swift-named has the same counters:
    /// `opcodes` and `rcodes` with every name, `qtypes` and `nsstats` with the non-zero ones.
    public static func json(_ statistics: ServerStatistics) -> String {
        let counters = statistics.counters
        var members: [String] = []
        members.append("\"json-stats-version\":\"1.7\"")
        members.append("\"boot-time\":\(quoted(isoTime(statistics.bootTime)))")
        members.append("\"config-time\":\(quoted(isoTime(statistics.configTime)))")
        members.append("\"current-time\":\(quoted(isoTime(statistics.currentTime)))")
        members.append("\"version\":\(quoted(statistics.version))")
        members.append("\"opcodes\":" + object(DNSCodeNames.opcodes.enumerated().map { ($1, counters.opcodes[$0]) }))
        members.append("\"rcodes\":" + object(DNSCodeNames.rcodes.enumerated().map { ($1, counters.rcodes[$0]) }))
        let qtypes = (0..<CountedQueryType.slotCount).filter { counters.queryTypes[$0] > 0 }.map {
            (CountedQueryType.name(ofSlot: $0) == "other" ? "Others" : CountedQueryType.name(ofSlot: $0), counters.queryTypes[$0])
        }
        members.append("\"qtypes\":" + object(qtypes))
        members.append("\"nsstats\":" + object(statistics.nameServerCounters.filter { $0.value > 0 }.map { ($0.key, $0.value) }))
        let zones = statistics.zones.map { "{\"name\":\(quoted($0.name)),\"class\":\"IN\",\"serial\":\($0.serial)}" }
        members.append("\"views\":{\"_default\":{\"zones\":[\(zones.joined(separator: ","))]}}")
        return "{" + members.joined(separator: ",") + "}\n"
    }

    /// Prometheus text exposition format 0.0.4. Counter names end in `_total`.
    public static func prometheus(_ statistics: ServerStatistics) -> String {
        let counters = statistics.counters
        var text = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Int)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples {
                text += name + (sample.labels.isEmpty ? "" : "{\(sample.labels)}") + " \(sample.value)\n"
            }
        }
        family("named_queries_total", "counter", "Queries received, by transport.",
               [("transport=\"udp\"", counters.udpQueries), ("transport=\"tcp\"", counters.tcpQueries)])
        family("named_requests_total", "counter", "Requests received, by address family of the client.",
               [("family=\"ipv4\"", counters.ipv4Requests), ("family=\"ipv6\"", counters.ipv6Requests)])
        family("named_opcodes_total", "counter", "Requests received, by header opcode.",
               DNSCodeNames.opcodes.enumerated().map { ("opcode=\"\($1)\"", counters.opcodes[$0]) })
        family("named_query_types_total", "counter", "Queries received, by the type of their question.",
               (0..<CountedQueryType.slotCount).map {
                   ("type=\"\(CountedQueryType.name(ofSlot: $0))\"", counters.queryTypes[$0])
               })
        family("named_responses_total", "counter", "Responses built, by RCODE.",
               DNSCodeNames.rcodes.enumerated().map { ("rcode=\"\($1)\"", counters.rcodes[$0]) })
        family("named_responses_truncated_total", "counter", "Responses sent with the TC bit set.",
               [("", counters.truncatedResponses)])
        family("named_responses_dropped_total", "counter", "UDP responses the socket did not accept.",
               [("", counters.droppedResponses)])
        family("named_requests_ignored_total", "counter", "Messages without a response: shorter than a header or with QR set.",
               [("", counters.ignoredMessages)])
        family("named_cookies_total", "counter", "Queries with a COOKIE option, by what the option was.",
               [("result=\"client_only\"", counters.cookieNew), ("result=\"bad_size\"", counters.cookieBadSize),
                ("result=\"bad_time\"", counters.cookieBadTime), ("result=\"no_match\"", counters.cookieNoMatch),
                ("result=\"match\"", counters.cookieMatch)])
        family("named_tcp_clients", "gauge", "Open TCP connections.", [("", statistics.tcpClients)])
        family("named_zones", "gauge", "Zones in service.", [("", statistics.zones.count)])
        family("named_zone_serial", "gauge", "SOA serial of each zone in service.",
               statistics.zones.map { ("zone=\"\(escapeLabel($0.name))\"", Int($0.serial)) })
        family("named_boot_time_seconds", "gauge", "Start time of the server, seconds since the epoch.",
               [("", statistics.bootTime)])
        family("named_config_time_seconds", "gauge", "Time of the last configuration load, seconds since the epoch.",
               [("", statistics.configTime)])
        return text
    }

    private static func object(_ pairs: [(String, Int)]) -> String {
        "{" + pairs.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default:
                if scalar.value < 0x20 {
                    result += "\\u" + pad(Int(scalar.value), 4)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    private static func escapeLabel(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }

    /// `2026-12-04T20:21:07Z`.
    static func isoTime(_ seconds: Int) -> String {
        var time = seconds
        var parts = tm()
        gmtime_r(&time, &parts)
        return "\(Int(parts.tm_year) + 1900)-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))Z"
    }

    /// `Fri, 04 Dec 2026 20:20:56 GMT`, as rndc status prints times and HTTP dates read.
    public static func httpDate(_ seconds: Int) -> String {
        var time = seconds
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        return "\(days[Int(parts.tm_wday)]), \(pad(Int(parts.tm_mday), 2)) \(LogTimeFormat.months[Int(parts.tm_mon)]) "
            + "\(Int(parts.tm_year) + 1900) \(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)) GMT"
    }
}
