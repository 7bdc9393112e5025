/// The queries both servers answer, in dig's syntax (see `QuerySpec`). RD and EDNS with a
/// 1232-octet UDP size are on unless a query says `+norec` or `+noedns`.
enum InteropQueries {
    static let exampleCom = [
        "example.com SOA",
        "example.com SOA +norec",
        "example.com NS",
        "example.com MX",
        "example.com A",  // NODATA at the apex
        "example.com ANY",
        "example.com ANY +tcp",
        "dns1.example.com A",
        "dns2.example.com A +noedns",
        "mail.example.com A +norec",
        "mail.example.com MX",  // NODATA
        "ftp.example.com A",  // two addresses in one RRset
        "ftp.example.com A +tcp",
        "www.example.com A",  // www -> server1 -> mail
        "www.example.com A +tcp",
        "www.example.com A +noedns",
        "WwW.ExAmPlE.CoM A",
        "www.example.com CNAME",
        "www.example.com ANY",
        "server2.example.com A",
        "server2.example.com MX",
        "nonexistent.example.com A",  // NXDOMAIN
        "nonexistent.example.com A +tcp",
        "a.b.nonexistent.example.com TXT",
        "1.0.10.in-addr.arpa SOA",
        "1.0.10.in-addr.arpa NS",
        "3.1.0.10.in-addr.arpa PTR",
        "5.1.0.10.in-addr.arpa PTR +noedns",
        "6.1.0.10.in-addr.arpa ANY",
        "9.1.0.10.in-addr.arpa PTR",  // NXDOMAIN
        "example.com SOA +opcode=2",  // STATUS: NOTIMP
        "example.com SOA +opcode=5",  // UPDATE: REFUSED, dynamic update is not accepted
        "www.example.com A +opcode=5",  // UPDATE whose zone section is not an SOA: FORMERR
        "www.example.com SOA +opcode=5",  // UPDATE for a name that is no zone here: NOTAUTH
        "example.org SOA +opcode=5",
        "example.com SOA +opcode=15 +tcp",
        "example.com AXFR",  // zone transfer over UDP
        "example.com AXFR +tcp",
        "1.0.10.in-addr.arpa AXFR +tcp",
    ]

