#if canImport(Glibc)
import Glibc
#endif

/// Starts `systemd-probe` (built next to the test binary) the way systemd
/// starts a service: chosen environment, chosen descriptors at 3, 4, ...
enum ProbeProcess {
    struct Output {
        var exitStatus: Int32
        var lines: [String]

        /// The rest of the first line that starts with `label` and a space.
        func value(_ label: String) -> String? {
            for line in lines where line.hasPrefix(label + " ") {
                return String(line.dropFirst(label.count + 1))
            }
            return nil
        }
    }

    static var probePath: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        precondition(length > 0, "readlink /proc/self/exe failed")
        let executable = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let directory = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return directory + "/systemd-probe"
    }

    /// Runs the probe with `action`.
    ///
    /// - Parameters:
    ///   - environment: variables added to the test's own environment, from
    ///     which every systemd variable is removed first.
    ///   - passing: descriptors that the child gets as 3, 4, 5, ...
    ///   - setListenPID: exports `LISTEN_PID` and `WATCHDOG_PID` as the child's
    ///     own process id through a `/bin/sh` that execs the probe, because the
    ///     id is unknown before the spawn.
    ///   - stderrFile: a file that becomes the child's standard error.
    ///   - launcher: arguments placed before the probe (e.g. `unshare`).
    static func run(
        _ action: String,
        environment: [String: String] = [:],
        passing descriptors: [Int32] = [],
        setListenPID: Bool = false,
        stderrFile: String? = nil,
        launcher: [String] = []
    ) throws -> Output {
        var argv = launcher
        if setListenPID {
            argv += ["/bin/sh", "-c", "LISTEN_PID=$$ WATCHDOG_PID=$$ exec \"$0\" \"$@\""]
        }
        argv += [probePath, action]

        var childEnvironment: [String] = []
        let removed: Set<String> = [
            "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
            "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM",
        ]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            let name = String(text.prefix { $0 != "=" })
            if !removed.contains(name), environment[name] == nil {
                childEnvironment.append(text)
            }
            entry += 1
        }
        for (name, value) in environment {
            childEnvironment.append("\(name)=\(value)")
        }

        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw ProbeError.system("pipe", errno) }
        defer { close(pipeEnds[0]) }

        // Move the descriptors out of the 3... range first, so that placing
        // descriptor i at 3 + i never overwrites one that is still to be placed.
        var parked: [Int32] = []
        defer { parked.forEach { close($0) } }
        for descriptor in descriptors {
            let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 200)
            guard copy >= 0 else { throw ProbeError.system("fcntl F_DUPFD_CLOEXEC", errno) }
            parked.append(copy)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        if let stderrFile {
            posix_spawn_file_actions_addopen(&actions, 2, stderrFile, O_WRONLY | O_APPEND, 0)
        }
        for (index, descriptor) in parked.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, descriptor, 3 + Int32(index))
        }

        var pid: pid_t = 0
        let status = withCStrings(argv) { cArguments in
            withCStrings(childEnvironment) { cEnvironment in
                posix_spawnp(&pid, argv[0], &actions, nil, cArguments, cEnvironment)
            }
        }
        close(pipeEnds[1])
        guard status == 0 else { throw ProbeError.system("posix_spawnp \(argv[0])", status) }

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipeEnds[0], &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            output += buffer[0..<count]
        }

        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0, errno == EINTR {}
        let exitStatus = (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        return Output(exitStatus: exitStatus, lines: lines)
    }

    private static func withCStrings<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
    ) -> Result {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

enum ProbeError: Error, CustomStringConvertible {
    case system(String, Int32)

    var description: String {
        switch self {
        case let .system(call, code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
