// The command behind named-checkzone and named-compilezone. It reads one zone file, runs
// BIND's load-time checks and reports the result with BIND 9.18's messages and exit codes
// (0 when the zone loads, 1 otherwise). With -D, or as named-compilezone, it writes the zone
// in canonical form.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DNSWire
import DNSZone

/// The two programs that share this command. They differ as BIND's do.
public enum ZoneCheckProgram: Sendable {
    /// named-checkzone: checks the zone, prints it with -D, warns about bad host names.
    case check
    /// named-compilezone: always writes the zone to the -o file, which it requires, and
    /// rejects bad host names by default.
    case compile

    var name: String {
        switch self {
        case .check: "named-checkzone"
        case .compile: "named-compilezone"
        }
    }

    var usage: String {
        let synopsis = switch self {
        case .check:
            "usage: named-checkzone [-qvD] [-c class] [-f text] [-F text] [-i (full|local|none)] [-k (ignore|warn|fail)] [-o filename] [-s (full|relative)] [-t directory] [-w directory] zonename [(filename|-)]"
        case .compile:
            "usage: named-compilezone [-qvD] [-c class] [-f text] [-F text] [-i (full|local|none)] [-k (ignore|warn|fail)] [-s (full|relative)] [-t directory] [-w directory] -o filename zonename [(filename|-)]"
        }
        let checkNamesDefault = self == .check ? "warn" : "fail"
        return """
            \(synopsis)
              -q            print nothing; the exit code gives the result
              -v            print the version and exit
              -D            print the zone in canonical form (named-compilezone always does)
              -o filename   write the zone to this file ('-' for standard output)
              -s style      style of the output: full (one record per line, absolute names; the default)
                            or relative (relative names, $ORIGIN and $TTL lines, long records over several lines)
              -c class      zone class (default IN)
              -f format     input format: text only (BIND's raw and map formats are not supported)
              -F format     output format: text only
              -i mode       integrity checks of NS, MX and SRV targets: full, local (the same here) or none
              -k mode       check-names: what a bad host name is (fail: an error, warn: a warning; ignore),
                            default \(checkNamesDefault)
              -t directory  chroot to this directory before reading the file
              -w directory  change to this directory before reading the file
            filename '-' or no filename reads the zone from standard input.
            """
    }
}

/// Runs the command with the process's arguments and exits.
@MainActor public func runZoneCheckCommand(_ program: ZoneCheckProgram) -> Never {
    var command = ZoneCheckCommand(program: program)
    command.parseArguments(Array(CommandLine.arguments.dropFirst()))
    command.run()
}

/// Writes text unbuffered to a file descriptor (1 for standard output, 2 for standard error).
func write(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { raw in
            Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
        }
        guard written > 0 else { return }
        offset += written
    }
}

struct ZoneCheckCommand {
    let program: ZoneCheckProgram
    var quiet = false
    var dump: Bool
    var relativeStyle = false
    var outputPath: String? = nil
    var zoneClass = RRClass.in
    var checkIntegrity = true
    var checkNames: CheckNamesMode
    var chrootDirectory: String? = nil
    var workingDirectory: String? = nil
    var zoneText = ""
    var filePath = "-"

    init(program: ZoneCheckProgram) {
        self.program = program
        dump = program == .compile
        checkNames = program == .compile ? .fail : .warn
    }

    func fail(_ message: String) -> Never {
        write("\(program.name): \(message)\n", to: 2)
        exit(1)
    }

    func failWithUsage(_ message: String) -> Never {
        write("\(program.name): \(message)\n\(program.usage)\n", to: 2)
        exit(1)
    }