    static let testZone = [
        "test SOA +noedns",
        "test SOA +tcp +norec",
        "test NS",
        "test MX",
        "test TXT",
        "test CAA",
        "test DNSKEY",  // NODATA: the zone is unsigned
        "host.test A",
        "host.test AAAA",
        "host.test TXT",  // TTL 300, not the zone default
        "host.test ANY",
        "host.test ANY +norec",  // authority NS, but no addresses in additional
        "host.test A +dnssec",
        "host.test A +cd",
        "host.test A +bufsize=100",  // below 512: treated as 512
        "test MX +norec +bufsize=512",  // EDNS size 512 over UDP: answer section only
        "test MX +norec +bufsize=513",
        "test MX +norec +bufsize=512 +tcp",
        "test MX +norec +noedns",
        "host.test A +edns=1",  // unsupported EDNS version: BADVERS (RFC 6891 section 6.1.3)
        "nothere.test A +edns=1",
        "host.test CH A",  // a class the server has no zone for
        "ns2.test AAAA",
        "ns2.test AAAA +norec",  // additional has ns2's A but not the AAAA of the answer
        "ns1.test A +norec",
        "txt.test TXT",
        "txt.test TXT +tcp",
        "ptr.test PTR",
        "_sip._tcp.test SRV",
        "caa.test CAA",
        "unknown.test TYPE65280",
        "unknown.test ANY",
        "unknown.test TYPE65281",  // NODATA for an unknown type
        "mixedcase.test A",
        "MIXEDCASE.TEST A",
        "upper.sub2.test A",
        "sub2.test A",  // empty non-terminal above a mixed-case owner
        "ent.test A",  // empty non-terminal: NODATA, not NXDOMAIN
        "b.ent.test TXT",
        "a.b.ent.test A",
        "foo.wild.test A",  // wildcard match
        "foo.wild.test TXT",
        "foo.wild.test ANY",
        "foo.wild.test AAAA",  // wildcard NODATA
        "a.b.wild.test A",  // wildcard covering two labels
        "exact.wild.test A",
        "exact.wild.test TXT",  // an existing name blocks the wildcard: NODATA
        "wild.test A",  // empty non-terminal above the wildcard
        "*.wild.test A",
        // BIND applies the case of the wildcard's own name, octet by octet, to the name asked.
        "abc.wild2.test TXT",
        "ABCDEFGH.wild2.test TXT",
        "x.WILD2.test TXT",
        "wmx.test MX +norec",  // a target that a wildcard synthesizes gets its address too
        "bigmx.test MX +norec +noedns",  // bigA's 40 addresses do not fit, and nothing after them
        "bigmx.test MX +norec",
        "c1.test A",  // c1 -> c2 -> c3 -> host
        "c1.test A +tcp",
        "c1.test CNAME",
        "c1.test NSEC +norec",  // types that never follow a CNAME: NODATA
        "c1.test RRSIG +norec",
        "c1.test TYPE25 +norec",  // KEY
        "c1.test TYPE24 +norec",  // SIG
        "foo.wild.test NSEC +norec",
        "c2.test AAAA",
        "loop1.test A +norec",  // a CNAME loop: SERVFAIL once the restarts run out
        "self.test TXT +norec",
        "self.test TXT +norec +noedns",
        "ch1.test A +norec",  // 12 CNAMEs: one restart too many
        "ch2.test A +norec",  // 11 CNAMEs: answered
        "a.grow.test A +norec",  // a DNAME below itself: a new CNAME on every restart
        "a.g17.test A +norec +bufsize=512",  // fits in 512 octets, but not with the error: TC
        "lc01\(String(repeating: "p", count: 59)).test A +norec +bufsize=512",  // TC and SERVFAIL with its error
        "lc01\(String(repeating: "p", count: 59)).test A +norec +tcp",
        "a.wloop.test A +norec",  // a wildcard CNAME to itself
        "a.wtwice.test A +norec",  // one wildcard CNAME synthesized for two names: both written
        "a.same.test A +norec",  // a DNAME to itself: one CNAME, written once
        "A.SAME.test A +norec",
        "c3.test MX",  // chain ends in NODATA
        "ext.test A",  // CNAME to a name outside every zone
        "ext.test A +norec",  // the answer leaves the zone: no authority section
        "tox.test A +norec",
        "www.dn.test A +norec",
        "intodeleg.test A",  // CNAME into the delegation
        "www.sub.test A +norec",  // referral with glue
        "www.sub.test A",
        "www.sub.test A +tcp",
        "deep.www.sub.test MX +noedns",
        "sub.test NS +norec",
        "sub.test A",
        "sub.test DS",  // DS belongs to the parent side of the cut
        "sub.test DS +norec",  // the answer alone, no authority NS
        "ns.sub.test A",  // glue itself is below the cut: a referral
        "www.insub.test A +norec",  // sibling glue, but no address for the in-zone name server
        "tox.test A",  // CNAME into another zone held here
        "tokid.test DS +norec",  // CNAME to the apex of a child zone held here: the parent's DS
        "tokid.test A +norec",  // for other types the chain stops at the child zone
        "kid.test DS +norec",
        "www.kid.test A +norec",
        "www.dn.test A",  // DNAME into example.com, then its CNAME chain
        "www.dn.test CNAME",
        "dn.test DNAME",
        "nope.dnin.test ANY +norec",  // the synthesized CNAME answers ANY: not followed
        "dn.test A",  // the DNAME owner itself is not redirected: NODATA
        "under.dn.test A",  // data below a DNAME is occluded
        "x.dnin.test A",
        "nope.dnin.test A",  // DNAME target missing: NXDOMAIN after the CNAME
        "WWW.DN.TEST A",
        "\(String(repeating: "d", count: 60)).\(String(repeating: "e", count: 60)).long.test A",  // YXDOMAIN
        "\(String(repeating: "d", count: 60)).\(String(repeating: "e", count: 60)).long.test A +norec",  // no authority
        "nothere.test A",
        "nothere.test SOA",  // NXDOMAIN for an SOA question: the SOA gets TTL 0
        "host.test SOA",  // NODATA keeps the negative TTL
        "nothere.test A +noedns",
        "nothere.test A +tcp",
        "big.test TXT +noedns",  // does not fit in 512 octets: TC
        "big.test TXT +bufsize=512",
        "big.test TXT",  // does not fit in 1232 octets either
        "big.test TXT +tcp",
        "bigA.test A +noedns",
        "bigA.test A +bufsize=512",
        "bigA.test A",  // fits in 1232 octets
        "bigA.test A +tcp +noedns",
    ]

