import Foundation
import TestSupport
import Glibc

struct HarnessError: Error, CustomStringConvertible {
    var description: String
}

/// A zone to serve: its name, the file name inside the server's directory and the file's text.
struct ZoneFixture: Sendable {
    var name: String
    var fileName: String
    var text: String
}

/// Locates the executables that `swift test` builds next to the test bundle.
enum BuiltProducts {
    /// `SWIFT_NAMED_BIN_DIR` if set, else the directory of the running test binary.
    static var directory: String {
        if let override = ProcessInfo.processInfo.environment["SWIFT_NAMED_BIN_DIR"], !override.isEmpty {
            return override
        }
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().path
    }

    static func path(of name: String) throws -> String {
        let candidate = directory + "/" + name
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw HarnessError(
                description: "\(candidate) is missing or not executable; run `swift build` first "
                    + "or set SWIFT_NAMED_BIN_DIR to the directory that contains the built `\(name)`")
        }
        return candidate
    }
}

let bindExecutable = "/usr/sbin/named"

/// Creates a fresh directory under the system temporary directory; the caller removes it.
func makeTemporaryDirectory(prefix: String) throws -> String {
    var template = Array((NSTemporaryDirectory() + "/\(prefix).XXXXXX").utf8CString)
    guard let created = mkdtemp(&template) else {
        throw HarnessError(
            description: "mkdtemp in \(NSTemporaryDirectory()) failed: \(String(cString: strerror(errno)))")
    }
    return String(cString: created)
}

/// Which named.conf dialect to write. Both are BIND syntax; the BIND one adds the options that
/// keep BIND's own files inside the temporary directory.
enum ServerFlavor {
    case bind
    case swiftNamed
}

/// Writes the zone files and a named.conf into `directory` and returns the named.conf path.
/// `extraOptions` are added to the `options` statement as written, each ending in `;`.
func writeConfiguration(
    directory: String, port: UInt16, zones: [ZoneFixture], flavor: ServerFlavor, extraOptions: [String] = []
) throws -> String {
    for zone in zones {
        try zone.text.write(toFile: directory + "/" + zone.fileName, atomically: true, encoding: .utf8)
    }
    var lines = [
        "options {",
        "    directory \"\(directory)\";",
        "    listen-on port \(port) { 127.0.0.1; };",
        "    listen-on-v6 { none; };",
        "    recursion no;",
        "    notify no;",
        "    pid-file none;",
    ]
    if flavor == .bind {
        lines += [
            "    session-keyfile \"\(directory)/session.key\";",
            "    managed-keys-directory \"\(directory)\";",
            "    dnssec-validation no;",
        ]
    }
    lines += extraOptions.map { "    " + $0 }
    lines += [
        "};",
        // No control channel: neither server should open port 953 or read /etc/bind/rndc.key.
        "controls { };",
    ]
    for zone in zones {
        lines.append("zone \"\(zone.name)\" { type primary; file \"\(zone.fileName)\"; };")
    }
    let path = directory + "/named.conf"
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A server process started for one test, with its output in a log file.
///
/// NOTE: `withServerPair` stops both servers when its body returns or throws, but a crash of
/// the test process itself (a trap, SIGKILL) leaves them running until someone kills their PIDs.
final class ServerProcess {
    let label: String
    let port: UInt16
    let logPath: String
    private let process: Process

    init(label: String, executable: String, arguments: [String], port: UInt16, logPath: String) throws {
        self.label = label
        self.port = port
        self.logPath = logPath
        guard FileManager.default.createFile(atPath: logPath, contents: nil),
            let log = FileHandle(forWritingAtPath: logPath) else {
            throw HarnessError(description: "cannot open \(logPath) for writing")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw HarnessError(description: "\(label): cannot start \(executable): \(error)")
        }
    }

    /// Starts `named -g -c CONF -p PORT` from `executable` with the zones in a fresh directory.
    static func start(
        label: String, executable: String, flavor: ServerFlavor, zones: [ZoneFixture], in directory: String,
        extraOptions: [String] = []
    ) throws -> ServerProcess {
        let port = freePort()
        let configuration = try writeConfiguration(
            directory: directory, port: port, zones: zones, flavor: flavor, extraOptions: extraOptions)
        var arguments = ["-g", "-c", configuration, "-p", String(port)]
        // One worker thread is plenty for the test load and spares the shared CI cores.
        if flavor == .bind { arguments += ["-n", "1"] }
        return try ServerProcess(
            label: label, executable: executable, arguments: arguments, port: port,
            logPath: directory + "/server.log")
    }

    var isRunning: Bool { process.isRunning }

    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no log at \(logPath))"
    }

    /// Polls every zone's SOA until each gets an authoritative NOERROR answer, or throws with
    /// the server's output when the process exits or `timeout` passes.
    func waitUntilServing(zones: [String], timeout: Duration = .seconds(20)) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var pending = zones
        var lastOutcome = "no query sent"
        while let zone = pending.first {
            guard process.isRunning else {
                throw HarnessError(
                    description: "\(label) exited with status \(process.terminationStatus) before serving "
                        + "\(zone) SOA; its output:\n\(log)")
            }
            guard clock.now < deadline else {
                throw HarnessError(
                    description: "\(label) did not answer \(zone) SOA on 127.0.0.1 port \(port) within "
                        + "\(timeout) (last outcome: \(lastOutcome)); its output:\n\(log)")
            }
            let outcome = exchange(QuerySpec("\(zone) SOA +norec"), port: port)
            if case .response(let response) = outcome, response.rcode == "NOERROR", response.flags.contains("aa") {
                pending.removeFirst()
                continue
            }
            lastOutcome = "\(outcome)".split(separator: "\n").first.map(String.init) ?? ""
            usleep(100_000)
        }
    }

    /// Sends SIGTERM, then SIGKILL if the process still runs after `grace`, and reaps it.
    func stop(grace: Duration = .seconds(5)) {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while process.isRunning && clock.now < deadline {
            usleep(20_000)
        }
        if process.isRunning {
            kill(pid, SIGKILL)
        }
        process.waitUntilExit()
    }

    deinit {
        stop()
    }
}

