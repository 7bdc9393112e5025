import Testing

@testable import DNSServer
@testable import NamedConfig

@Suite struct ServerCookieTests {
    /// Key 00 01 ... 0f, the key of the test vectors published with SipHash.
    static let key = CookieSecret(bytes: Array(0...15)).key

    @Test func sipHashReferenceVectors() {
        // From the reference implementation's vectors.h: the empty input and 15 octets 00..0e.
        let empty: [UInt8] = []
        #expect(empty.withUnsafeBytes { SipHash24.hash(key: Self.key, $0) } == 0x726F_DB47_DD0E_0E31)
        let fifteen = [UInt8](0...14)
        #expect(fifteen.withUnsafeBytes { SipHash24.hash(key: Self.key, $0) } == 0xA129_CA61_49BE_45E5)
    }

    @Test func cookieRoundTrip() {
        let secret = CookieSecret(bytes: Array(0...15))
        let client = IPAddress("192.0.2.1")!
        let cookie = ServerCookie(clientCookie: 0x0102_0304_0506_0708, timestamp: 1_800_000_000, secret: secret, client: client)
        var option: [UInt8] = withUnsafeBytes(of: cookie.clientCookie.bigEndian, Array.init)
        option += [1, 0, 0, 0] + withUnsafeBytes(of: cookie.timestamp.bigEndian, Array.init)
        option += withUnsafeBytes(of: cookie.hash.littleEndian, Array.init)

        func valid(_ bytes: [UInt8], client: IPAddress = client, now: UInt32 = 1_800_000_000) -> Bool {
            bytes.withUnsafeBytes { ServerCookie.isValid($0, secrets: [secret], client: client, now: now) }
        }
        #expect(valid(option))
        #expect(valid(option, now: 1_800_003_600))
        #expect(!valid(option, now: 1_800_003_601))
        #expect(valid(option, now: 1_799_999_700))
        #expect(!valid(option, now: 1_799_999_699))
        #expect(!valid(option, client: IPAddress("192.0.2.2")!))
        #expect(!valid(option, client: IPAddress("2001:db8::1")!))
        var wrongVersion = option
        wrongVersion[8] = 2
        #expect(!valid(wrongVersion))
        #expect(!valid(Array(option.prefix(16))))
        let otherSecret = CookieSecret(bytes: [UInt8](repeating: 7, count: 16))
        #expect(option.withUnsafeBytes { ServerCookie.isValid($0, secrets: [otherSecret, secret], client: client, now: 1_800_000_000) })
    }
}
