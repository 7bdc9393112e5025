/// Statement and option names that BIND 9.18 accepts, so that a valid BIND configuration is
/// never rejected as unknown. The tables list the names from the grammar printed in BIND
/// 9.18.49's named.conf(5), plus `masters`, which BIND 9.18 accepts as a synonym of
/// `primaries` without printing it, and options that older BIND releases accepted.
enum KnownOptions {
    static let topLevel: Set<String> = [
        "acl", "controls", "dlz", "dnssec-policy", "dyndb", "http", "key", "logging",
        "managed-keys", "options", "parental-agents", "plugin", "primaries", "server",
        "statistics-channels", "tls", "trust-anchors", "trusted-keys", "view", "zone",
    ]

    static let options: Set<String> = [
        "allow-new-zones", "allow-notify", "allow-query", "allow-query-cache",
        "allow-query-cache-on", "allow-query-on", "allow-recursion", "allow-recursion-on",
        "allow-transfer", "allow-update", "allow-update-forwarding", "also-notify",
        "alt-transfer-source", "alt-transfer-source-v6", "answer-cookie", "attach-cache",
        "auth-nxdomain", "auto-dnssec", "automatic-interface-scan", "avoid-v4-udp-ports",
        "avoid-v6-udp-ports", "bindkeys-file", "blackhole", "catalog-zones", "check-dup-records",
        "check-integrity", "check-mx", "check-mx-cname", "check-names", "check-sibling",
        "check-spf", "check-srv-cname", "check-wildcard", "clients-per-query", "cookie-algorithm",
        "cookie-secret", "coresize", "datasize", "deny-answer-addresses", "deny-answer-aliases",
        "dialup", "directory", "disable-algorithms", "disable-ds-digests", "disable-empty-zone",
        "dns64", "dns64-contact", "dns64-server", "dnskey-sig-validity", "dnsrps-enable",
        "dnsrps-options", "dnssec-accept-expired", "dnssec-dnskey-kskonly",
        "dnssec-loadkeys-interval", "dnssec-must-be-secure", "dnssec-policy",
        "dnssec-secure-to-insecure", "dnssec-update-mode", "dnssec-validation", "dnstap",
        "dnstap-identity", "dnstap-output", "dnstap-version", "dscp", "dual-stack-servers",
        "dump-file", "edns-udp-size", "empty-contact", "empty-server", "empty-zones-enable",
        "fetch-quota-params", "fetches-per-server", "fetches-per-zone", "files",
        "flush-zones-on-shutdown", "forward", "forwarders", "fstrm-set-buffer-hint",
        "fstrm-set-flush-timeout", "fstrm-set-input-queue-size",
        "fstrm-set-output-notify-threshold", "fstrm-set-output-queue-model",
        "fstrm-set-output-queue-size", "fstrm-set-reopen-interval", "geoip-directory", "glue-cache",
        "heartbeat-interval", "hostname", "http-listener-clients", "http-port",
        "http-streams-per-connection", "https-port", "interface-interval", "ipv4only-contact",
        "ipv4only-enable", "ipv4only-server", "ixfr-from-differences", "keep-response-order",
        "key-directory", "lame-ttl", "listen-on", "listen-on-v6", "lmdb-mapsize", "lock-file",
        "managed-keys-directory", "masterfile-format", "masterfile-style", "match-mapped-addresses",
        "max-cache-size", "max-cache-ttl", "max-clients-per-query", "max-ixfr-ratio",
        "max-journal-size", "max-ncache-ttl", "max-query-count", "max-query-restarts",
        "max-records", "max-records-per-type", "max-recursion-depth", "max-recursion-queries",
        "max-refresh-time", "max-retry-time", "max-rsa-exponent-size", "max-stale-ttl",
        "max-transfer-idle-in", "max-transfer-idle-out", "max-transfer-time-in",
        "max-transfer-time-out", "max-types-per-name", "max-udp-size", "max-zone-ttl",
        "memstatistics", "memstatistics-file", "message-compression", "min-cache-ttl",
        "min-ncache-ttl", "min-refresh-time", "min-retry-time", "minimal-any", "minimal-responses",
        "multi-master", "new-zones-directory", "no-case-compress", "nocookie-udp-size", "notify",
        "notify-delay", "notify-rate", "notify-source", "notify-source-v6", "notify-to-soa",
        "nsec3-test-zone", "nta-lifetime", "nta-recheck", "nxdomain-redirect", "parental-source",
        "parental-source-v6", "pid-file", "port", "preferred-glue", "prefetch", "provide-ixfr",
        "qname-minimization", "query-source", "query-source-v6", "querylog", "random-device",
        "rate-limit", "recursing-file", "recursion", "recursive-clients", "request-expire",
        "request-ixfr", "request-nsid", "require-server-cookie", "reserved-sockets",
        "resolver-nonbackoff-tries", "resolver-query-timeout", "resolver-retry-interval",
        "response-padding", "response-policy", "reuseport", "root-delegation-only",
        "root-key-sentinel", "rrset-order", "secroots-file", "send-cookie", "serial-query-rate",
        "serial-update-method", "server-id", "servfail-ttl", "session-keyalg", "session-keyfile",
        "session-keyname", "sig-signing-nodes", "sig-signing-signatures", "sig-signing-type",
        "sig-validity-interval", "sortlist", "stacksize", "stale-answer-client-timeout",
        "stale-answer-enable", "stale-answer-ttl", "stale-cache-enable", "stale-refresh-time",
        "startup-notify-rate", "statistics-file", "suppress-initial-notify", "synth-from-dnssec",
        "tcp-advertised-timeout", "tcp-clients", "tcp-idle-timeout", "tcp-initial-timeout",
        "tcp-keepalive-timeout", "tcp-listen-queue", "tcp-receive-buffer", "tcp-send-buffer",
        "tkey-dhkey", "tkey-domain", "tkey-gssapi-credential", "tkey-gssapi-keytab", "tls-port",
        "transfer-format", "transfer-message-size", "transfer-source", "transfer-source-v6",
        "transfers-in", "transfers-out", "transfers-per-ns", "trust-anchor-telemetry",
        "try-tcp-refresh", "udp-receive-buffer", "udp-send-buffer", "update-check-ksk",
        "update-quota", "use-alt-transfer-source", "use-v4-udp-ports", "use-v6-udp-ports",
        "v6-bias", "validate-except", "version", "zero-no-soa-ttl", "zero-no-soa-ttl-cache",
        "zone-statistics",
    ]

