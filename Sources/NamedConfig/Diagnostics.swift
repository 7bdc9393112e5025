/// A finding about a configuration file, located by file and line.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: Sendable, Equatable {
        case error
        case warning
    }

    public var severity: Severity
    public var file: String
    public var line: Int
    public var message: String

    public init(severity: Severity, file: String, line: Int, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.message = message
    }

    /// The diagnostic in BIND's `FILE:LINE: MESSAGE` form.
    public var description: String {
        "\(file):\(line): \(message)"
    }
}

/// Thrown by `ConfigLoader` when the configuration contains at least one error.
/// `diagnostics` holds every finding, warnings included, in file order.
public struct ConfigError: Error, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public init(diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var errors: [ConfigDiagnostic] {
        diagnostics.filter { $0.severity == .error }
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects diagnostics while a configuration is parsed and interpreted.
struct DiagnosticSink {
    var diagnostics: [ConfigDiagnostic] = []

    var hasErrors: Bool {
        diagnostics.contains { $0.severity == .error }
    }

    mutating func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(
            ConfigDiagnostic(severity: .error, file: location.file, line: location.line, message: message))
    }

    mutating func warning(_ location: SourceLocation, _ message: String) {
        diagnostics.append(
            ConfigDiagnostic(severity: .warning, file: location.file, line: location.line, message: message))
    }
}

/// A position in a configuration file.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}
