import DNSWire
import NamedConfig

/// DNS COOKIE (RFC 7873) as BIND 9.18 handles it. Every response to a query with a COOKIE
/// option, except BADVERS and FORMERR, echoes the client cookie with a fresh server cookie.
/// With `require-server-cookie yes`, UDP queries without a valid server cookie get BADCOOKIE.
extension QueryResponder {
    /// The COOKIE option to send back, or nil when the query carried none or `answer-cookie`
    /// is off. `serverCookieValid` is true when the query's own server cookie is one that a
    /// secret of `policy` produced for this client within the accepted time window.
    /// `cookieCheck` keeps the class of the option for the statistics.
    mutating func evaluateCookie(_ message: UnsafeRawBufferPointer, client: IPAddress, policy: ResponsePolicy)
        -> (response: ServerCookie?, serverCookieValid: Bool)
    {
        cookieCheck = nil
        guard query.cookieLength > 0, policy.answerCookie, let secret = policy.cookieSecrets.first else {
            return (nil, false)
        }
        let option = UnsafeRawBufferPointer(rebasing: message[query.cookieOffset..<(query.cookieOffset + query.cookieLength)])
        let now = ServerCookie.now()
        let check = ServerCookie.check(option, secrets: policy.cookieSecrets, client: client, now: now)
        cookieCheck = check
        let valid = check == .match
        // BIND issues a new server cookie with the current time on every response.
        let response = ServerCookie(clientCookie: ServerCookie.read64(option, 0), timestamp: now, secret: secret, client: client)
        return (response, valid)
    }

    /// Decides whether a QUERY gets BADCOOKIE instead of an answer (RFC 7873 section 5.2.3):
    /// only over UDP, only with `require-server-cookie yes`, and only when the client sent a
    /// cookie without a valid server cookie. Zone transfers and the other meta types except
    /// ANY get their own error first, as in BIND 9.18.
    func requiresBadCookie(cookie: ServerCookie?, serverCookieValid: Bool, transport: Transport, policy: ResponsePolicy) -> Bool {
        guard cookie != nil, !serverCookieValid, transport == .udp, policy.requireServerCookie else { return false }
        let type = RRType(rawValue: query.type)
        return !type.isMetaType || type == .any
    }
}