    static let view: Set<String> = [
        "allow-new-zones", "allow-notify", "allow-query", "allow-query-cache",
        "allow-query-cache-on", "allow-query-on", "allow-recursion", "allow-recursion-on",
        "allow-transfer", "allow-update", "allow-update-forwarding", "also-notify",
        "alt-transfer-source", "alt-transfer-source-v6", "attach-cache", "auth-nxdomain",
        "auto-dnssec", "catalog-zones", "check-dup-records", "check-integrity", "check-mx",
        "check-mx-cname", "check-names", "check-sibling", "check-spf", "check-srv-cname",
        "check-wildcard", "clients-per-query", "deny-answer-addresses", "deny-answer-aliases",
        "dialup", "disable-algorithms", "disable-ds-digests", "disable-empty-zone", "dlz", "dns64",
        "dns64-contact", "dns64-server", "dnskey-sig-validity", "dnsrps-enable", "dnsrps-options",
        "dnssec-accept-expired", "dnssec-dnskey-kskonly", "dnssec-loadkeys-interval",
        "dnssec-must-be-secure", "dnssec-policy", "dnssec-secure-to-insecure", "dnssec-update-mode",
        "dnssec-validation", "dnstap", "dual-stack-servers", "dyndb", "edns-udp-size",
        "empty-contact", "empty-server", "empty-zones-enable", "fetch-quota-params",
        "fetches-per-server", "fetches-per-zone", "forward", "forwarders", "glue-cache",
        "ipv4only-contact", "ipv4only-enable", "ipv4only-server", "ixfr-from-differences", "key",
        "key-directory", "lame-ttl", "lmdb-mapsize", "managed-keys", "masterfile-format",
        "masterfile-style", "match-clients", "match-destinations", "match-recursive-only",
        "max-cache-size", "max-cache-ttl", "max-clients-per-query", "max-ixfr-ratio",
        "max-journal-size", "max-ncache-ttl", "max-query-count", "max-query-restarts",
        "max-records", "max-records-per-type", "max-recursion-depth", "max-recursion-queries",
        "max-refresh-time", "max-retry-time", "max-stale-ttl", "max-transfer-idle-in",
        "max-transfer-idle-out", "max-transfer-time-in", "max-transfer-time-out",
        "max-types-per-name", "max-udp-size", "max-zone-ttl", "message-compression",
        "min-cache-ttl", "min-ncache-ttl", "min-refresh-time", "min-retry-time", "minimal-any",
        "minimal-responses", "multi-master", "new-zones-directory", "no-case-compress",
        "nocookie-udp-size", "notify", "notify-delay", "notify-source", "notify-source-v6",
        "notify-to-soa", "nsec3-test-zone", "nta-lifetime", "nta-recheck", "nxdomain-redirect",
        "parental-source", "parental-source-v6", "plugin", "preferred-glue", "prefetch",
        "provide-ixfr", "qname-minimization", "query-source", "query-source-v6", "rate-limit",
        "recursion", "request-expire", "request-ixfr", "request-nsid", "require-server-cookie",
        "resolver-nonbackoff-tries", "resolver-query-timeout", "resolver-retry-interval",
        "response-padding", "response-policy", "root-delegation-only", "root-key-sentinel",
        "rrset-order", "send-cookie", "serial-update-method", "server", "servfail-ttl",
        "sig-signing-nodes", "sig-signing-signatures", "sig-signing-type", "sig-validity-interval",
        "sortlist", "stale-answer-client-timeout", "stale-answer-enable", "stale-answer-ttl",
        "stale-cache-enable", "stale-refresh-time", "suppress-initial-notify", "synth-from-dnssec",
        "transfer-format", "transfer-source", "transfer-source-v6", "trust-anchor-telemetry",
        "trust-anchors", "trusted-keys", "try-tcp-refresh", "update-check-ksk",
        "use-alt-transfer-source", "v6-bias", "validate-except", "zero-no-soa-ttl",
        "zero-no-soa-ttl-cache", "zone-statistics",
    ]

