/// Returns the command that runs `executable` with `arguments`, and for BIND's own programs
/// (`/usr/bin/named-*`, `/usr/sbin/named*`) one that runs them without network access.
///
/// BIND's check tools look up the addresses of out-of-zone NS, MX and SRV targets with
/// getaddrinfo, which sends DNS queries to the system's resolver. Under `unshare --net`
/// (as root) they run in a network namespace of their own with no interface up, so no such
/// query can leave the machine: a lookup fails at once and BIND prints
/// `getaddrinfo(NAME) failed`, which makes the comparison fail and shows the test that asked
/// for it.
public func withoutNetwork(_ executable: String, _ arguments: [String]) -> (executable: String, arguments: [String]) {
    guard executable.hasPrefix("/usr/bin/named-") || executable.hasPrefix("/usr/sbin/named") else {
        return (executable, arguments)
    }
    return ("/usr/bin/unshare", ["--net", "--", executable] + arguments)
}