    static let outsideZones = [
        "example.org A",
        "example.org A +norec",
        "example.org A +tcp",
        "com SOA",
        ". SOA +norec",
        "version.bind CH TXT",
    ]

    /// BIND 9.18's built-in CHAOS zones. BIND rate-limits answers from them to 3 a second per
    /// client and kind of answer, so each zone gets few queries here.
    static let chaos = [
        "version.bind CH TXT +norec",  // the NS record in authority
        "version.bind CH ANY +norec",
        "VERSION.BIND CH SOA +norec",  // answer owner in the question's case, authority in the zone's
        "version.bind CH NS",
        "hostname.bind CH TXT +norec",
        "hostname.bind CH A +norec",  // NODATA: SOA in authority
        "x.hostname.bind CH TXT",  // NXDOMAIN
        "id.server CH TXT +norec",  // server-id is unset: NODATA
        "id.server CH ANY",
        "authors.bind CH TXT",
        "authors.bind CH SOA",
        "version.server CH TXT",  // not a built-in zone of BIND 9.18: REFUSED
        "bind CH SOA",
        "version.bind CH AXFR +tcp",  // BIND cannot transfer its built-in zones: SERVFAIL
        "version.bind TXT",  // class IN: REFUSED
    ]

    /// DNS COOKIE (RFC 7873): the comparison sees the option's presence, its length and the
    /// echoed client cookie, but not the server cookie, which depends on each server's secret.
    static let cookies = [
        "host.test A +cookie",
        "host.test A +cookie +tcp",
        "host.test A +cookie +dnssec",
        "nonexistent.test A +cookie",
        "example.org A +cookie",  // REFUSED, still with a cookie
        "host.test A +cookie=0102030405060708AABBCCDDEEFF0011",  // a server cookie of another server
        "host.test A +cookie=0102030405060708010000006B13416DAABBCCDDEEFF0011",  // a forged one
        "host.test A +cookie=01020304050607",  // 7 octets: FORMERR
        "host.test A +cookie=0102030405060708AABBCCDD",  // 12 octets: FORMERR
        "host.test A +cookie=0102030405060708AABBCCDDEEFF0011AABBCCDDEEFF0011AABBCCDDEEFF001122",  // 33: valid
        "host.test A +cookie=0102030405060708AABBCCDDEEFF0011AABBCCDDEEFF0011AABBCCDDEEFF0011AABBCCDDEEFF001122",  // 41
        "host.test A +cookie +edns=1",  // BADVERS, without a cookie
        "host.test A +cookie +opcode=2",  // NOTIMP, with a cookie
        "test SOA +cookie +opcode=5",  // UPDATE: REFUSED, with a cookie
        "test AXFR +cookie",  // zone transfer over UDP: FORMERR, with a cookie
        "test AXFR +cookie +tcp",  // every message of a transfer carries the cookie
        "host.test AXFR +cookie +tcp",  // not a zone: NOTAUTH, with a cookie
        "example.org AXFR +tcp",
    ]

    static let all = (exampleCom + testZone + outsideZones + cookies + chaos).map(QuerySpec.init)
}
