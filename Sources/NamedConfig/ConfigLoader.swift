import Foundation

/// The result of loading named.conf: the model, the generic tree it came from, and the
/// warnings found on the way.
public struct LoadedConfiguration: Sendable {
    public var configuration: NamedConfiguration
    public var diagnostics: [ConfigDiagnostic]
    /// The generic statement tree with includes expanded, for printing (`named-checkconf -p`).
    public var statements: [ConfigStatement]
    /// Every file read, the main file first, then includes in the order read.
    public var files: [String]
}

/// Reads and interprets named.conf.
public struct ConfigLoader {
    /// Loads the configuration at `path`, following includes.
    ///
    /// Relative include paths are resolved against the process working directory, as BIND
    /// does, and not against the directory of the including file. `rootDirectory` is prefixed to
    /// every absolute path that is opened (the main file and includes), as named-checkconf's
    /// `-t` option does. When `directory` is absent, `options.directory` is the process
    /// working directory.
    ///
    /// - Throws: `ConfigError` with every diagnostic when at least one is an error.
    public static func load(path: String, rootDirectory: String? = nil) throws -> LoadedConfiguration {
        var parser = ConfigParser(rootDirectory: rootDirectory)
        let statements = parser.parseFile(path, includedFrom: nil)
        return try interpret(statements, parser: parser)
    }

    /// Loads configuration text that is not in a file. `file` names it in diagnostics.
    public static func load(text: String, file: String = "named.conf", rootDirectory: String? = nil) throws -> LoadedConfiguration {
        var parser = ConfigParser(rootDirectory: rootDirectory)
        let statements = parser.parseText(text, file: file)
        return try interpret(statements, parser: parser)
    }

    private static func interpret(_ statements: [ConfigStatement], parser: ConfigParser) throws -> LoadedConfiguration {
        var diagnostics = parser.sink.diagnostics
        var configuration = NamedConfiguration()
        // A file that failed to parse would cascade into misleading follow-on errors.
        if !parser.sink.hasErrors {
            var interpreter = Interpreter(workingDirectory: FileManager.default.currentDirectoryPath)
            configuration = interpreter.interpret(statements)
            diagnostics += interpreter.sink.diagnostics
        }
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw ConfigError(diagnostics: diagnostics)
        }
        return LoadedConfiguration(
            configuration: configuration, diagnostics: diagnostics, statements: statements, files: parser.filesRead)
    }
}
