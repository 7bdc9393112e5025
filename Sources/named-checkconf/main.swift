// named-checkconf: checks named.conf the way BIND's named-checkconf does.
//
//   named-checkconf [-h] [-p] [-z] [-t directory] [filename]
//
// Without -z, prints nothing and exits 0 when the configuration is valid. Prints FILE:LINE: MESSAGE
// diagnostics and exits 1 when it is not. Warnings are printed but do not change the exit
// status. Diagnostics and -z results go to standard output, as in BIND 9.18's named-checkconf,
// so that they can be piped. Only command-line usage errors go to standard error.

import Foundation
import NamedConfig

let usage = """
    usage: named-checkconf [-h] [-p] [-z] [-t directory] [filename]
      -h            print this help and exit
      -p            print the configuration, normalized, to stdout when it is valid
      -z            load every primary zone named in the configuration, views included
      -t directory  read files as if chrooted to directory: absolute paths are prefixed with it
      filename      the configuration file (default /etc/named.conf)

    """

func writeError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints a diagnostic or a zone result to standard output, where BIND 9.18 prints them.
func report(_ text: String) {
    print(text)
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

if let root = rootDirectory {
    // Paths are prefixed with the root after the directory change, so it must be absolute.
    if !root.hasPrefix("/") {
        rootDirectory = FileManager.default.currentDirectoryPath + "/" + root
    }
    // Like named -t, relative paths are then resolved inside the new root.
    guard FileManager.default.changeCurrentDirectoryPath(root) else {
        writeError("named-checkconf: cannot change directory to '\(root)': not found or not a directory")
        exit(1)
    }
}

// When named.conf sets no `directory`, the loader uses this directory in its place.
let startDirectory = FileManager.default.currentDirectoryPath

let loaded: LoadedConfiguration
do {
    loaded = try ConfigLoader.load(path: configPath, rootDirectory: rootDirectory)
} catch let error as ConfigError {
    for diagnostic in error.diagnostics {
        report(diagnostic.description)
    }
    exit(1)
}

for diagnostic in loaded.diagnostics {
    report(diagnostic.description)
}

var failed = false
if loadZones {
    let configuration = loaded.configuration
    // As BIND does, work in `directory` so that relative zone file names and relative
    // $INCLUDE names inside the zone files resolve there.
    let directory = configuration.options.directory
    if !directory.isEmpty && directory != startDirectory {
        let target = directory.hasPrefix("/") ? (rootDirectory ?? "") + directory : directory
        guard FileManager.default.changeCurrentDirectoryPath(target) else {
            let reason = FileManager.default.fileExists(atPath: target) ? "not a directory or not accessible" : "not found"
            report("\(configPath): change directory to '\(target)' (options directory) failed: \(reason); create it or correct 'directory'")
            exit(1)
        }
    }
    // NOTE: with -t, absolute zone file names get the root prefix, but absolute $INCLUDE names
    // inside zone files do not, because the zone parser opens them itself.
    //
    // BIND 9.18 also reads the file of each hint zone here and fails when it is missing.
    // swift-named never uses root hints, so hint zones are skipped.
    for zone in configuration.zones where zone.type == .primary {
        guard let file = zone.file else { continue }
        let path = file.hasPrefix("/") ? (rootDirectory ?? "") + file : file
        let result = checkZone(zone, path: path, primaryCheckNames: configuration.options.checkNamesPrimary)
        for line in result.lines {
            report(line)
        }
        if !result.loaded {
            failed = true
        }
    }
}

if printConfiguration && !failed {
    print(ConfigPrinter.format(loaded.statements), terminator: "")
}
exit(failed ? 1 : 0)
