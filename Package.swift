// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-named",
    products: [
        .executable(name: "named", targets: ["named"]),
        .executable(name: "rndc", targets: ["rndc"]),
        .executable(name: "named-checkconf", targets: ["named-checkconf"]),
        .executable(name: "named-checkzone", targets: ["named-checkzone"]),
        .executable(name: "named-compilezone", targets: ["named-compilezone"]),
    ],
    targets: [
        // libsystemd through pkg-config (Debian: libsystemd-dev).
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // recvmmsg/sendmmsg wrappers: they need _GNU_SOURCE, which Swift's Glibc module cannot see.
        .target(name: "CNetShim"),

        .target(name: "DNSWire"),
        .target(name: "DNSZone", dependencies: ["DNSWire"]),
        .target(name: "NamedConfig", dependencies: ["DNSWire"]),
        .target(name: "Systemd", dependencies: ["CSystemd"]),
        .target(
            name: "DNSServer",
            dependencies: ["DNSWire", "DNSZone", "NamedConfig", "Systemd", "CNetShim"]
        ),

        .executableTarget(name: "named", dependencies: ["DNSServer", "DNSWire", "Systemd", "CNetShim"]),
        .executableTarget(name: "rndc", dependencies: ["DNSServer"]),
        .executableTarget(name: "named-checkconf", dependencies: ["NamedConfig", "DNSZone", "DNSWire"]),
        // named-checkzone and named-compilezone are one command with two names, as in BIND.
        .target(name: "ZoneCheckCommand", dependencies: ["DNSZone", "DNSWire"]),
        .executableTarget(name: "named-checkzone", dependencies: ["ZoneCheckCommand"]),
        .executableTarget(name: "named-compilezone", dependencies: ["ZoneCheckCommand"]),

        .testTarget(name: "DNSWireTests", dependencies: ["DNSWire"]),
        // Helpers that several test targets share: free ports, running BIND's tools offline.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The command tests run the built named-checkzone next to Debian's.
        .testTarget(name: "DNSZoneTests", dependencies: ["DNSZone", "named-checkzone", "named-compilezone", "TestSupport"]),
        // The fixtures are read from the source tree by path; the executable is run by the CLI tests.
        .testTarget(
            name: "NamedConfigTests",
            dependencies: ["NamedConfig", "named-checkconf", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        // The server tests start the built executables, so they depend on them.
        .testTarget(
            name: "DNSServerTests",
            dependencies: ["DNSServer", "named", "rndc", "named-checkconf", "named-checkzone", "TestSupport"]
        ),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd", "systemd-probe"]),
        // The child process SystemdTests starts with systemd's environment and descriptors.
        .executableTarget(
            name: "systemd-probe",
            dependencies: ["Systemd"],
            path: "Tests/SystemdProbe"
        ),
        .testTarget(
            name: "InteropTests",
            dependencies: ["DNSWire", "DNSServer", "named", "named-checkzone", "TestSupport"]
        ),
    ]
)
