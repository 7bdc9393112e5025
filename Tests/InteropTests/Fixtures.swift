/// Zone fixtures for the interop suite. Each zone is served unchanged by BIND and by
/// swift-named.
enum Fixtures {
    /// The example.com zone from the classic "BIND on Linux" primary-server walkthrough.
    static let exampleCom = ZoneFixture(
        name: "example.com", fileName: "example.com.zone",
        text: """
$TTL 86400
@	IN	SOA	dns1.example.com.	hostmaster.example.com. (
			2001062501 ; serial
			21600      ; refresh after 6 hours
			3600       ; retry after 1 hour
			604800     ; expire after 1 week
			86400 )    ; minimum TTL of 1 day
	IN	NS	dns1.example.com.
	IN	NS	dns2.example.com.
	IN	MX	10	mail.example.com.
	IN	MX	20	mail2.example.com.
dns1	IN	A	10.0.1.1
dns2	IN	A	10.0.1.2
server1	IN	CNAME	mail
server2	IN	CNAME	mail2
mail	IN	A	10.0.1.5
mail2	IN	A	10.0.1.6
ftp	IN	A	10.0.1.3
	IN	A	10.0.1.4
www	IN	CNAME	server1

""")

    /// The reverse zone for 10.0.1.0/24 that goes with example.com.
    static let reverse = ZoneFixture(
        name: "1.0.10.in-addr.arpa", fileName: "1.0.10.in-addr.arpa.zone",
        text: """
$TTL 86400
@	IN	SOA	dns1.example.com.	hostmaster.example.com. (
			2001062501 21600 3600 604800 86400 )
	IN	NS	dns1.example.com.
	IN	NS	dns2.example.com.
1	IN	PTR	dns1.example.com.
2	IN	PTR	dns2.example.com.
3	IN	PTR	ftp.example.com.
4	IN	PTR	ftp.example.com.
5	IN	PTR	server1.example.com.
6	IN	PTR	server2.example.com.

""")

