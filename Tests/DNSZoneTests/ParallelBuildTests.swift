import Testing
@testable import DNSWire
@testable import DNSZone

/// Expects the two zones to hold the same flat arrays. The hash tables may place a name in
/// another slot, so they are compared by looking every name up.
func expectSameStore(_ parallel: Zone, _ sequential: Zone, _ label: String) {
    let sameNames = parallel.names == sequential.names
    #expect(sameNames, "names, \(label)")

    #expect(parallel.nodes.count == sequential.nodes.count, "node count, \(label)")
    for (index, (a, b)) in zip(parallel.nodes, sequential.nodes).enumerated() {
        let same = a.nameOffset == b.nameOffset && a.nameLength == b.nameLength && a.flags == b.flags
            && a.rrsetStart == b.rrsetStart && a.rrsetCount == b.rrsetCount && a.cut == b.cut
        #expect(same, "node \(index) (\(sequential.nodeName(index))), \(label)")
        if !same { break }
    }

    #expect(parallel.rrsets.count == sequential.rrsets.count, "RRset count, \(label)")
    for (index, (a, b)) in zip(parallel.rrsets, sequential.rrsets).enumerated() {
        let same = a.type == b.type && a.rrClass == b.rrClass && a.ttl == b.ttl && a.rdataStart == b.rdataStart
            && a.rdataCount == b.rdataCount && a.targetStart == b.targetStart && a.targetCount == b.targetCount
        #expect(same, "RRset \(index), \(label)")
        if !same { break }
    }

    let sameRdataOffsets = parallel.rdataOffsets == sequential.rdataOffsets
    #expect(sameRdataOffsets, "RDATA offsets, \(label)")
    let sameRdata = parallel.rdata == sequential.rdata
    #expect(sameRdata, "RDATA, \(label)")
    let sameTargets = parallel.targets == sequential.targets
    #expect(sameTargets, "targets, \(label)")
    #expect(parallel.recordCount == sequential.recordCount, "record count, \(label)")
    #expect(parallel.apexIndex == sequential.apexIndex, "apex, \(label)")
    #expect(parallel.table.count == sequential.table.count, "table size, \(label)")

    var missing = 0
    for index in 0..<sequential.nodes.count {
        let lowered = sequential.nodeName(index).wire.map(asciiLower)
        if parallel.findNode(lowercased: lowered, from: 0) != Int32(index) { missing += 1 }
    }
    #expect(missing == 0, "names not found at their node, \(label)")
}

/// Records that exercise what the builder merges and adds. Owners are spelled in several cases
/// and split over several runs, with repeated types in separate runs, identical records and
/// TTLs that differ within an RRset. There are empty non-terminals several labels deep,
/// wildcards, a delegation with glue, a DNAME, and NS, MX and SRV targets inside and outside
/// the zone.
func builderRecords(names: Int) -> [ResourceRecord] {
    func name(_ text: String) -> DomainName { try! DomainName(parsing: text, origin: exampleOrigin) }
    func a(_ last: Int) -> [UInt8] { [192, 0, 2, UInt8(last % 256)] }
    func wire(_ text: String) -> [UInt8] { name(text).wire }
    var records: [ResourceRecord] = [
        ResourceRecord(owner: name("@"), type: .soa, ttl: 3600,
                       rdata: wire("ns1") + wire("hostmaster") + [0, 0, 0, 1, 0, 0, 14, 16, 0, 0, 7, 8, 0, 18, 117, 0, 0, 0, 1, 44]),
        ResourceRecord(owner: name("@"), type: .ns, ttl: 3600, rdata: wire("ns1")),
        ResourceRecord(owner: name("@"), type: .ns, ttl: 3600, rdata: wire("ns.other.net.")),
        ResourceRecord(owner: name("ns1"), type: .a, ttl: 3600, rdata: a(1)),
        ResourceRecord(owner: name("sub"), type: .ns, ttl: 3600, rdata: wire("ns.sub")),
        ResourceRecord(owner: name("ns.sub"), type: .a, ttl: 3600, rdata: a(2)),
        ResourceRecord(owner: name("deep.below.sub"), type: .a, ttl: 3600, rdata: a(3)),
        ResourceRecord(owner: name("moved"), type: .dname, ttl: 3600, rdata: wire("elsewhere.net.")),
        ResourceRecord(owner: name("x.moved"), type: .a, ttl: 3600, rdata: a(4)),
        ResourceRecord(owner: name("*.wild"), type: .a, ttl: 3600, rdata: a(5)),
        ResourceRecord(owner: name("a.b.c.d.ent"), type: .txt, ttl: 3600, rdata: [3, 65, 66, 67]),
    ]
    for i in 0..<names {
        let owner = i % 7 == 3 ? name("Host\(i)") : name("host\(i)")
        records.append(ResourceRecord(owner: owner, type: .a, ttl: UInt32(300 + i % 3), rdata: a(i)))
        switch i % 11 {
        case 0:
            records.append(ResourceRecord(owner: owner, type: .a, ttl: 999, rdata: a(i + 1)))
            records.append(ResourceRecord(owner: owner, type: .a, ttl: 1, rdata: a(i)))
        case 1:
            records.append(ResourceRecord(owner: owner, type: .mx, ttl: 300, rdata: [0, 10] + wire("host\(i + 1)")))
            records.append(ResourceRecord(owner: owner, type: .mx, ttl: 300, rdata: [0, 20] + wire("mail.other.net.")))
        case 2:
            records.append(ResourceRecord(owner: owner, type: .srv, ttl: 300, rdata: [0, 1, 0, 2, 0, 3] + wire("HOST\(i - 1)")))
        case 3:
            records.append(ResourceRecord(owner: name("\(i).deep.ent\(i % 5)"), type: .a, ttl: 300, rdata: a(i)))
        case 4:
            records.append(ResourceRecord(owner: name("*.w\(i)"), type: .txt, ttl: 300, rdata: [1, 120]))
        default:
            break
        }
    }
    // Later runs of earlier owners, in another spelling, with new and repeated types.
    for i in stride(from: 0, to: names, by: 13) {
        records.append(ResourceRecord(owner: name("HOST\(i)"), type: .txt, ttl: 60, rdata: [2, 104, 105]))
        records.append(ResourceRecord(owner: name("host\(i)"), type: .a, ttl: 60, rdata: a(i + 7)))
        records.append(ResourceRecord(owner: name("host\(i)"), type: .a, ttl: 60, rdata: a(i)))
    }
    records.append(ResourceRecord(owner: name("ns1"), type: .aaaa, ttl: 3600, rdata: Array(repeating: 1, count: 16)))
    return records
}

