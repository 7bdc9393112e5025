#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// Sockets handed over by the service manager (socket activation, see
/// sd_listen_fds(3)): descriptors 3, 4, ... as announced by `LISTEN_FDS`
/// and `LISTEN_PID`, named by `FileDescriptorName=` through `LISTEN_FDNAMES`.
public enum SocketActivation {
    /// The transport of a passed socket.
    public enum Transport: Sendable, Equatable {
        /// A datagram socket (`ListenDatagram=`), UDP for an IP address.
        case udp
        /// A listening stream socket (`ListenStream=`), TCP for an IP address.
        case tcp
        /// Anything else: a FIFO, a non-listening stream socket, a netlink socket...
        case other
    }

    /// One descriptor passed by the service manager.
    public struct ListenSocket: Sendable, Equatable {
        /// The descriptor number, 3 or higher. The process owns it from now on.
        public var fileDescriptor: Int32
        /// `FileDescriptorName=` from the socket unit, or `unknown` when none was set.
        public var name: String
        public var transport: Transport
        /// `AF_INET`, `AF_INET6`, `AF_UNIX`, or `AF_UNSPEC` when the descriptor is no socket.
        public var family: Int32
        /// The bound address in numeric form (`0.0.0.0`, `::1`), or `nil` for a non-IP socket.
        public var address: String?
        /// The bound port in host byte order, or `nil` for a non-IP socket.
        public var port: UInt16?

        public init(
            fileDescriptor: Int32, name: String, transport: Transport,
            family: Int32, address: String?, port: UInt16?
        ) {
            self.fileDescriptor = fileDescriptor
            self.name = name
            self.transport = transport
            self.family = family
            self.address = address
            self.port = port
        }
    }

    /// Returns the sockets passed to this process, or an empty array when the
    /// process was not socket-activated (`LISTEN_PID` unset or another process's).
    ///
    /// When `unsetEnvironment` is true, `LISTEN_FDS`, `LISTEN_PID` and
    /// `LISTEN_FDNAMES` are removed, so that child processes do not claim the
    /// sockets too. libsystemd marks every passed descriptor close-on-exec.
    public static func listenFileDescriptors(
        unsetEnvironment: Bool = true
    ) throws(SystemdError) -> [ListenSocket] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        let count = sd_listen_fds_with_names(unsetEnvironment ? 1 : 0, &names)
        if count < 0 {
            throw .listenFileDescriptorsFailed(errno: -count)
        }
        defer { freeNames(names) }

        var sockets: [ListenSocket] = []
        for index in 0..<Int(count) {
            let fileDescriptor = SD_LISTEN_FDS_START + Int32(index)
            var name = "unknown"
            if let names, let cName = names[index] {
                name = String(cString: cName)
            }
            sockets.append(describe(fileDescriptor: fileDescriptor, name: name))
        }
        return sockets
    }

    /// Classifies one descriptor with `sd_is_socket` and reads its address with `getsockname`.
    public static func describe(fileDescriptor: Int32, name: String) -> ListenSocket {
        var transport = Transport.other
        if sd_is_socket(fileDescriptor, AF_UNSPEC, Int32(SOCK_DGRAM.rawValue), -1) > 0 {
            transport = .udp
        } else if sd_is_socket(fileDescriptor, AF_UNSPEC, Int32(SOCK_STREAM.rawValue), 1) > 0 {
            transport = .tcp
        }

        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(fileDescriptor, $0, &length) == 0
            }
        }
        guard named else {
            return ListenSocket(
                fileDescriptor: fileDescriptor, name: name, transport: .other,
                family: AF_UNSPEC, address: nil, port: nil)
        }

        let family = Int32(storage.ss_family)
        let (address, port) = numericAddress(of: &storage, family: family)
        if address == nil, transport != .other {
            // A datagram or stream socket outside IP (AF_UNIX, say) is neither UDP nor TCP.
            transport = .other
        }
        return ListenSocket(
            fileDescriptor: fileDescriptor, name: name, transport: transport,
            family: family, address: address, port: port)
    }

    private static func numericAddress(
        of storage: inout sockaddr_storage, family: Int32
    ) -> (String?, UInt16?) {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch family {
        case AF_INET:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var raw = address.pointee.sin_addr
                    inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                    return (decodeNullTerminated(text), UInt16(bigEndian: address.pointee.sin_port))
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var raw = address.pointee.sin6_addr
                    inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                    return (decodeNullTerminated(text), UInt16(bigEndian: address.pointee.sin6_port))
                }
            }
        default:
            return (nil, nil)
        }
    }

    private static func decodeNullTerminated(_ characters: [CChar]) -> String {
        let bytes = characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func freeNames(_ names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) {
        guard let names else { return }
        // sd_listen_fds_with_names returns a NULL-terminated strv: free each entry, then the array.
        var index = 0
        while let entry = names[index] {
            free(entry)
            index += 1
        }
        free(names)
    }
}