/// Starts a reference BIND and a second server on the same zones, waits until both serve,
/// runs `body` with both, and stops both whatever happens in `body`.
///
/// `otherZones` lets the harness self-test give the second server a deliberately changed zone.
/// `extraOptions` go into the `options` statement of both servers.
func withServerPair<Result>(
    zones: [ZoneFixture],
    otherZones: [ZoneFixture]? = nil,
    otherFlavor: ServerFlavor,
    extraOptions: [String] = [],
    body: (_ reference: ServerProcess, _ other: ServerProcess) throws -> Result
) throws -> Result {
    let referenceDirectory = try makeTemporaryDirectory(prefix: "interop-bind")
    defer { try? FileManager.default.removeItem(atPath: referenceDirectory) }
    let otherDirectory = try makeTemporaryDirectory(prefix: "interop-other")
    defer { try? FileManager.default.removeItem(atPath: otherDirectory) }

    let otherExecutable = otherFlavor == .bind ? bindExecutable : try BuiltProducts.path(of: "named")
    let reference = try ServerProcess.start(
        label: "BIND (\(bindExecutable))", executable: bindExecutable, flavor: .bind, zones: zones,
        in: referenceDirectory, extraOptions: extraOptions)
    defer { reference.stop() }
    let other = try ServerProcess.start(
        label: otherFlavor == .bind ? "second BIND" : "swift-named (\(otherExecutable))",
        executable: otherExecutable, flavor: otherFlavor, zones: otherZones ?? zones,
        in: otherDirectory, extraOptions: extraOptions)
    defer { other.stop() }

    let zoneNames = zones.map(\.name)
    try reference.waitUntilServing(zones: zoneNames)
    try other.waitUntilServing(zones: zoneNames)
    return try body(reference, other)
}
