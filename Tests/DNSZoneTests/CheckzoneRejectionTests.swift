import Foundation
import Testing

/// A zone file that named-checkzone must reject, and what it must print.
struct Rejection: Sendable, CustomTestStringConvertible {
    var name: String
    var zone: String
    /// Our first output line, exactly, or a part of it for messages that quote very long text.
    var message: String?
    var fragment: String?
    /// The offending text, which the message must quote, or nil when the error is about
    /// something missing or about the zone as a whole.
    var token: String?
    /// The line we name, or nil for a message about the whole zone.
    var line: Int?
    /// The line BIND 9.18's named-checkzone names for the same file, or nil when it names none.
    var bindLine: Int?
    /// True where BIND accepts the input that we reject.
    var bindAccepts: Bool

    init(
        _ name: String, _ zone: String, message: String? = nil, fragment: String? = nil, token: String? = nil,
        line: Int? = nil, bindLine: Int? = nil, bindAccepts: Bool = false
    ) {
        self.name = name
        self.zone = zone
        self.message = message
        self.fragment = fragment
        self.token = token
        self.line = line
        self.bindLine = bindLine
        self.bindAccepts = bindAccepts
    }

    var testDescription: String { name }
}

/// One case for each place in the lexer, the parser, the validator and the RDATA text parsers
/// that rejects a zone. Where BIND names another line, the difference is deliberate:
/// - paren-eof: we name the line of the unclosed '(', BIND the end of the file;
/// - soa-multiline: we name the line of the bad field, BIND the line before it;
/// - v-soa-not-top, v-singleton, v-cname-other: BIND finds these while loading and names the
///   line of the record, but our checks run on the loaded records, which carry no line numbers.
/// no-text-format is a type whose text form we do not read yet. Most cases start on line 5,
/// after `header`, a valid zone.
let checkzoneRejections: [Rejection] = [
    Rejection("paren-eof", header + "x A (\n1.1.1.1\n", message: "zone.db:5: end of file inside parentheses opened on line 5: add the missing ')'", line: 5, bindLine: 6),
    Rejection("unbalanced", header + "x TXT a )\n", message: "zone.db:5: unbalanced ')' with no '(' before it: remove it or add the '('", token: ")", line: 5, bindLine: 5),
    Rejection("quote-eof", header + "x TXT \"abc", message: "zone.db:5: end of file inside a quoted string that starts on line 5: add the closing '\"'", line: 5, bindLine: 5),
    Rejection("quote-eol", header + "x TXT \"abc\n", message: "zone.db:5: line ends inside a quoted string: add the closing '\"' or write the line break as \\010", line: 5, bindLine: 5),
    Rejection("no-owner", "$TTL 300\n A 1.1.1.1\n", message: "zone.db:2: record has no owner name and no earlier record to take it from: start the line with a name instead of a blank", line: 2, bindLine: 2),
    Rejection("owner-empty-label", header + "a..b A 1.1.1.1\n", message: "zone.db:5: invalid owner name 'a..b': empty label: remove the doubled, leading or lone dot", token: "a..b", line: 5, bindLine: 5),
    Rejection("owner-label-long", header + String(repeating: "a", count: 64) + " A 1.1.1.1\n", fragment: "label longer than 63 octets: shorten each label to at most 63 octets", line: 5, bindLine: 5),
    Rejection("owner-too-long", header + Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: ".") + " A 1.1.1.1\n", fragment: "name longer than 255 octets: shorten the name to at most 255 octets in wire form", line: 5, bindLine: 5),
    Rejection("no-type", header + "x 300 IN\n", message: "zone.db:5: record for 'x.example.com.' has no type: add a type such as A, MX or TXT and its data", line: 5, bindLine: 5),
    Rejection("unknown-type", header + "x AX 1.1.1.1\n", message: "zone.db:5: unknown RR type 'AX': expected a type such as A, MX or TYPE65280", token: "AX", line: 5, bindLine: 5),
    Rejection("bad-ttl", header + "x 1h30 A 1.1.1.1\n", message: "zone.db:5: unknown RR type '1h30': expected a type such as A, MX or TYPE65280", token: "1h30", line: 5, bindLine: 5),
    Rejection("meta-type", header + "x AXFR 1.1.1.1\n", message: "zone.db:5: type 'AXFR' is a query type and cannot appear in a zone: remove the record", token: "AXFR", line: 5, bindLine: 5),
    Rejection("class", header + "x CH A 1.1.1.1\n", message: "zone.db:5: class 'CH' != zone class 'IN': remove the class or change it to IN", token: "CH", line: 5, bindLine: 5),
    Rejection("no-ttl", "@ NS ns\n@ SOA ns hm 1 2 3 4 5\n", message: "zone.db:1: no TTL specified; zone rejected: add a $TTL directive before the first record, or give this record a TTL", line: 1, bindLine: 1),
    Rejection("origin-missing", header + "$ORIGIN\n", message: "zone.db:5: $ORIGIN is missing its domain name: write it as in '$ORIGIN example.com.'", line: 5, bindLine: 5),
    Rejection("origin-bad", header + "$ORIGIN a..b\n", message: "zone.db:5: invalid $ORIGIN name 'a..b': empty label: remove the doubled, leading or lone dot", token: "a..b", line: 5, bindLine: 5),
    Rejection("ttl-missing", header + "$TTL\n", message: "zone.db:5: $TTL is missing its TTL value: write it as in '$TTL 3600'", line: 5, bindLine: 5),
    Rejection("ttl-bad", header + "$TTL 1h30\n", message: "zone.db:5: invalid $TTL value '1h30': expected seconds or a duration such as 1W2D or 1h30m", token: "1h30", line: 5),
    Rejection("include-missing-arg", header + "$INCLUDE\n", message: "zone.db:5: $INCLUDE is missing its file name: write it as in '$INCLUDE hosts.db'", line: 5, bindLine: 5),
    Rejection("include-bad-name", header + "$INCLUDE a\\1\n", message: "zone.db:5: invalid $INCLUDE file name: invalid escape in 'a\\1': a backslash followed by a digit needs exactly three digits, as in \\065", token: "a\\1", line: 5, bindLine: 5),
    Rejection("include-bad-origin", header + "$INCLUDE inc.db a..b\n", message: "zone.db:5: invalid $INCLUDE origin 'a..b': empty label: remove the doubled, leading or lone dot", token: "a..b", line: 5, bindLine: 5),
    Rejection("include-loop", header + "$INCLUDE zone.db\n", message: "zone.db:5: $INCLUDE of 'zone.db' nests more than 20 files deep: check for a file that includes itself", token: "zone.db", line: 5, bindLine: 5),
    Rejection("include-not-found", header + "$INCLUDE missing.db\n", message: "zone.db:5: cannot open included file 'missing.db': No such file or directory: check the path, which is relative to the server's directory", token: "missing.db", line: 5, bindLine: 5),
    Rejection("directive-unknown", header + "$FOO bar\n", message: "zone.db:5: unknown directive '$FOO': expected $ORIGIN, $TTL, $INCLUDE or $GENERATE", token: "$FOO", line: 5, bindLine: 5),
    Rejection("directive-extra", header + "$TTL 300 extra\n", message: "zone.db:5: unexpected extra text 'extra' after $TTL: remove it", token: "extra", line: 5, bindLine: 5),
    Rejection("generate-short", header + "$GENERATE 1-2 x\n", message: "zone.db:5: $GENERATE needs a range, an owner, a type and data, as in '$GENERATE 1-100 host-$ A 10.0.0.$'", line: 5, bindLine: 5),
    Rejection("generate-range", header + "$GENERATE 5-1 h$ A 1.1.1.$\n", message: "zone.db:5: invalid $GENERATE range '5-1': expected START-STOP or START-STOP/STEP with START <= STOP", token: "5-1", line: 5, bindLine: 5),
    Rejection("generate-brace", header + "$GENERATE 1-2 h${0 A 1.1.1.1\n", message: "zone.db:5: $GENERATE template 'h${0' has '${' without a closing '}': write ${offset}, ${offset,width} or ${offset,width,base}", token: "h${0", line: 5, bindLine: 5),
    Rejection("generate-modifier", header + "$GENERATE 1-2 h${0,3,q} A 1.1.1.1\n", message: "zone.db:5: invalid $GENERATE modifier '${0,3,q}': expected ${offset}, ${offset,width} or ${offset,width,base} with base d, o, x, X, n or N", token: "${0,3,q}", line: 5, bindLine: 5),
    Rejection("a", header + "x A 1.1.1\n", message: "zone.db:5: invalid IPv4 address '1.1.1' in A record: expected a dotted quad such as 192.0.2.1", token: "1.1.1", line: 5, bindLine: 5),
    Rejection("aaaa", header + "x AAAA 2001:db8::g\n", message: "zone.db:5: invalid IPv6 address '2001:db8::g' in AAAA record: expected an address such as 2001:db8::1", token: "2001:db8::g", line: 5, bindLine: 5),
    Rejection("rdata-name", header + "x NS a..b\n", message: "zone.db:5: invalid target name 'a..b' in NS record: empty label: remove the doubled, leading or lone dot", token: "a..b", line: 5, bindLine: 5),
    Rejection("uint16", header + "x MX 70000 mail\n", message: "zone.db:5: invalid preference '70000' in MX record: expected a number from 0 to 65535", token: "70000", line: 5, bindLine: 5),
    Rejection("duration", header + "x SOA ns hm 1 2 3 4 5x\n", message: "zone.db:5: invalid minimum '5x' in SOA record: expected seconds or a duration such as 1W2D or 1h30m", token: "5x", line: 5, bindLine: 5),
    Rejection("txt-empty", header + "x TXT\n", message: "zone.db:5: TXT record has no strings: add at least one, for example \"\"", line: 5, bindLine: 5),
    Rejection("txt-long", header + "x TXT " + String(repeating: "a", count: 256) + "\n", fragment: "is 256 octets long, more than 255: split it into several quoted strings", line: 5, bindLine: 5),
    Rejection("caa-tag", header + "x CAA 0 is-sue \"ca\"\n", message: "zone.db:5: invalid CAA tag 'is-sue': expected letters and digits such as issue, issuewild or iodef", token: "is-sue", line: 5, bindLine: 5),
    Rejection("uri-unquoted", header + "x URI 1 1 http://a\n", message: "zone.db:5: URI target 'http://a' must be quoted: write \"http://a\"", token: "http://a", line: 5, bindLine: 5),
    Rejection("hex-bad", header + "x DS 1 8 2 zz\n", message: "zone.db:5: invalid digest 'zz': expected hexadecimal digits", token: "zz", line: 5, bindLine: 5),
    Rejection("hex-odd", header + "x DS 1 8 2 abc\n", message: "zone.db:5: invalid digest 'abc': odd number of hexadecimal digits", token: "abc", line: 5, bindLine: 5),
    Rejection("ds-digest-missing", header + "x DS 1 8 5\n", message: "zone.db:5: DS record is missing its digest: add the digest in hex after the digest type", line: 5, bindLine: 5),
    Rejection("ds-digest-length", header + "x CDS 1 8 1 ABCD\n", message: "zone.db:5: CDS digest 'ABCD' is 2 octets long: digest type 1 (SHA-1) needs 20 octets, 40 hex digits", token: "ABCD", line: 5, bindLine: 5),
    Rejection("base64-bad", header + "x DNSKEY 257 3 8 AB*D\n", message: "zone.db:5: invalid public key 'AB*D': expected base64 text", token: "AB*D", line: 5, bindLine: 5),
    Rejection("base64-length", header + "x DNSKEY 257 3 8 ABC\n", message: "zone.db:5: invalid public key 'ABC': base64 text must be a multiple of 4 characters long", token: "ABC", line: 5, bindLine: 5),
    Rejection("no-text-format", header + "x WKS 192.0.2.1 tcp 25\n", message: "zone.db:5: type WKS has no text format here: write its RDATA in the RFC 3597 generic form, for example '\\# 4 0a000001'", line: 5, bindAccepts: true),
    Rejection("eui48", header + "x EUI48 00-11-22-33-44\n", message: "zone.db:5: invalid address '00-11-22-33-44' in EUI48 record: expected 6 pairs of hex digits joined by '-', such as 00-00-5e-00-53-2a", token: "00-11-22-33-44", line: 5, bindLine: 5),
    Rejection("locator", header + "x L64 10 2001:db8:1140\n", message: "zone.db:5: invalid locator '2001:db8:1140' in L64 record: expected four groups of 1 to 4 hex digits joined by ':', such as 2001:db8:1140:1000", token: "2001:db8:1140", line: 5, bindLine: 5),
    Rejection("l32", header + "x L32 10 10.1.2\n", message: "zone.db:5: invalid locator '10.1.2' in L32 record: expected a dotted quad such as 10.1.2.0", token: "10.1.2", line: 5, bindLine: 5),
    Rejection("escape-lone", header + "x TXT a\\", message: "zone.db:5: text 'a\\' ends with a lone backslash: write '\\\\' for a backslash", token: "a\\", line: 5, bindLine: 5),
    Rejection("escape-digits", header + "x TXT \"a\\1\"\n", message: "zone.db:5: invalid escape in 'a\\1': a backslash followed by a digit needs exactly three digits, as in \\065", token: "a\\1", line: 5, bindLine: 5),
    Rejection("escape-range", header + "x TXT \"\\300\"\n", message: "zone.db:5: invalid escape '\\300' in '\\300': the decimal value must be at most 255", token: "\\300", line: 5, bindLine: 5),
    Rejection("rrsig-date", header + "x RRSIG A 8 2 300 20241301000000 20240101000000 1 example.com. AwEA\n", message: "zone.db:5: invalid signature expiration '20241301000000' in RRSIG record: expected a UTC time YYYYMMDDHHmmSS such as 20240131235959", token: "20241301000000", line: 5, bindLine: 5),
    Rejection("rrsig-seconds", header + "x RRSIG A 8 2 300 99999999999 20240101000000 1 example.com. AwEA\n", message: "zone.db:5: invalid signature expiration '99999999999' in RRSIG record: expected YYYYMMDDHHmmSS or seconds since 1970 up to 4294967295", token: "99999999999", line: 5, bindLine: 5),
    Rejection("rrsig-type", header + "x RRSIG BOGUS 8 2 300 20300101000000 20240101000000 1 example.com. AwEA\n", message: "zone.db:5: invalid type covered 'BOGUS' in RRSIG record: expected a type mnemonic such as A or TYPE1234", token: "BOGUS", line: 5, bindLine: 5),
    Rejection("rrsig-signer", header + "x RRSIG A 8 2 300 20300101000000 20240101000000 1 example.com AwEA\n", message: "zone.db:5: invalid signer name 'example.com' in RRSIG record: write it as an absolute name ending in '.', or '@' for the origin", token: "example.com", line: 5, bindLine: 5),
    Rejection("rrsig-no-signature", header + "x RRSIG A 8 2 300 20300101000000 20240101000000 1 example.com.\n", message: "zone.db:5: RRSIG record is missing its signature: add the base64 signature after the signer name", line: 5, bindLine: 5),
    Rejection("bitmap-type", header + "x NSEC y.example.com. A BOGUS\n", message: "zone.db:5: invalid type 'BOGUS' in the NSEC type bitmap: expected a type mnemonic such as A or TYPE1234", token: "BOGUS", line: 5, bindLine: 5),
    Rejection("bitmap-empty", header + "x NSEC y.example.com.\n", message: "zone.db:5: NSEC record has an empty type bitmap: list at least one type, for example RRSIG NSEC", line: 5, bindLine: 5),
    Rejection("salt-empty", header + "x NSEC3PARAM 1 0 10 \"\"\n", message: "zone.db:5: invalid salt '' in NSEC3PARAM record: write '-' for an empty salt", token: "", line: 5, bindLine: 5),
    Rejection("salt-long", header + "x NSEC3PARAM 1 0 10 " + String(repeating: "ab", count: 256) + "\n", fragment: "is 256 octets long, more than 255: shorten it to at most 510 hex digits", line: 5, bindLine: 5),
    Rejection("nsec3-next", header + "x NSEC3 1 1 10 - !!!! A\n", message: "zone.db:5: invalid next hashed owner name '!!!!' in NSEC3 record: expected base32hex digits 0-9 and A-V without padding", token: "!!!!", line: 5, bindLine: 5),
    Rejection("nsec3-length", header + "x NSEC3 1 1 10 - 01234567 A\n", message: "zone.db:5: next hashed owner name '01234567' in NSEC3 record is 5 octets long: a SHA-1 hash (algorithm 1) is 20 octets, 32 base32hex digits", token: "01234567", line: 5, bindLine: 5),
    Rejection("zonemd-length", header + "x ZONEMD 1 1 1 0123456789ABCDEF01234567\n", message: "zone.db:5: ZONEMD digest '0123456789ABCDEF01234567' is 12 octets long: hash algorithm 1 (SHA-384) needs 48 octets, 96 hex digits", line: 5, bindLine: 5),
    Rejection("zonemd-short", header + "x ZONEMD 1 1 3 0123\n", message: "zone.db:5: ZONEMD digest '0123' is 2 octets long: RFC 8976 requires at least 12 octets, 24 hex digits", line: 5, bindLine: 5),
    Rejection("cert-type", header + "x CERT BOGUS 0 0 AAAA\n", message: "zone.db:5: invalid certificate type 'BOGUS' in CERT record: expected a number from 0 to 65535 or PKIX, SPKI, PGP, IPKIX, ISPKI, IPGP, ACPKIX, IACPKIX, URI, OID", token: "BOGUS", line: 5, bindLine: 5),
    Rejection("cert-algorithm", header + "x CERT PGP 0 BOGUS AAAA\n", message: "zone.db:5: invalid algorithm 'BOGUS' in CERT record: expected a number from 0 to 255 or a mnemonic such as RSASHA256", token: "BOGUS", line: 5, bindLine: 5),
    Rejection("hip-hit", header + "x HIP 2 " + String(repeating: "00", count: 256) + " AwEA\n", fragment: "in HIP record: expected 1 to 255 octets of hex", line: 5, bindLine: 5),
    Rejection("hip-key", header + "x HIP 2 00 \"\"\n", message: "zone.db:5: invalid public key '' in HIP record: expected base64 text of 1 to 65535 octets", token: "", line: 5, bindLine: 5),
    Rejection("loc-degrees", header + "x LOC 91 N 0 E 0m\n", message: "zone.db:5: invalid latitude degrees '91' in LOC record: expected DEGREES [MINUTES [SECONDS]] N|S, for example 42 21 54.5 N, degrees from 0 to 90", token: "91", line: 5, bindLine: 5),
    Rejection("loc-minutes", header + "x LOC 42 61 N 0 E 0m\n", message: "zone.db:5: invalid latitude minutes '61' in LOC record: expected DEGREES [MINUTES [SECONDS]] N|S, for example 42 21 54.5 N, minutes a whole number from 0 to 59", token: "61", line: 5, bindLine: 5),
    Rejection("loc-seconds", header + "x LOC 42 1 61 N 0 E 0m\n", message: "zone.db:5: invalid latitude seconds '61' in LOC record: expected DEGREES [MINUTES [SECONDS]] N|S, for example 42 21 54.5 N, seconds from 0 to 59.999", token: "61", line: 5, bindLine: 5),
    Rejection("loc-hemisphere", header + "x LOC 42 1 1 X 0 E 0m\n", message: "zone.db:5: invalid latitude hemisphere 'X' in LOC record: expected DEGREES [MINUTES [SECONDS]] N|S, for example 42 21 54.5 N", token: "X", line: 5, bindLine: 5),
    Rejection("loc-beyond", header + "x LOC 90 30 N 0 E 0m\n", message: "zone.db:5: latitude 90 30 in LOC record is beyond 90 degrees: give at most 90 0 0", line: 5, bindLine: 5),
    Rejection("loc-altitude", header + "x LOC 42 N 71 W abc\n", message: "zone.db:5: invalid altitude 'abc' in LOC record: expected metres from -100000.00 to 42849672.95 with at most two decimals, for example -24.5m", token: "abc", line: 5, bindLine: 5),
    Rejection("loc-precision", header + "x LOC 42 N 71 W 0m 1x\n", message: "zone.db:5: invalid size '1x' in LOC record: expected metres from 0 to 90000000.00 with at most two decimals, for example 10m", token: "1x", line: 5, bindLine: 5),
    Rejection("svcb-key", header + "x SVCB 1 . foo=1\n", message: "zone.db:5: invalid SvcParam key 'foo' in SVCB record: expected mandatory, alpn, no-default-alpn, port, ipv4hint, ech, ipv6hint or keyNNNNN", token: "foo", line: 5, bindLine: 5),
    Rejection("svcb-duplicate", header + "x SVCB 1 . port=1 port=2\n", message: "zone.db:5: duplicate SvcParam key 'port' in SVCB record: give each key once", token: "port", line: 5, bindLine: 5),
    Rejection("svcb-long", header + "x SVCB 1 . key65000=\"" + String(repeating: "a", count: 65536) + "\"\n", fragment: "SvcParam key65000 in SVCB record is longer than 65535 octets: shorten it", line: 5, bindLine: 5),
    Rejection("svcb-mandatory-self", header + "x SVCB 1 . mandatory=mandatory\n", message: "zone.db:5: SvcParam mandatory in SVCB record lists 'mandatory' itself: remove it from the list", line: 5, bindLine: 5),
    Rejection("svcb-mandatory-missing", header + "x SVCB 1 . mandatory=port alpn=h2\n", message: "zone.db:5: SvcParam mandatory in SVCB record lists 'port', which the record does not contain: add port=... or remove it from the list", line: 5, bindLine: 5),
    Rejection("svcb-no-default-alpn", header + "x SVCB 1 . no-default-alpn\n", message: "zone.db:5: SVCB record has no-default-alpn without alpn: add an alpn list", line: 5, bindLine: 5),
    Rejection("svcb-generic-value", header + "x SVCB 1 . key3=1\n", message: "zone.db:5: invalid value for key3 in SVCB record: the octets are not a valid port value", line: 5, bindLine: 5),
    Rejection("svcb-no-default-alpn-value", header + "x SVCB 1 . alpn=h2 no-default-alpn=x\n", message: "zone.db:5: SvcParam no-default-alpn in SVCB record has the value 'x' but takes none: write no-default-alpn alone", token: "x", line: 5, bindLine: 5),
    Rejection("svcb-missing-value", header + "x SVCB 1 . port\n", message: "zone.db:5: SvcParam port in SVCB record is missing its value: write port=VALUE", line: 5, bindLine: 5),
    Rejection("svcb-mandatory-key", header + "x SVCB 1 . mandatory=bogus\n", message: "zone.db:5: invalid key 'bogus' in SvcParam mandatory of SVCB record: expected key names such as alpn,port", token: "bogus", line: 5, bindLine: 5),
    Rejection("svcb-mandatory-twice", header + "x SVCB 1 . mandatory=port,port port=1\n", message: "zone.db:5: key 'port' appears twice in SvcParam mandatory of SVCB record: list each key once", token: "port", line: 5, bindLine: 5),
    Rejection("svcb-alpn", header + "x SVCB 1 . alpn=h2,,h3\n", message: "zone.db:5: invalid ALPN id in SvcParam alpn of SVCB record: each id must be 1 to 255 octets, as in alpn=h2,h3", line: 5, bindLine: 5),
    Rejection("svcb-port", header + "x SVCB 1 . port=abc\n", message: "zone.db:5: invalid port 'abc' in SVCB record: expected a number from 0 to 65535", token: "abc", line: 5, bindLine: 5),
    Rejection("svcb-address", header + "x SVCB 1 . ipv4hint=1.2.3\n", message: "zone.db:5: invalid address '1.2.3' in SvcParam ipv4hint of SVCB record: expected a comma-separated list such as 192.0.2.1,192.0.2.2", token: "1.2.3", line: 5, bindLine: 5),
    Rejection("svcb-ech", header + "x SVCB 1 . ech=@@@@\n", message: "zone.db:5: invalid SvcParam ech '@@@@': expected base64 text", token: "@@@@", line: 5, bindLine: 5),
    Rejection("generic-no-length", header + "x TYPE65280 \\#\n", message: "zone.db:5: missing RDATA length after '\\#': write '\\# LENGTH HEX', for example '\\# 4 0a000001'", line: 5, bindLine: 5),
    Rejection("generic-length", header + "x TYPE65280 \\# x\n", message: "zone.db:5: invalid RDATA length 'x' after '\\#': expected a number from 0 to 65535", token: "x", line: 5, bindLine: 5),
    Rejection("generic-hex", header + "x TYPE65280 \\# 1 zz\n", message: "zone.db:5: invalid hex data 'zz': expected hexadecimal digits", token: "zz", line: 5, bindLine: 5),
    Rejection("generic-mismatch", header + "x TYPE65280 \\# 2 01\n", message: "zone.db:5: '\\#' length 2 does not match the 1 octets of hex data that follow: correct the length or the data", line: 5, bindLine: 5),
    Rejection("generic-known", header + "x A \\# 3 010203\n", message: "zone.db:5: '\\#' data '010203' is not valid A RDATA: check the octets against the A format", token: "010203", line: 5, bindLine: 5),
    Rejection("extra", header + "x A 1.1.1.1 extra\n", message: "zone.db:5: unexpected extra text 'extra' after the A RDATA: remove it or quote it", token: "extra", line: 5, bindLine: 5),
    Rejection("missing-field", header + "x MX 10\n", message: "zone.db:5: MX record is missing its exchange name: add it after the other fields", line: 5, bindLine: 5),
    Rejection("soa-multiline", header + "x SOA ns hm (\n 1\n 2\n 3x\n 4 5 )\n", message: "zone.db:8: invalid retry '3x' in SOA record: expected seconds or a duration such as 1W2D or 1h30m", token: "3x", line: 8, bindLine: 7),
    Rejection("ds-at-apex", header + "@ DS 1 8 5 00\n", message: "zone.db:5: DS record at top of zone (example.com): move it to the parent zone", line: 5, bindLine: 5),
    Rejection("nsec3param-hash", header + "@ NSEC3PARAM 2 0 1 -\n", message: "zone example.com/IN: unsupported nsec3 hash algorithm: 2"),
    Rejection("cds-algorithm", header + "@ DNSKEY 257 3 8 AwEAAagAIKlVZrpC6Ia7\n@ CDS 1 13 5 00\n", message: "zone example.com/IN: CDS/CDNSKEY consistency checks failed"),
    Rejection("v-no-soa", "$TTL 300\n@ NS ns\nns A 192.0.2.1\n", message: "zone example.com/IN: has 0 SOA records"),
    Rejection("v-soa-not-top", header + "x SOA ns hm 1 2 3 4 5\n", message: "zone example.com/IN: SOA record not at top of zone (x.example.com)", bindLine: 5),
    Rejection("v-no-ns", "$TTL 300\n@ SOA ns hm 1 2 3 4 5\nns A 192.0.2.1\n", message: "zone example.com/IN: has no NS records"),
    Rejection("v-singleton", header + "x CNAME a\nx CNAME b\n", message: "zone example.com/IN: x.example.com: multiple RRs of singleton type", bindLine: 6),
    Rejection("v-cname-other", header + "x CNAME a\nx A 1.1.1.1\n", message: "zone example.com/IN: x.example.com: CNAME and other data", bindLine: 6),
    Rejection("v-ns-address", "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n", message: "zone example.com/IN: NS 'ns.example.com' has no address records (A or AAAA)", token: "ns.example.com"),
]