    /// A zone with every supported type and the lookup edge cases: a wildcard, an empty
    /// non-terminal (ent), a delegation (sub) with in-zone glue and an out-of-zone name server,
    /// CNAME chains, DNAMEs (dn into another zone, dnin inside this one, long past 255 octets), mixed-case owners, and two RRsets too large for a 512-octet UDP reply.
    static let test = ZoneFixture(
        name: "test", fileName: "test.zone",
        text: """
$ORIGIN test.
$TTL 3600
@	IN	SOA	ns1.test. admin.test. 2024010101 7200 900 1209600 300
	IN	NS	ns1.test.
	IN	NS	ns2.test.
	IN	MX	5 mx.test.
	IN	TXT	"zone apex"
	IN	CAA	0 issue "ca.example.net"
ns1	IN	A	192.0.2.1
ns2	IN	A	192.0.2.2
	IN	AAAA	2001:db8::2
mx	IN	A	192.0.2.25
host	IN	A	192.0.2.10
host	IN	AAAA	2001:db8::10
host	300	IN	TXT	"short ttl"
MixedCase	IN	A	192.0.2.11
UPPER.Sub2	IN	A	192.0.2.12
txt	IN	TXT	"one" "two" "three"
txt	IN	TXT	"quote\\" backslash\\\\ semicolon\\; end"
txt	IN	TXT	""
txt	IN	TXT	"\\065\\066\\067 decimal escapes \\255"
ptr	IN	PTR	host.test.
_sip._tcp	IN	SRV	10 60 5060 host.test.
_sip._tcp	IN	SRV	20 0 5061 mx.test.
caa	IN	CAA	0 issue "ca.example.net; account=1"
caa	IN	CAA	128 tbs "critical"
caa	IN	CAA	0 iodef "mailto:sec@test"
unknown	IN	TYPE65280 \\# 4 0A000001
unknown	IN	A	192.0.2.99
*.wild	IN	A	192.0.2.50
*.wild	IN	TXT	"wildcard"
*.WiLd2	IN	TXT	"mixed-case wildcard"
exact.wild	IN	A	192.0.2.51
wmx	IN	MX	10 mail.wild.test.
bigmx	IN	MX	10 bigA.test.
bigmx	IN	MX	20 host.test.
wmx	IN	MX	20 exact.wild.test.
a.b.ent	IN	A	192.0.2.60
c1	IN	CNAME	c2
loop1	IN	CNAME	loop2
loop2	IN	CNAME	loop1
self	IN	CNAME	self
ch1	IN	CNAME	ch2
ch2	IN	CNAME	ch3
ch3	IN	CNAME	ch4
ch4	IN	CNAME	ch5
ch5	IN	CNAME	ch6
ch6	IN	CNAME	ch7
ch7	IN	CNAME	ch8
ch8	IN	CNAME	ch9
ch9	IN	CNAME	ch10
ch10	IN	CNAME	ch11
ch11	IN	CNAME	ch12
ch12	IN	CNAME	host
grow	IN	DNAME	x.grow.test.
same	IN	DNAME	same.test.
g17	IN	DNAME	xxxxxxxxxxxxxxxxx.g17.test.
*.wloop	IN	CNAME	*.wloop.test.
*.wtwice	IN	CNAME	b.wtwice.test.
c2	IN	CNAME	c3
c3	IN	CNAME	host
ext	IN	CNAME	www.example.org.
intodeleg	IN	CNAME	www.sub.test.
sub	IN	NS	ns.sub.test.
kid	IN	NS	ns.kid.test.
ns.kid	IN	A	192.0.2.80
tokid	IN	CNAME	kid.test.
insub	IN	NS	ns1.test.
insub	IN	NS	ns.sub.test.
kid	IN	NS	ns.kid.test.
ns.kid	IN	A	192.0.2.80
tokid	IN	CNAME	kid.test.
sub	IN	NS	ns.outside.example.
sub	IN	DS	12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
ns.sub	IN	A	192.0.2.53
ns.sub	IN	AAAA	2001:db8::53
dn	IN	DNAME	example.com.
tox	IN	CNAME	www.example.com.
dnin	IN	DNAME	c.test.
c	IN	A	192.0.2.70
x.c	IN	A	192.0.2.71
under.dn	IN	A	192.0.2.72
long	IN	DNAME	\(String(repeating: "a", count: 63)).\(String(repeating: "b", count: 63)).\(String(repeating: "c", count: 63)).test.

""" + largeRRsets + longChain)

    /// A chain of 13 CNAMEs with 63-octet labels that ends in a loop: too long for 512 octets
    /// and for the restart limit.
    private static let longChain: String = {
        let padding = String(repeating: "p", count: 59)
        var lines: [String] = []
        for index in 1...13 {
            let number = index < 10 ? "0\(index)" : "\(index)"
            let next = index == 13 ? "13" : (index + 1 < 10 ? "0\(index + 1)" : "\(index + 1)")
            lines.append("lc\(number)\(padding)\tIN\tCNAME\tlc\(next)\(padding)")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// 40 TXT records of about 45 octets each and 40 A records: both exceed 512 octets.
    private static let largeRRsets: String = {
        var lines: [String] = []
        for index in 1...40 {
            let number = index < 10 ? "0\(index)" : "\(index)"
            lines.append("big\tIN\tTXT\t\"record \(number) padding padding padding padding\"")
        }
        for index in 1...40 {
            lines.append("bigA\tIN\tA\t198.51.100.\(index)")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    /// A child zone of `test`, served too, so that the parent side of its cut is at hand.
    static let kidTest = ZoneFixture(
        name: "kid.test", fileName: "kid.test.zone",
        text: """
$TTL 3600
@	IN	SOA	ns.kid.test. admin.test. 1 7200 900 1209600 300
	IN	NS	ns.kid.test.
ns	IN	A	192.0.2.80
www	IN	A	192.0.2.81

""")

    static let all = [exampleCom, reverse, test, kidTest]
}
