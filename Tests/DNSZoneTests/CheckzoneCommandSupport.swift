import Foundation
import Testing
import TestSupport
@testable import DNSWire
@testable import DNSZone

/// The exit status and output of a finished process.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Output read on another thread; the dispatch group's wait orders the write before the read.
final class OutputBuffer: @unchecked Sendable {
    var data = Data()
}

/// Runs a program to its end with the given arguments, in `directory` when one is given.
/// BIND's programs run without network access (see `withoutNetwork`).
func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> CommandResult {
    let process = Process()
    let (program, programArguments) = withoutNetwork(executable, arguments)
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = programArguments
    if let directory {
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
    }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read standard error on another thread, so that neither pipe can fill up and stall the child.
    let errorOutput = OutputBuffer()
    let errorRead = DispatchGroup()
    DispatchQueue.global().async(group: errorRead) {
        errorOutput.data = error.fileHandleForReading.readDataToEndOfFile()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    errorRead.wait()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        stdout: String(decoding: outputData, as: UTF8.self),
        stderr: String(decoding: errorOutput.data, as: UTF8.self))
}

/// Returns the path of `name` built next to this test bundle.
func builtProgramPath(_ name: String) -> String {
    var directory = Bundle.main.bundleURL
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory.deleteLastPathComponent()
    }
    return "\(name)-not-built"
}

/// The named-checkzone built next to this test bundle.
let checkzonePath = builtProgramPath("named-checkzone")

/// Debian's BIND 9.18 named-checkzone, the reference.
let bindCheckzonePath = "/usr/bin/named-checkzone"

/// Options both programs get in every test. BIND's default `-i full` looks up the addresses of
/// out-of-zone NS, MX and SRV targets with getaddrinfo, so it would send queries to the
/// system's resolver. `-i local` checks in-zone targets only and sends nothing.
let commonCheckzoneOptions = ["-i", "local"]