@Test(arguments: checkzoneRejections)
func checkzoneRejectsWithMessage(_ rejection: Rejection) throws {
    let directory = try ZoneDirectory()
    try directory.write("zone.db", rejection.zone)
    try directory.write("inc.db", "y A 1.1.1.1\n")
    let arguments = commonCheckzoneOptions + ["example.com", "zone.db"]
    let ours = try run(checkzonePath, arguments, in: directory.path)

    #expect(ours.status == 1)
    #expect(ours.stderr.isEmpty)
    let lines = ours.stdout.split(separator: "\n").map(String.init)
    let first = lines.first ?? ""
    if let message = rejection.message {
        #expect(first == message)
    }
    if let fragment = rejection.fragment {
        #expect(first.contains(fragment), "\(first)")
    }
    if let line = rejection.line {
        #expect(first.hasPrefix("zone.db:\(line): "), "\(first)")
    } else {
        #expect(first.hasPrefix("zone example.com/IN: "), "\(first)")
    }
    if let token = rejection.token {
        #expect(first.contains("'\(token)'"), "\(first)")
    }
    #expect(lines.last == "zone example.com/IN: not loaded due to errors.")

    let bind = try run(bindCheckzonePath, arguments, in: directory.path)
    if rejection.bindAccepts {
        #expect(bind.status == 0, "\(bind.stdout)")
    } else {
        #expect(bind.status == 1, "\(bind.stdout)")
    }
    if let bindLine = rejection.bindLine {
        #expect((bind.stdout + bind.stderr).contains("zone.db:\(bindLine): "), "\(bind.stdout)")
    }
}

