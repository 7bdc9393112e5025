import Foundation
import Testing

@testable import NamedConfig

/// Loads configuration text and returns every diagnostic, whether or not loading threw.
func diagnostics(of text: String, file: String = "named.conf") -> [ConfigDiagnostic] {
    do {
        return try ConfigLoader.load(text: text, file: file).diagnostics
    } catch let error as ConfigError {
        return error.diagnostics
    } catch {
        Issue.record("unexpected error type: \(error)")
        return []
    }
}

func errors(of text: String) -> [ConfigDiagnostic] {
    diagnostics(of: text).filter { $0.severity == .error }
}

func warnings(of text: String) -> [ConfigDiagnostic] {
    diagnostics(of: text).filter { $0.severity == .warning }
}

/// A directory under the system temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "namedconfig-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `relativePath` inside the directory, creating parent directories.
    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> String {
        let full = path + "/" + relativePath
        let parent = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

enum Fixtures {
    static let directory: String = {
        let thisFile = URL(fileURLWithPath: #filePath)
        return thisFile.deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }()

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    /// Creates a root directory holding `/etc/named.conf` (a copy of the fixture `configName`)
    /// and the fixture files it includes, at the paths a RHEL or Fedora bind package uses, for
    /// loading with `rootDirectory`.
    static func rhelRoot(configName: String) throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        try root.write("etc/named.conf", try text(configName))
        try root.write("etc/named.rfc1912.zones", try text("named.rfc1912.zones"))
        try root.write("etc/named.root.key", try text("named.root.key"))
        try root.write("etc/crypto-policies/back-ends/bind.config", try text("crypto-policy.config"))
        return root
    }
}