    static let zone: Set<String> = [
        "allow-notify", "allow-query", "allow-query-on", "allow-transfer", "allow-update",
        "allow-update-forwarding", "also-notify", "alt-transfer-source", "alt-transfer-source-v6",
        "auto-dnssec", "check-dup-records", "check-integrity", "check-mx", "check-mx-cname",
        "check-names", "check-sibling", "check-spf", "check-srv-cname", "check-wildcard",
        "database", "delegation-only", "dialup", "dlz", "dnskey-sig-validity",
        "dnssec-dnskey-kskonly", "dnssec-loadkeys-interval", "dnssec-policy",
        "dnssec-secure-to-insecure", "dnssec-update-mode", "file", "forward", "forwarders",
        "in-view", "inline-signing", "ixfr-from-differences", "journal", "key-directory",
        "masterfile-format", "masterfile-style", "max-ixfr-ratio", "max-journal-size",
        "max-records", "max-records-per-type", "max-refresh-time", "max-retry-time",
        "max-transfer-idle-in", "max-transfer-idle-out", "max-transfer-time-in",
        "max-transfer-time-out", "max-types-per-name", "max-zone-ttl", "min-refresh-time",
        "min-retry-time", "multi-master", "notify", "notify-delay", "notify-source",
        "notify-source-v6", "notify-to-soa", "nsec3-test-zone", "parental-agents",
        "parental-source", "parental-source-v6", "primaries", "request-expire", "request-ixfr",
        "serial-update-method", "server-addresses", "server-names", "sig-signing-nodes",
        "sig-signing-signatures", "sig-signing-type", "sig-validity-interval", "transfer-source",
        "transfer-source-v6", "try-tcp-refresh", "type", "update-check-ksk", "update-policy",
        "use-alt-transfer-source", "zero-no-soa-ttl", "zone-statistics",
    ]

    static let server: Set<String> = [
        "bogus", "edns", "edns-udp-size", "edns-version", "keys", "max-udp-size", "notify-source",
        "notify-source-v6", "padding", "provide-ixfr", "query-source", "query-source-v6",
        "request-expire", "request-ixfr", "request-nsid", "send-cookie", "tcp-keepalive",
        "tcp-only", "transfer-format", "transfer-source", "transfer-source-v6", "transfers",
    ]