    mutating func parseArguments(_ arguments: [String]) {
        var operands: [String] = []
        var index = 0
        func value(_ option: String) -> String {
            index += 1
            guard index < arguments.count else { failWithUsage("option \(option) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("-"), argument.count > 1, operands.isEmpty {
                switch argument {
                case "-q": quiet = true
                case "-D": dump = true
                case "-v":
                    write(swiftNamedVersion + "\n", to: 1)
                    exit(0)
                case "-s":
                    let style = value(argument)
                    switch style {
                    case "full": relativeStyle = false
                    case "relative": relativeStyle = true
                    default: fail("invalid -s style '\(style)': expected full or relative")
                    }
                case "-o": outputPath = value(argument)
                case "-c":
                    let text = value(argument)
                    guard let parsed = RRClass(mnemonic: text) else { fail("invalid class '\(text)': expected IN, CH or HS") }
                    zoneClass = parsed
                case "-f", "-F":
                    let format = value(argument)
                    guard format == "text" else {
                        fail("format '\(format)' for \(argument) is not supported: swift-named reads and writes zones as text only, so use '\(argument) text'")
                    }
                case "-i":
                    let mode = value(argument)
                    switch mode {
                    case "full", "local", "full-sibling", "local-sibling": checkIntegrity = true
                    case "none": checkIntegrity = false
                    default: fail("invalid -i mode '\(mode)': expected full, local or none")
                    }
                case "-k":
                    let mode = value(argument)
                    guard let parsed = CheckNamesMode(rawValue: mode) else { fail("invalid -k mode '\(mode)': expected fail, warn or ignore") }
                    checkNames = parsed
                case "-t": chrootDirectory = value(argument)
                case "-w": workingDirectory = value(argument)
                case "-h", "--help":
                    write(program.usage + "\n", to: 1)
                    exit(0)
                default:
                    failWithUsage("unknown option '\(argument)'")
                }
            } else {
                operands.append(argument)
            }
            index += 1
        }
        guard operands.count == 1 || operands.count == 2 else {
            write("\(program.usage)\n", to: 2)
            exit(1)
        }
        if program == .compile && outputPath == nil {
            // BIND's wording.
            write("output file required, but not specified\n\(program.usage)\n", to: 2)
            exit(1)
        }
        zoneText = operands[0]
        filePath = operands.count == 2 ? operands[1] : "-"
    }

    /// Checks the zone, prints the messages and the zone, and exits with BIND's status.
    func run() -> Never {
        if let chrootDirectory {
            guard chroot(chrootDirectory) == 0, chdir("/") == 0 else {
                fail("chroot to '\(chrootDirectory)' failed: \(String(cString: strerror(errno)))")
            }
        }
        if let workingDirectory {
            guard chdir(workingDirectory) == 0 else {
                fail("cannot change to directory '\(workingDirectory)': \(String(cString: strerror(errno)))")
            }
        }

        let origin: DomainName
        do {
            origin = try DomainName(parsing: zoneText.hasSuffix(".") ? zoneText : zoneText + ".")
        } catch {
            fail("invalid zone name '\(zoneText)': \(error)")
        }
        let zoneLabel = "zone \(origin.descriptionWithoutDot)/\(zoneClass)"
        // BIND writes its messages to standard error when the zone goes to standard output.
        let dumpToStdout = dump && (outputPath == nil || outputPath == "-")
        let quiet = quiet
        func message(_ text: String) {
            guard !quiet else { return }
            write(text + "\n", to: dumpToStdout ? 2 : 1)
        }
        func notLoaded() -> Never {
            message("\(zoneLabel): not loaded due to errors.")
            exit(1)
        }
        /// Prints diagnostics and stops with "not loaded" when one of them is an error.
        func report(_ diagnostics: [ZoneDiagnostic]) {
            for diagnostic in diagnostics {
                message(diagnostic.line > 0 ? diagnostic.description : "\(zoneLabel): \(diagnostic.message)")
            }
            if diagnostics.contains(where: { $0.severity == .error }) {
                notLoaded()
            }
        }

        let readPath = filePath == "-" ? "/dev/stdin" : filePath
        let parsed: ParsedZoneFile
        do {
            parsed = try ZoneFileParser.parse(path: readPath, origin: origin, defaultClass: zoneClass, checkNames: checkNames)
        } catch {
            message(error.description)
            notLoaded()
        }
        for warning in parsed.warnings {
            message(warning.line > 0 ? warning.description : "\(zoneLabel): \(warning.message)")
        }
        if let reason = CheckNames.failureReason(parsed.warnings) {
            // As in BIND, a check-names error ends the load before the zone-wide checks.
            message("\(zoneLabel): loading from master file \(readPath) failed: \(reason)")
            notLoaded()
        }

        let checked = ZoneValidator.validate(origin: origin, records: parsed.records, file: readPath,
                                             checkIntegrity: checkIntegrity)
        // BIND checks the NSEC3PARAM RRset first and the DS, CDS and DNSKEY records last.
        // NOTE: BIND prints the deprecated-DS warnings among the NS, MX and SRV warnings, in name
        // order. Here they follow all of them.
        report(ZoneSigningChecks.checkNSEC3Parameters(origin: origin, records: checked.records))
        report(checked.diagnostics)
        report(ZoneSigningChecks.checkKeys(origin: origin, records: checked.records))

        let soa = checked.records.first { $0.type == .soa && $0.owner == origin }.flatMap { SOAData(rdata: $0.rdata) }
        let signedNote = ZoneSigningChecks.isSigned(origin: origin, records: checked.records) ? " (DNSSEC signed)" : ""
        message("\(zoneLabel): loaded serial \(soa?.serial ?? 0)\(signedNote)")

        if dump {
            let text = relativeStyle
                ? ZoneDump.formatRelative(checked.records, fileOrder: parsed.records, origin: origin)
                : ZoneDump.format(checked.records, fileOrder: parsed.records)
            if dumpToStdout {
                write(text, to: 1)
            } else if let outputPath {
                if program == .compile {
                    // BIND's named-compilezone prints this line; its named-checkzone does not.
                    if !quiet { write("dump zone to \(outputPath)...", to: 1) }
                }
                guard let handle = fopen(outputPath, "w") else {
                    fail("cannot write '\(outputPath)': \(String(cString: strerror(errno)))")
                }
                fputs(text, handle)
                guard fclose(handle) == 0 else {
                    fail("writing '\(outputPath)' failed: \(String(cString: strerror(errno)))")
                }
                if program == .compile && !quiet { write("done\n", to: 1) }
            }
        }
        message("OK")
        exit(0)
    }
}
