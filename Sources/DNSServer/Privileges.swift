import Glibc

/// Switching to an unprivileged user after the sockets are bound, as `named -u` does.
public enum Privileges {
    public static func drop(to userName: String) throws {
        guard let entry = getpwnam(userName) else {
            throw SystemCallError("getpwnam", "user '\(userName)' not found: create it or pass another -u", errno: ENOENT)
        }
        let uid = entry.pointee.pw_uid
        let gid = entry.pointee.pw_gid
        guard initgroups(userName, gid) == 0 else { throw SystemCallError("initgroups", userName) }
        guard setgid(gid) == 0 else { throw SystemCallError("setgid", "\(gid)") }
        guard setuid(uid) == 0 else { throw SystemCallError("setuid", "\(uid)") }
    }
}