    static let dnssecPolicy: Set<String> = [
        "dnskey-ttl", "keys", "max-zone-ttl", "nsec3param", "parent-ds-ttl",
        "parent-propagation-delay", "parent-registration-delay", "publish-safety", "purge-keys",
        "retire-safety", "signatures-jitter", "signatures-refresh", "signatures-validity",
        "signatures-validity-dnskey", "zone-propagation-delay",
    ]

    static let tls: Set<String> = [
        "ca-file", "cert-file", "ciphers", "dhparam-file", "key-file", "prefer-server-ciphers",
        "protocols", "remote-hostname", "session-tickets",
    ]

    static let http: Set<String> = [
        "endpoints", "listener-clients", "streams-per-connection",
    ]

    static let deprecated: Set<String> = [
        "alt-transfer-source", "alt-transfer-source-v6", "auto-dnssec", "avoid-v4-udp-ports",
        "avoid-v6-udp-ports", "coresize", "datasize", "delegation-only", "dialup",
        "dnssec-must-be-secure", "dscp", "files", "glue-cache", "heartbeat-interval",
        "managed-keys", "random-device", "reserved-sockets", "resolver-nonbackoff-tries",
        "resolver-retry-interval", "root-delegation-only", "stacksize", "suppress-initial-notify",
        "tkey-dhkey", "tkey-domain", "tkey-gssapi-credential", "trusted-keys",
        "use-alt-transfer-source", "use-v4-udp-ports", "use-v6-udp-ports",
    ]

    static let notConfigured: Set<String> = [
        "dnsrps-enable", "dnsrps-options", "dnstap", "dnstap-identity", "dnstap-output",
        "dnstap-version", "fstrm-set-buffer-hint", "fstrm-set-flush-timeout",
        "fstrm-set-input-queue-size", "fstrm-set-output-notify-threshold",
        "fstrm-set-output-queue-model", "fstrm-set-output-queue-size", "fstrm-set-reopen-interval",
    ]

    /// Synonyms BIND 9.18 accepts without listing them in named.conf(5).
    static let synonyms: Set<String> = ["masters"]

    /// Options that BIND once had and has removed. BIND 9.18 rejects them, for example with
    /// "option 'dnssec-enable' no longer exists"; swift-named warns and ignores them so that
    /// configurations written for older BIND releases still start.
    static let removed: Set<String> = [
        "acache-cleaning-interval", "acache-enable", "additional-from-auth", "additional-from-cache",
        "allow-v6-synthesis", "cleaning-interval", "deallocate-on-exit", "dnssec-enable",
        "dnssec-lookaside", "fake-iquery", "fetch-glue", "filter-aaaa", "filter-aaaa-on-v4",
        "filter-aaaa-on-v6", "geoip-use-ecs", "has-old-clients", "host-statistics",
        "host-statistics-max", "lwres", "maintain-ixfr-base", "max-acache-size", "max-ixfr-log-size",
        "min-roots", "multiple-cnames", "named-xfer", "queryport-pool-ports",
        "queryport-pool-updateinterval", "rfc2308-type1", "serial-queries", "sit-secret",
        "statistics-interval", "support-ixfr", "topology", "treat-cr-as-space", "use-id-pool",
        "use-ixfr", "use-queryport-pool",
    ]

    /// Options that only matter to a recursive resolver or a DNSSEC validator.
    static let resolverOnly: Set<String> = [
        "allow-query-cache", "allow-query-cache-on", "allow-recursion", "allow-recursion-on",
        "bindkeys-file", "dnssec-accept-expired", "dnssec-must-be-secure", "dnssec-validation",
        "dns64", "dns64-contact", "dns64-server", "forward", "forwarders", "managed-keys-directory",
        "max-cache-size", "max-cache-ttl", "max-ncache-ttl", "prefetch", "qname-minimization",
        "recursive-clients", "resolver-query-timeout", "response-policy", "root-key-sentinel",
        "servfail-ttl", "stale-answer-enable", "stale-cache-enable", "validate-except",
    ]

    /// Top-level statements that are valid BIND but that an authoritative-only server ignores.
    static let resolverOnlyStatements: Set<String> = ["managed-keys", "trust-anchors", "trusted-keys"]

    static func isKnownOption(_ name: String) -> Bool {
        options.contains(name) || view.contains(name) || synonyms.contains(name)
    }

    static func isKnownZoneOption(_ name: String) -> Bool {
        zone.contains(name) || synonyms.contains(name)
    }
}
