// named-checkzone: reads one zone file, runs BIND's load-time checks and reports the result
// with BIND 9.18's messages and exit codes (0 when the zone loads, 1 otherwise).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DNSWire
import DNSZone

let usage = """
    usage: named-checkzone [-qvD] [-c class] [-i (full|local|none)] [-k (ignore|warn|fail)] [-o filename] [-s (full|relative)] [-t directory] [-w directory] zonename filename
      -q            print nothing; the exit code gives the result
      -v            print the version and exit
      -D            print the zone in canonical form (to standard output, or to the -o file)
      -o filename   write the -D output to this file ('-' for standard output)
      -s style      style of the -D output: full (one record per line, absolute names; the default)
                    or relative (relative names, $ORIGIN and $TTL lines, long records over several lines)
      -c class      zone class (default IN)
      -i mode       integrity checks of NS, MX and SRV targets: full, local (the same here) or none
      -k mode       check-names: what a bad host name is (fail: an error, warn: a warning, the default; ignore)
      -t directory  chroot to this directory before reading the file
      -w directory  change to this directory before reading the file
    """

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

func fail(_ message: String) -> Never {
    write("named-checkzone: \(message)\n", to: 2)
    exit(1)
}

var quiet = false
var dump = false
var relativeStyle = false
var outputPath: String? = nil
var zoneClass = RRClass.in
var checkIntegrity = true
var checkNames = CheckNamesMode.warn
var chrootDirectory: String? = nil
var workingDirectory: String? = nil
var operands: [String] = []

var arguments = Array(CommandLine.arguments.dropFirst())
var argumentIndex = 0
@MainActor func optionValue(_ option: String) -> String {
    argumentIndex += 1
    guard argumentIndex < arguments.count else {
        write("named-checkzone: option \(option) needs a value\n\(usage)\n", to: 2)
        exit(1)
    }
    return arguments[argumentIndex]
}
while argumentIndex < arguments.count {
    let argument = arguments[argumentIndex]
    if argument.hasPrefix("-"), argument.count > 1, operands.isEmpty {
        switch argument {
        case "-q": quiet = true
        case "-D": dump = true
        case "-v":
            write(swiftNamedVersion + "\n", to: 1)
            exit(0)
        case "-s":
            let style = optionValue(argument)
            switch style {
            case "full": relativeStyle = false
            case "relative": relativeStyle = true
            default: fail("invalid -s style '\(style)': expected full or relative")
            }
        case "-o": outputPath = optionValue(argument)
        case "-c":
            let text = optionValue(argument)
            guard let value = RRClass(mnemonic: text) else { fail("invalid class '\(text)': expected IN, CH or HS") }
            zoneClass = value
        case "-i":
            let mode = optionValue(argument)
            switch mode {
            case "full", "local", "full-sibling", "local-sibling": checkIntegrity = true
            case "none": checkIntegrity = false
            default: fail("invalid -i mode '\(mode)': expected full, local or none")
            }
        case "-k":
            let mode = optionValue(argument)
            guard let value = CheckNamesMode(rawValue: mode) else { fail("invalid -k mode '\(mode)': expected fail, warn or ignore") }
            checkNames = value
        case "-t": chrootDirectory = optionValue(argument)
        case "-w": workingDirectory = optionValue(argument)
        case "-h", "--help":
            write(usage + "\n", to: 1)
            exit(0)
        default:
            write("named-checkzone: unknown option '\(argument)'\n\(usage)\n", to: 2)
            exit(1)
        }
    } else {
        operands.append(argument)
    }
    argumentIndex += 1
}
guard operands.count == 2 else {
    write("\(usage)\n", to: 2)
    exit(1)
}

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

let zoneText = operands[0]
let filePath = operands[1]
let origin: DomainName
do {
    origin = try DomainName(parsing: zoneText.hasSuffix(".") ? zoneText : zoneText + ".")
} catch {
    fail("invalid zone name '\(zoneText)': \(error)")
}
let zoneLabel = "zone \(origin.descriptionWithoutDot)/\(zoneClass)"

// BIND writes its messages to standard error when the dump goes to standard output.
let dumpToStdout = dump && (outputPath == nil || outputPath == "-")
@MainActor func message(_ text: String) {
    guard !quiet else { return }
    if dumpToStdout {
        write(text + "\n", to: 2)
    } else {
        write(text + "\n", to: 1)
    }
}
@MainActor func notLoaded() -> Never {
    message("\(zoneLabel): not loaded due to errors.")
    exit(1)
}

let parsed: ParsedZoneFile
do {
    parsed = try ZoneFileParser.parse(path: filePath, origin: origin, defaultClass: zoneClass, checkNames: checkNames)
} catch {
    message(error.description)
    notLoaded()
}
for warning in parsed.warnings {
    message(warning.line > 0 ? warning.description : "\(zoneLabel): \(warning.message)")
}
if let reason = CheckNames.failureReason(parsed.warnings) {
    // As in BIND, a check-names error ends the load before the zone-wide checks.
    message("\(zoneLabel): loading from master file \(filePath) failed: \(reason)")
    notLoaded()
}

/// Prints diagnostics and stops with "not loaded" when one of them is an error.
@MainActor func report(_ diagnostics: [ZoneDiagnostic]) {
    for diagnostic in diagnostics {
        message(diagnostic.line > 0 ? diagnostic.description : "\(zoneLabel): \(diagnostic.message)")
    }
    if diagnostics.contains(where: { $0.severity == .error }) {
        notLoaded()
    }
}

let checked = ZoneValidator.validate(origin: origin, records: parsed.records, file: filePath, checkIntegrity: checkIntegrity)
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
        guard let handle = fopen(outputPath, "w") else {
            fail("cannot write '\(outputPath)': \(String(cString: strerror(errno)))")
        }
        fputs(text, handle)
        fclose(handle)
    }
}
message("OK")
exit(0)
