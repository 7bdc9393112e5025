import Foundation
import TestSupport
import Glibc

/// A swift-named started on a free port in a temporary directory with its own zone file,
/// control socket and statistics channel, for the rndc, reload and statistics tests.
final class OperatedServer {
    let directory: TemporaryDirectory
    let port: UInt16
    let statisticsPort: UInt16
    private(set) var server: ServerProcess!
    var controlSocket: String { directory.url.appendingPathComponent("control").path }
    var zonePath: String { directory.url.appendingPathComponent("example.com.zone").path }

    /// The addresses of `listen-on-v6`, each followed by a semicolon, or `none;`.
    let listenOnV6: String

    /// Starts the server with `zoneText` as example.com and `extraConfig` appended to named.conf.
    init(zoneText: String = OperatedServer.zone(serial: 1, address: "192.0.2.1"), extraConfig: String = "",
         listenOnV6: String = "none;") throws {
        self.listenOnV6 = listenOnV6
        directory = try TemporaryDirectory()
        port = freePort()
        statisticsPort = freePort()
        try directory.write("example.com.zone", zoneText)
        try directory.write("named.conf", configText(extra: extraConfig))
        server = try ServerProcess.swiftNamed(config: "named.conf", directory: directory.url, port: port)
        try server.waitUntilAnswering("example.com")
        // The control socket opens right after the listeners; wait for it as well.
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: controlSocket) && Date() < deadline {
            usleep(20_000)
        }
    }

    deinit {
        server.stop()
    }

    func configText(extra: String = "") -> String {
        """
        options {
            directory "\(directory.url.path)";
            listen-on { 127.0.0.1; };
            listen-on-v6 { \(listenOnV6) };
            recursion no;
            notify no;
            pid-file none;
            statistics-file "named.stats";
        };
        controls { unix "\(controlSocket)" perm 0600 owner \(getuid()) group \(getgid()); };
        statistics-channels { inet 127.0.0.1 port \(statisticsPort) allow { 127.0.0.1; }; };
        zone "example.com" { type primary; file "example.com.zone"; };
        \(extra)
        """
    }

    /// An example.com zone whose `steady` name has `address`.
    static func zone(serial: UInt32, address: String, extra: String = "") -> String {
        """
        $ORIGIN example.com.
        $TTL 300
        @       IN SOA ns1.example.com. hostmaster.example.com. \(serial) 3600 600 86400 300
        @       IN NS  ns1.example.com.
        ns1     IN A   192.0.2.53
        steady  IN A   \(address)
        \(extra)
        """
    }

    func writeZone(_ text: String) throws {
        try directory.write("example.com.zone", text)
    }

    func writeConfig(extra: String) throws {
        try directory.write("named.conf", configText(extra: extra))
    }

    /// Runs the built rndc against this server's socket.
    func rndc(_ arguments: String...) throws -> CommandResult {
        try CommandResult.run(ServerProcess.productsDirectory.appendingPathComponent("rndc"),
                              ["-s", controlSocket] + arguments)
    }

    func dig(_ arguments: String...) throws -> String {
        try Dig.run(["@127.0.0.1", "-p", String(port), "+time=2", "+tries=1"] + arguments)
    }

    /// Runs dig against `address` on the server's port, waiting 1 s for one try.
    func dig(at address: String, _ arguments: String...) throws -> String {
        try Dig.run(["@\(address)", "-p", String(port), "+time=1", "+tries=1"] + arguments)
    }
}

/// The exit status and output of a finished process.
struct CommandResult {
    var status: Int32
    var output: String
    var error: String

    static func run(_ executable: URL, _ arguments: [String], input: String? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let inputPipe = Pipe()
        if input != nil {
            process.standardInput = inputPipe
        }
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                             error: String(decoding: errorData, as: UTF8.self))
    }
}

/// A UDP client socket connected to the server, for queries that the test counts itself.
final class UDPClient: @unchecked Sendable {
    let fd: Int32

    init(port: UInt16, receiveTimeout: Int = 2) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var size: Int32 = 4 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit {
        close(fd)
    }

    /// A query for `name` type A with the given ID and RD clear.
    static func query(id: UInt16, name: String, type: UInt16 = 1) -> [UInt8] {
        var message: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            message.append(UInt8(label.utf8.count))
            message += Array(label.utf8)
        }
        message += [0, UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
        return message
    }

    func send(_ message: [UInt8]) -> Bool {
        message.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) } == message.count
    }

    /// The next datagram, or nil after the receive timeout.
    func receive() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer[0..<count]) : nil
    }
}

/// The parts of an A response that the tests check.
struct AResponse {
    var id: UInt16
    var rcode: UInt8
    var addresses: [String]

    /// Parses a response with an uncompressed question and A records in the answer section.
    init?(_ message: [UInt8]) {
        guard message.count >= 12 else { return nil }
        id = UInt16(message[0]) << 8 | UInt16(message[1])
        rcode = message[3] & 0x0F
        let answers = Int(message[6]) << 8 | Int(message[7])
        var offset = 12
        while offset < message.count && message[offset] != 0 {
            offset += Int(message[offset]) + 1
        }
        offset += 5
        addresses = []
        for _ in 0..<answers {
            guard offset < message.count else { return nil }
            if message[offset] & 0xC0 == 0xC0 {
                offset += 2
            } else {
                while offset < message.count && message[offset] != 0 { offset += Int(message[offset]) + 1 }
                offset += 1
            }
            guard offset + 10 <= message.count else { return nil }
            let type = Int(message[offset]) << 8 | Int(message[offset + 1])
            let length = Int(message[offset + 8]) << 8 | Int(message[offset + 9])
            offset += 10
            guard offset + length <= message.count else { return nil }
            if type == 1 && length == 4 {
                addresses.append(message[offset..<(offset + 4)].map(String.init).joined(separator: "."))
            }
            offset += length
        }
    }
}

/// Fetches `path` from the HTTP server on 127.0.0.1:`port` with curl.
func httpGet(port: UInt16, path: String) throws -> CommandResult {
    try CommandResult.run(URL(fileURLWithPath: "/usr/bin/curl"),
                          ["-s", "-S", "-f", "--max-time", "5", "http://127.0.0.1:\(port)\(path)"])
}

/// Parses Prometheus text with Python's prometheus_client and returns every sample as
/// `name{label="value",...}` (labels sorted) mapped to its value.
func parsePrometheus(_ text: String) throws -> [String: Double] {
    let script = """
        import sys, json
        from prometheus_client.parser import text_string_to_metric_families
        samples = {}
        for family in text_string_to_metric_families(sys.stdin.read()):
            for sample in family.samples:
                labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(sample.labels.items()))
                samples[sample.name + "{" + labels + "}"] = sample.value
        print(json.dumps(samples))
        """
    let result = try CommandResult.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", script], input: text)
    guard result.status == 0 else { throw PrometheusParseError(message: result.error) }
    return try JSONDecoder().decode([String: Double].self, from: Data(result.output.utf8))
}

struct PrometheusParseError: Error, CustomStringConvertible {
    var message: String
    var description: String { "prometheus_client could not parse the metrics: \(message)" }
}

/// A value shared between test threads, guarded by a lock.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
