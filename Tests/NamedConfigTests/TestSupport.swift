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

    /// The RFC 1912 zones file in the shape current RHEL bind packages install.
    static let rfc1912Zones = """
        // Zones for the loopback names and addresses (RFC 1912 section 4.1),
        // laid out as a RHEL bind package installs them.

        zone "localhost.localdomain" IN {
        \ttype primary;
        \tfile "named.localhost";
        \tallow-update { none; };
        };

        zone "localhost" IN {
        \ttype primary;
        \tfile "named.localhost";
        \tallow-update { none; };
        };

        zone "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa" IN {
        \ttype primary;
        \tfile "named.loopback";
        \tallow-update { none; };
        };

        zone "1.0.0.127.in-addr.arpa" IN {
        \ttype primary;
        \tfile "named.loopback";
        \tallow-update { none; };
        };

        zone "0.in-addr.arpa" IN {
        \ttype primary;
        \tfile "named.empty";
        \tallow-update { none; };
        };

        """

    /// The root trust anchor file in the statement form RHEL installs as /etc/named.root.key:
    /// KSK-2017 (key tag 20326, algorithm 8) as a SHA-256 DS digest.
    static let rootKey = """
        /* Trust anchor for the root zone. */
        trust-anchors {
        \t# KSK-2017
        \t"." initial-ds 20326 8 2
        \t\t"E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";
        };

        """

    /// The system-wide crypto policy snippet that Fedora and RHEL include in options.
    static let cryptoPolicy = """
        disable-algorithms "." {
        RSAMD5;
        DSA;
        };
        disable-ds-digests "." {
        GOST;
        };

        """

    /// Creates a root directory holding `/etc/named.conf` (from the fixture `configName`) and
    /// the files it includes, for loading with `rootDirectory`.
    static func rhelRoot(configName: String, rfc1912Zones: String = rfc1912Zones) throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        try root.write("etc/named.conf", try text(configName))
        try root.write("etc/named.rfc1912.zones", rfc1912Zones)
        try root.write("etc/named.root.key", rootKey)
        try root.write("etc/crypto-policies/back-ends/bind.config", cryptoPolicy)
        return root
    }
}
