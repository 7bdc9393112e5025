import Foundation
import Glibc

/// A `named` (ours or BIND's) started by a test on a loopback port and stopped by PID.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: UInt16
    let directory: URL
    private let errorPipe = Pipe()
    private var collected = Data()
    private let lock = NSLock()

    /// The directory holding the executables built with the tests.
    static var productsDirectory: URL {
        if let override = ProcessInfo.processInfo.environment["SWIFT_NAMED_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }

    /// Starts `executable` with `arguments` in `directory`.
    init(executable: URL, arguments: [String], directory: URL, port: UInt16,
         environment: [String: String] = [:]) throws {
        self.port = port
        self.directory = directory
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        errorPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock()
            self.collected.append(data)
            self.lock.unlock()
        }
        try process.run()
    }

    /// Starts swift-named in the foreground on `port` with the config file in `directory`.
    static func swiftNamed(config: String, directory: URL, port: UInt16, extraArguments: [String] = [],
                           environment: [String: String] = [:]) throws -> ServerProcess {
        let executable = productsDirectory.appendingPathComponent("named")
        return try ServerProcess(executable: executable,
                                 arguments: ["-g", "-c", config, "-p", String(port), "-n", "2"] + extraArguments,
                                 directory: directory, port: port, environment: environment)
    }

    /// Everything the server wrote to standard error so far.
    var standardError: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Waits until the server answers `name` SOA over UDP, or throws with its log.
    func waitUntilAnswering(_ name: String, timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning {
                throw ServerError.exited(process.terminationStatus, standardError)
            }
            if let output = try? Dig.run(["@127.0.0.1", "-p", String(port), name, "SOA", "+time=1", "+tries=1", "+short"]),
                !output.isEmpty, !output.contains(";;")
            {
                // dig prints ";; communications error ..." to standard output when nothing answers.
                return
            }
            usleep(100_000)
        }
        throw ServerError.notAnswering(standardError)
    }

    /// Sends SIGTERM and waits; SIGKILL after `timeout` seconds. Returns the exit status.
    @discardableResult
    func stop(timeout: TimeInterval = 5) -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            usleep(20_000)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit {
        stop()
        errorPipe.fileHandleForReading.readabilityHandler = nil
    }
}

enum ServerError: Error, CustomStringConvertible {
    case exited(Int32, String)
    case notAnswering(String)

    var description: String {
        switch self {
        case .exited(let status, let log): return "server exited with status \(status); its log:\n\(log)"
        case .notAnswering(let log): return "server did not answer in time; its log:\n\(log)"
        }
    }
}

/// Runs Debian's `dig` and returns its standard output.
enum Dig {
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dig")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A temporary directory removed at deinit.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-named-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// The repository root, found from this source file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
