import Testing
@testable import DNSWire

/// Names long enough that the comparison runs over whole 8-byte words and a tail.
@Test func nameEqualityIgnoresASCIICase() throws {
    let pairs: [(String, String, Bool)] = [
        ("host-123456.bench.test.", "HOST-123456.Bench.TEST.", true),
        ("host-123456.bench.test.", "host-123457.bench.test.", false),
        ("a.b.", "A.B.", true),
        ("averylonglabelname.example.", "AVERYLONGLABELNAME.EXAMPLE.", true),
        ("averylonglabelname.example.", "averylonglabelnamf.example.", false),
        // Bytes 0x20 apart that are not letters differ: [ and {, @ and `.
        ("x[y.example.", "x{y.example.", false),
        ("abcdefg@.example.", "abcdefg`.example.", false),
        ("abcdefghij\\[k.example.", "ABCDEFGHIJ\\{k.example.", false),
    ]
    for (left, right, expected) in pairs {
        let a = try DomainName(parsing: left)
        let b = try DomainName(parsing: right)
        #expect((a == b) == expected, "\(left) == \(right)")
        #expect((b == a) == expected, "\(right) == \(left)")
    }
    // Bytes with the high bit set are compared as they are.
    let upper = DomainName(uncheckedWire: [9, 0xC1, 1, 2, 3, 4, 5, 6, 7, 8, 0])
    let lower = DomainName(uncheckedWire: [9, 0xE1, 1, 2, 3, 4, 5, 6, 7, 8, 0])
    #expect(upper != lower)
}
