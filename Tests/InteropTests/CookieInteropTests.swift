import DNSServer
import Glibc
import Testing

/// DNS COOKIE (RFC 7873) between a client and BIND 9.18 or swift-named. Server cookies differ
/// between servers with different secrets, so these tests send each server's cookie back to it.
/// With a shared `cookie-secret`, they check that the two servers accept each other's cookies,
/// which only happens when both compute the same SipHash-2-4 value.
@Suite("DNS COOKIE against BIND 9.18", .serialized)
struct CookieInteropTests {
    static let secretHex = "0123456789abcdef0123456789abcdef"
    static let requireCookies = ["require-server-cookie yes;", "cookie-secret \"\(secretHex)\";"]

    /// Sends `query` with `cookie` as the COOKIE option data and returns the response.
    func ask(_ text: String, cookie: [UInt8], port: UInt16) -> NormalizedResponse? {
        var query = QuerySpec(text)
        query.cookie = cookie
        guard case .response(let response) = exchange(query, port: port) else { return nil }
        return response
    }

    /// Returns a cookie for 127.0.0.1 as a server with `secretHex` makes it at `timestamp`.
    func makeCookie(client: [UInt8], timestamp: UInt32) -> [UInt8] {
        let header: [UInt8] = [1, 0, 0, 0] + withUnsafeBytes(of: timestamp.bigEndian, Array.init)
        let input = client + header + [127, 0, 0, 1]
        let secret = CookieSecret(bytes: hexBytes(Self.secretHex)!)
        let hash = input.withUnsafeBytes { SipHash24.hash(key: secret.key, $0) }
        return client + header + withUnsafeBytes(of: hash.littleEndian, Array.init)
    }

    @Test("issued cookie is accepted, others get BADCOOKIE")
    func requireServerCookie() throws {
        try withServerPair(zones: Fixtures.all, otherFlavor: .swiftNamed, extraOptions: Self.requireCookies) { bind, ours in
            for server in [bind, ours] {
                // Over TCP a client cookie alone is enough, so this answer carries a fresh cookie.
                let first = ask("host.test A +tcp", cookie: QuerySpec.defaultClientCookie, port: server.port)
                let issued = try #require(first?.cookie, "\(server.label) sent no cookie over TCP")
                #expect(issued.count == 24)
                #expect(Array(issued.prefix(8)) == QuerySpec.defaultClientCookie)
                #expect(Array(issued[8..<12]) == [1, 0, 0, 0], "\(server.label): not a version 1 server cookie")

                let returned = ask("host.test A", cookie: issued, port: server.port)
                #expect(returned?.rcode == "NOERROR", "\(server.label) rejected its own cookie: \(String(describing: returned))")
                #expect(returned?.answer.count == 1)
            }

            var forged = makeCookie(client: QuerySpec.defaultClientCookie, timestamp: UInt32(time(nil)))
            forged[23] ^= 0x01
            let cases: [(String, [UInt8])] = [
                ("host.test A", QuerySpec.defaultClientCookie),
                ("host.test A +tcp", QuerySpec.defaultClientCookie),
                ("host.test A +dnssec", forged),
                ("example.org A", forged),
                ("host.test ANY", forged),
                ("test AXFR", forged),
                ("host.test A +opcode=2", forged),
                ("host.test CH TXT", forged),
            ]
            for (text, cookie) in cases {
                let reference = ask(text, cookie: cookie, port: bind.port)
                let other = ask(text, cookie: cookie, port: ours.port)
                #expect(reference != nil, "BIND did not answer \(text)")
                #expect(reference == other, "\(text) with cookie \(cookie): BIND\n\(String(describing: reference))\nswift-named\n\(String(describing: other))")
            }
            #expect(ask("host.test A", cookie: forged, port: ours.port)?.rcode == "BADCOOKIE")
        }
    }