@Test func parallelBuildMatchesSequential() throws {
    let records = builderRecords(names: 5000)
    let sequential = try Zone(origin: exampleOrigin, rrClass: .in, records: records, parallel: false)
    let parallel = try Zone(origin: exampleOrigin, rrClass: .in, records: records, parallel: true)
    #expect(sequential.nodes.count > 5000)
    expectSameStore(parallel, sequential, "mixed records")

    // With shards of one or a few slots, most probes run past the end of their shard's range.
    let firstOwners = Set(records.prefix(300).map(\.owner))
    let small = Array(records.prefix(300)) + records.dropFirst(300).filter { firstOwners.contains($0.owner) }
    #expect(small.count > 320, "later runs of the first owners")
    for shardCount in [1024, 256] {
        expectSameStore(try Zone(origin: exampleOrigin, rrClass: .in, records: small, parallel: true, shardCount: shardCount),
                        try Zone(origin: exampleOrigin, rrClass: .in, records: small, parallel: false),
                        "\(shardCount) shards")
    }

    // The records of a parsed zone file, before and after validation.
    let directory = try ZoneDirectory()
    let path = try directory.write("tricky.db", trickyZone(names: 3000))
    let parsed = try ZoneFileParser.parse(path: path, origin: exampleOrigin)
    let checked = ZoneValidator.validate(origin: exampleOrigin, records: parsed.records, file: path)
    let inZone = parsed.records.filter { $0.owner.isSubdomain(of: exampleOrigin) }
    for (input, label) in [(inZone, "parsed file"), (checked.records, "validated file")] {
        expectSameStore(try Zone(origin: exampleOrigin, rrClass: .in, records: input, parallel: true),
                        try Zone(origin: exampleOrigin, rrClass: .in, records: input, parallel: false), label)
    }
}

@Test func largeZoneBuildsInParallel() throws {
    let records = builderRecords(names: 40_000)
    #expect(records.count >= ParallelZoneBuild.minimumRecords, "the public initializer should pick the parallel builder")
    expectSameStore(try Zone(origin: exampleOrigin, records: records),
                    try Zone(origin: exampleOrigin, rrClass: .in, records: records, parallel: false), "large zone")
}

@Test func parallelBuildRejectsOutOfZoneRecord() {
    var records = builderRecords(names: 200)
    let outside = try! DomainName(parsing: "host.other.net.")
    records.insert(ResourceRecord(owner: outside, type: .a, ttl: 60, rdata: [192, 0, 2, 1]), at: 150)
    for parallel in [false, true] {
        #expect(throws: ZoneBuildError.self, "parallel: \(parallel)") {
            try Zone(origin: exampleOrigin, rrClass: .in, records: records, parallel: parallel)
        }
        do {
            _ = try Zone(origin: exampleOrigin, rrClass: .in, records: records, parallel: parallel)
        } catch {
            #expect(error.message == "record host.other.net. is outside zone example.com.", "parallel: \(parallel)")
        }
    }
}
