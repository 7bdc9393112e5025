import Glibc

/// The framing of the control channel that `rndc` and `named` speak over a Unix stream socket.
///
/// One connection carries one request and one response. Each is a frame: a 4-byte big-endian
/// length, then that many bytes of payload.
///
/// - Request payload: the command line as UTF-8, words separated by spaces
///   (`reload example.com IN`).
/// - Response payload: one status byte (`0` success, `1` failure), then UTF-8 text. On failure
///   the text's first line is the short result (`failure`, `not found`, `unknown command`) and
///   the remaining lines give the detail, which rndc prints as BIND's rndc does.
///
/// A frame longer than `maximumFrameLength` is rejected and the connection is closed.
public enum ControlProtocol {
    public static let maximumFrameLength = 1 << 20
    /// Seconds a peer may take to send or receive its frame.
    public static let ioTimeout = 10

    public struct Response: Sendable, Equatable {
        public var succeeded: Bool
        public var text: String

        public init(succeeded: Bool, text: String) {
            self.succeeded = succeeded
            self.text = text
        }

        public static func success(_ text: String = "") -> Response { Response(succeeded: true, text: text) }

        /// A failure with BIND's short `result` and a detail text.
        public static func failure(_ result: String, _ detail: String = "") -> Response {
            Response(succeeded: false, text: detail.isEmpty ? result : result + "\n" + detail)
        }

        var payload: [UInt8] { [succeeded ? 0 : 1] + Array(text.utf8) }

        init(payload: [UInt8]) {
            succeeded = payload.first == 0
            text = String(decoding: payload.dropFirst(), as: UTF8.self)
        }
    }

    public static func frame(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + payload
    }

    /// The payload of the first complete frame in `buffer`, nil when more bytes are needed.
    /// Throws when the announced length exceeds `maximumFrameLength`.
    static func payload(in buffer: [UInt8]) throws -> [UInt8]? {
        guard buffer.count >= 4 else { return nil }
        let length = Int(buffer[0]) << 24 | Int(buffer[1]) << 16 | Int(buffer[2]) << 8 | Int(buffer[3])
        guard length <= maximumFrameLength else { throw ControlError("frame of \(length) bytes exceeds the limit of \(maximumFrameLength)") }
        guard buffer.count >= 4 + length else { return nil }
        return Array(buffer[4..<(4 + length)])
    }

    /// Connects to the socket at `path`, sends `command` and returns the response.
    /// Throws `ControlError` with the system error when the server cannot be reached.
    public static func send(_ command: String, to path: String) throws -> Response {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ControlError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: ioTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard var address = UnixSocketAddress(path: path) else {
            throw ControlError("connect failed: \(path): the path is longer than 107 bytes")
        }
        let connected = address.withSockaddr { connect(fd, $0, $1) }
        guard connected == 0 else {
            throw ControlError("connect failed: \(path): \(String(cString: strerror(errno)))")
        }
        guard writeAllBytes(fd, frame(Array(command.utf8))) else {
            throw ControlError("send failed: \(path): \(String(cString: strerror(errno)))")
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let payload = try payload(in: buffer) {
                return Response(payload: payload)
            }
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw ControlError("timed out after \(ioTimeout) seconds waiting for the response on \(path)")
            }
            guard count > 0 else {
                throw ControlError("connection to \(path) closed before the response was complete")
            }
            buffer += chunk[0..<count]
        }
    }
}

/// A failure to reach or talk to the control channel.
public struct ControlError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Writes every byte, retrying after EINTR and short writes. Returns false on error.
func writeAllBytes(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return false }
        offset += written
    }
    return true
}

/// A `sockaddr_un` for a filesystem path.
struct UnixSocketAddress {
    var storage = sockaddr_un()

    init?(path: String) {
        storage.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: storage.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { return nil }
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
    }

    mutating func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}