    @Test("shared secret: each server accepts the other's cookie")
    func sharedSecret() throws {
        try withServerPair(zones: Fixtures.all, otherFlavor: .swiftNamed, extraOptions: Self.requireCookies) { bind, ours in
            for (issuer, verifier) in [(bind, ours), (ours, bind)] {
                let issued = try #require(ask("host.test A +tcp", cookie: [9, 9, 9, 9, 9, 9, 9, 9], port: issuer.port)?.cookie)
                let returned = ask("host.test A", cookie: issued, port: verifier.port)
                #expect(returned?.rcode == "NOERROR", "\(verifier.label) rejected the cookie of \(issuer.label)")
            }
            // Within one second both servers must issue the same bytes for the same client cookie.
            var same = false
            for _ in 0..<3 where !same {
                let fromBIND = ask("host.test A +tcp", cookie: QuerySpec.defaultClientCookie, port: bind.port)?.cookie
                let fromOurs = ask("host.test A +tcp", cookie: QuerySpec.defaultClientCookie, port: ours.port)?.cookie
                same = fromBIND != nil && fromBIND == fromOurs
            }
            #expect(same, "BIND and swift-named issued different cookies with the same secret in the same second")
        }
    }

    @Test("cookie timestamps: 1 hour back, 5 minutes ahead")
    func timestampWindow() throws {
        try withServerPair(zones: Fixtures.all, otherFlavor: .swiftNamed, extraOptions: Self.requireCookies) { bind, ours in
            let now = UInt32(time(nil))
            let cases: [(offset: Int64, rcode: String)] = [
                (-3500, "NOERROR"), (-3700, "BADCOOKIE"), (200, "NOERROR"), (400, "BADCOOKIE"), (0, "NOERROR"),
            ]
            for (offset, expected) in cases {
                let cookie = makeCookie(client: QuerySpec.defaultClientCookie, timestamp: UInt32(Int64(now) + offset))
                for server in [bind, ours] {
                    let response = ask("host.test A", cookie: cookie, port: server.port)
                    #expect(response?.rcode == expected, "\(server.label), timestamp now\(offset >= 0 ? "+" : "")\(offset)")
                }
            }
        }
    }

    @Test("nocookie-udp-size limits answers without a valid cookie")
    func noCookieUDPSize() throws {
        let options = ["nocookie-udp-size 600;", "cookie-secret \"\(Self.secretHex)\";"]
        try withServerPair(zones: Fixtures.all, otherFlavor: .swiftNamed, extraOptions: options) { bind, ours in
            let valid = makeCookie(client: QuerySpec.defaultClientCookie, timestamp: UInt32(time(nil)))
            // bigA.test A takes about 700 octets.
            let cases: [(String, [UInt8]?, Bool)] = [
                ("bigA.test A", nil, true), ("bigA.test A", QuerySpec.defaultClientCookie, true),
                ("bigA.test A", valid, false), ("bigA.test A +tcp", nil, false), ("host.test A", nil, false),
            ]
            for (text, cookie, truncated) in cases {
                var query = QuerySpec(text)
                query.cookie = cookie
                let reference = exchange(query, port: bind.port)
                let other = exchange(query, port: ours.port)
                #expect(reference == other, "\(text), cookie \(String(describing: cookie)):\nBIND \(reference)\nswift-named \(other)")
                if case .response(let response) = other {
                    #expect(response.flags.contains("tc") == truncated, "\(text), cookie \(String(describing: cookie))")
                }
            }
        }
    }

    @Test("answer-cookie no: no COOKIE in any response")
    func answerCookieOff() throws {
        let queries = [
            "host.test A +cookie", "host.test A +cookie +tcp", "host.test A +cookie=01020304050607",
            "host.test A +cookie=0102030405060708AABBCCDDEEFF0011", "example.org A +cookie",
        ].map(QuerySpec.init)
        try withServerPair(
            zones: Fixtures.all, otherFlavor: .swiftNamed, extraOptions: ["answer-cookie no;", "require-server-cookie yes;"]
        ) { bind, ours in
            for result in compareAnswers(queries, reference: bind, other: ours) {
                #expect(!result.differs, "\(result)")
                if case .response(let response) = result.other {
                    #expect(response.cookie == nil, "\(result.query.text): swift-named sent a cookie")
                }
            }
        }
    }
}