@Test func checkzoneMissingFile() throws {
    let directory = try ZoneDirectory()
    let ours = try run(checkzonePath, commonCheckzoneOptions + ["example.com", "missing.db"], in: directory.path)
    let bind = try run(bindCheckzonePath, commonCheckzoneOptions + ["example.com", "missing.db"], in: directory.path)

    #expect(ours.status == 1)
    #expect(ours.stdout == """
        missing.db: cannot open zone file 'missing.db': No such file or directory: check the path and the working directory
        zone example.com/IN: not loaded due to errors.

        """)
    #expect(bind.status == 1)
    #expect(bind.stdout.hasSuffix("zone example.com/IN: not loaded due to errors.\n"))
}

@Test func checkzoneDirectoryAsFile() throws {
    let directory = try ZoneDirectory()
    try FileManager.default.createDirectory(atPath: directory.path + "/sub.db", withIntermediateDirectories: false)
    let ours = try run(checkzonePath, commonCheckzoneOptions + ["example.com", "sub.db"], in: directory.path)
    let bind = try run(bindCheckzonePath, commonCheckzoneOptions + ["example.com", "sub.db"], in: directory.path)

    #expect(ours.status == 1)
    #expect(ours.stdout == """
        sub.db: cannot read zone file 'sub.db': Is a directory: give the path of a readable regular file
        zone example.com/IN: not loaded due to errors.

        """)
    #expect(bind.status == 1)
}
