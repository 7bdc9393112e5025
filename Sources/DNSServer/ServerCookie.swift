import Glibc
import NamedConfig

/// SipHash-2-4 (Aumasson and Bernstein, 2012) with a 128-bit key, over input of any length.
/// The key halves are read little-endian from the 16 key bytes, as in the reference code.
public enum SipHash24 {
    public static func hash(key: (UInt64, UInt64), _ input: UnsafeRawBufferPointer) -> UInt64 {
        var v0: UInt64 = 0x736f_6d65_7073_6575 ^ key.0
        var v1: UInt64 = 0x646f_7261_6e64_6f6d ^ key.1
        var v2: UInt64 = 0x6c79_6765_6e65_7261 ^ key.0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ key.1

        @inline(__always)
        func round() {
            v0 = v0 &+ v1
            v1 = (v1 << 13 | v1 >> 51) ^ v0
            v0 = v0 << 32 | v0 >> 32
            v2 = v2 &+ v3
            v3 = (v3 << 16 | v3 >> 48) ^ v2
            v0 = v0 &+ v3
            v3 = (v3 << 21 | v3 >> 43) ^ v0
            v2 = v2 &+ v1
            v1 = (v1 << 17 | v1 >> 47) ^ v2
            v2 = v2 << 32 | v2 >> 32
        }

        let count = input.count
        let fullWords = count / 8
        for word in 0..<fullWords {
            var m: UInt64 = 0
            for byte in 0..<8 {
                m |= UInt64(input[word * 8 + byte]) << (8 * byte)
            }
            v3 ^= m
            round()
            round()
            v0 ^= m
        }
        // The last word: the remaining bytes, with the input length modulo 256 in the top byte.
        var last = UInt64(count & 0xFF) << 56
        for byte in 0..<(count - fullWords * 8) {
            last |= UInt64(input[fullWords * 8 + byte]) << (8 * byte)
        }
        v3 ^= last
        round()
        round()
        v0 ^= last

        v2 ^= 0xFF
        round()
        round()
        round()
        round()
        return v0 ^ v1 ^ v2 ^ v3
    }
}

/// A 128-bit server secret for DNS COOKIE, as SipHash-2-4 key halves.
public struct CookieSecret: Sendable, Equatable {
    public var key: (UInt64, UInt64)

    /// Reads 16 bytes: the first 8 are the first key half, little-endian, as BIND reads them.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a cookie secret has 16 bytes")
        var first: UInt64 = 0
        var second: UInt64 = 0
        for index in 0..<8 {
            first |= UInt64(bytes[index]) << (8 * index)
            second |= UInt64(bytes[8 + index]) << (8 * index)
        }
        key = (first, second)
    }

    /// Returns a secret from the system's random source (`SystemRandomNumberGenerator`, which reads
    /// getrandom(2) on Linux), for a server without `cookie-secret`.
    public static func random() -> CookieSecret {
        var generator = SystemRandomNumberGenerator()
        var secret = CookieSecret(bytes: [UInt8](repeating: 0, count: 16))
        secret.key = (generator.next(), generator.next())
        return secret
    }

    public static func == (lhs: CookieSecret, rhs: CookieSecret) -> Bool {
        lhs.key == rhs.key
    }
}

/// The server cookie of RFC 9018 (version 1, three reserved octets, a timestamp and a
/// SipHash-2-4 hash), which BIND 9.18 sends with `cookie-algorithm siphash24`, its default.
/// The hash covers the client cookie, the version, reserved and timestamp octets, and the
/// client's IP address (4 or 16 octets) in network order.
struct ServerCookie {
    /// The first 8 octets of the COOKIE option, as they came in, big-endian.
    var clientCookie: UInt64
    /// Seconds since 1970, as the cookie carries it.
    var timestamp: UInt32
    /// The SipHash-2-4 value, written into the cookie little-endian as BIND writes it.
    var hash: UInt64

