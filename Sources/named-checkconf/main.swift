// named-checkconf: checks named.conf the way BIND's named-checkconf does.
//
//   named-checkconf [-h] [-p] [-z] [-t directory] [filename]
//
// Prints nothing and exits 0 when the configuration is valid. Prints FILE:LINE: MESSAGE
// diagnostics to stderr and exits 1 when it is not. Warnings are printed but do not change
// the exit status.

import Foundation
import NamedConfig

/// The outcome of loading one zone for `-z`.
struct ZoneCheckOutcome {
    /// The SOA serial of the loaded zone, or nil when the check does not read it.
    var serial: UInt32?
    /// The reason the zone failed to load, or nil on success.
    var failure: String?
}

/// Loads the zone file at `path` (already resolved against `directory` and `-t`) for `zone`.
typealias ZoneChecker = (_ zone: ZoneConfiguration, _ path: String) -> ZoneCheckOutcome

// TODO: wire the DNSZone zone-file parser here so that -z parses each file and reports its
// serial and errors. Until then -z only checks that each primary zone's file can be read.
let zoneChecker: ZoneChecker = { _, path in
    if FileManager.default.isReadableFile(atPath: path) {
        return ZoneCheckOutcome(serial: nil, failure: nil)
    }
    let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "file not found"
    return ZoneCheckOutcome(serial: nil, failure: "open: \(path): \(reason)")
}

let usage = """
    usage: named-checkconf [-h] [-p] [-z] [-t directory] [filename]
      -h            print this help and exit
      -p            print the configuration, normalized, to stdout when it is valid
      -z            load every primary zone named in the configuration
      -t directory  read files as if chrooted to directory: absolute paths are prefixed with it
      filename      the configuration file (default /etc/named.conf)

    """

func writeError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

var printConfiguration = false
var loadZones = false
var rootDirectory: String?
var configPath = "/etc/named.conf"
var arguments = CommandLine.arguments.dropFirst()
var sawFilename = false

while let argument = arguments.first {
    arguments = arguments.dropFirst()
    switch argument {
    case "-h":
        print(usage, terminator: "")
        exit(0)
    case "-p":
        printConfiguration = true
    case "-z":
        loadZones = true
    case "-t":
        guard let directory = arguments.first else {
            writeError("named-checkconf: -t requires a directory argument")
            FileHandle.standardError.write(Data(usage.utf8))
            exit(1)
        }
        arguments = arguments.dropFirst()
        rootDirectory = directory
    default:
        if argument.hasPrefix("-") && argument.count > 1 {
            writeError("named-checkconf: unknown option '\(argument)'; see the usage below")
            FileHandle.standardError.write(Data(usage.utf8))
            exit(1)
        }
        if sawFilename {
            writeError("named-checkconf: more than one configuration file given: '\(configPath)' and '\(argument)'")
            exit(1)
        }
        configPath = argument
        sawFilename = true
    }
}

if let rootDirectory {
    // Like named -t, relative paths are then resolved inside the new root.
    guard FileManager.default.changeCurrentDirectoryPath(rootDirectory) else {
        writeError("named-checkconf: cannot change directory to '\(rootDirectory)': not found or not a directory")
        exit(1)
    }
}

let loaded: LoadedConfiguration
do {
    loaded = try ConfigLoader.load(path: configPath, rootDirectory: rootDirectory)
} catch let error as ConfigError {
    for diagnostic in error.diagnostics {
        writeError(diagnostic.description)
    }
    exit(1)
}

for diagnostic in loaded.diagnostics {
    writeError(diagnostic.description)
}

var failed = false
if loadZones {
    let configuration = loaded.configuration
    for zone in configuration.zones where zone.type == .primary {
        guard let file = zone.file else { continue }
        var path = file.hasPrefix("/") ? file : configuration.options.directory + "/" + file
        // The default directory is the working directory, which -t already made the root.
        if let rootDirectory, path.hasPrefix("/"), !path.hasPrefix(FileManager.default.currentDirectoryPath) {
            path = rootDirectory + path
        }
        let outcome = zoneChecker(zone, path)
        let label = "zone \(zone.name)/\(zone.dnsClass)"
        if let failure = outcome.failure {
            writeError("\(label): loading from master file \(file) failed: \(failure)")
            failed = true
        } else if let serial = outcome.serial {
            print("\(label): loaded serial \(serial)")
        }
    }
}

if printConfiguration && !failed {
    print(ConfigPrinter.format(loaded.statements), terminator: "")
}
exit(failed ? 1 : 0)