    /// Length of the COOKIE option data with this server cookie: 8 + 16 octets.
    static let optionLength = 24
    /// RFC 9018 section 4.3 (and BIND 9.18): a server cookie from up to 5 minutes in the
    /// future or up to 1 hour in the past is still accepted.
    static let maxFutureSkew: UInt32 = 300
    static let maxAge: UInt32 = 3600

    init(clientCookie: UInt64, timestamp: UInt32, secret: CookieSecret, client: IPAddress) {
        self.clientCookie = clientCookie
        self.timestamp = timestamp
        hash = Self.computeHash(clientCookie: clientCookie, timestamp: timestamp, secret: secret, client: client)
    }

    /// Hashes the 20 (IPv4) or 32 (IPv6) input octets from a stack buffer.
    static func computeHash(clientCookie: UInt64, timestamp: UInt32, secret: CookieSecret, client: IPAddress) -> UInt64 {
        // Four words in the order of the octets, each stored so that its memory contains the
        // octets in network order.
        let versionAndTime = UInt64(1) << 56 | UInt64(timestamp)
        var words: (UInt64, UInt64, UInt64, UInt64)
        let length: Int
        switch client {
        case .v4(let address):
            words = (clientCookie.bigEndian, versionAndTime.bigEndian, (UInt64(address) << 32).bigEndian, 0)
            length = 20
        case .v6(let high, let low):
            words = (clientCookie.bigEndian, versionAndTime.bigEndian, high.bigEndian, low.bigEndian)
            length = 32
        }
        return withUnsafeBytes(of: &words) { bytes in
            SipHash24.hash(key: secret.key, UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
        }
    }

    /// The class of a query's COOKIE option, as BIND 9.18 counts them in its statistics.
    enum Check {
        /// A client cookie alone (`CookieNew`).
        case clientOnly
        /// A server cookie of another length than this server's (`CookieBadSize`).
        case badSize
        /// A timestamp outside the accepted window (`CookieBadTime`).
        case badTime
        /// A server cookie that no secret produced (`CookieNoMatch`).
        case noMatch
        /// A server cookie that a secret produced (`CookieMatch`).
        case match
    }

    /// Checks the 24 octets of a COOKIE option at `option` against `secrets`, and the
    /// timestamp against `now`. Returns true when one secret produced this server cookie.
    static func isValid(_ option: UnsafeRawBufferPointer, secrets: [CookieSecret], client: IPAddress, now: UInt32) -> Bool {
        check(option, secrets: secrets, client: client, now: now) == .match
    }

    /// Classifies a COOKIE option as BIND's statistics do; only `.match` is a valid cookie.
    static func check(_ option: UnsafeRawBufferPointer, secrets: [CookieSecret], client: IPAddress, now: UInt32) -> Check {
        if option.count == 8 { return .clientOnly }
        guard option.count == optionLength else { return .badSize }
        let client64 = read64(option, 0)
        let header = read64(option, 8)
        let timestamp = UInt32(truncatingIfNeeded: header)
        // RFC 1982 serial comparison, as BIND makes it, so that the window works across 2106.
        guard timestamp &- now <= maxFutureSkew || now &- timestamp <= maxAge else { return .badTime }
        // Version 1 and zero reserved octets, as every cookie this server sends carries.
        guard header >> 32 == 0x0100_0000 else { return .noMatch }
        var hash: UInt64 = 0
        for index in 0..<8 {
            hash |= UInt64(option[16 + index]) << (8 * index)
        }
        for secret in secrets {
            if computeHash(clientCookie: client64, timestamp: timestamp, secret: secret, client: client) == hash {
                return .match
            }
        }
        return .noMatch
    }

    static func read64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<8 {
            value = value << 8 | UInt64(bytes[offset + index])
        }
        return value
    }

    /// Reads the current time, in whole seconds since 1970, with clock_gettime.
    static func now() -> UInt32 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt32(truncatingIfNeeded: time.tv_sec)
    }
}
