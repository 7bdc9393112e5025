import NamedConfig
import Dispatch
import Glibc

/// Accepts TCP connections on one socket and hands each to a worker, round robin.
final class TCPListener: @unchecked Sendable {
    let fd: Int32
    let address: String
    private let workers: [Worker]
    private let limits: TCPLimits
    private let queue = DispatchQueue(label: "named.tcp.accept")
    private var source: DispatchSourceRead?
    private var nextWorker = 0
    private let connections: TCPConnectionCount

    init(fd: Int32, address: String, workers: [Worker], limits: TCPLimits, connections: TCPConnectionCount) {
        self.fd = fd
        self.address = address
        self.workers = workers
        self.limits = limits
        self.connections = connections
    }

    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [self] in acceptPending() }
        source.setCancelHandler { [fd] in close(fd) }
        self.source = source
        source.resume()
    }

    func stop() {
        source?.cancel()
        source = nil
    }

    private func acceptPending() {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept(fd, $0, &length)
                }
            }
            if client < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK {
                    workers[0].log.error("TCP accept on \(address) failed: \(String(cString: strerror(errno)))")
                }
                return
            }
            guard (try? Sockets.setNonBlocking(client)) != nil,
                connections.tryOpen(limit: limits.maxClients)
            else {
                // Over tcp-clients: close at once rather than let queries wait.
                close(client)
                continue
            }
            let worker = workers[nextWorker % workers.count]
            nextWorker += 1
            let connection = TCPConnection(fd: client, client: SocketAddress.clientAddress(of: storage),
                                           worker: worker, limits: limits, connections: connections)
            // The connection's state is touched only on its worker's queue, from the start.
            worker.run { connection.start() }
        }
    }
}

/// Limits for TCP clients (BIND's `tcp-clients` and `tcp-idle-timeout`).
struct TCPLimits: Sendable {
    var maxClients = 150
    /// Seconds a connection may stay silent before the server closes it.
    var idleTimeout = 30
}

/// The number of open TCP connections across all listeners.
final class TCPConnectionCount: @unchecked Sendable {
    private let lock = DispatchQueue(label: "named.tcp.count")
    private var open = 0

    func tryOpen(limit: Int) -> Bool {
        lock.sync {
            guard open < limit else { return false }
            open += 1
            return true
        }
    }

    func closed() {
        lock.sync { open -= 1 }
    }

    var current: Int { lock.sync { open } }
}

/// One client connection: two-byte length framing (RFC 1035 section 4.2.2), any number of
/// pipelined queries answered in order (RFC 7766 section 6.2.1), closed after the idle timeout.
final class TCPConnection: @unchecked Sendable {
    private let fd: Int32
    private let client: IPAddress
    private let worker: Worker
    private let limits: TCPLimits
    private let connections: TCPConnectionCount
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var idleTimer: DispatchSourceTimer?
    private var input: [UInt8] = []
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closed = false
    private var lastActivity = DispatchTime.now()
    /// True once the client has shut down its side; the server closes after sending what is left.
    private var peerFinished = false
    /// Read and write sources on `fd` whose cancel handler has not run yet. The descriptor is
    /// closed only when this is 0. A number closed under a live source can go to the next
    /// connection while Dispatch still keeps the old registration, and that connection's
    /// source then never fires.
    private var liveSources = 0
    private var descriptorClosed = false

    init(fd: Int32, client: IPAddress, worker: Worker, limits: TCPLimits, connections: TCPConnectionCount) {
        self.fd = fd
        self.client = client
        self.worker = worker
        self.limits = limits
        self.connections = connections
    }

    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: worker.queue)
        source.setEventHandler { [self] in readAvailable() }
        source.setCancelHandler { [self] in sourceEnded() }
        liveSources += 1
        worker.openConnections += 1
        readSource = source
        source.resume()

        let timer = DispatchSource.makeTimerSource(queue: worker.queue)
        let interval = DispatchTimeInterval.seconds(max(1, limits.idleTimeout / 4))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [self] in
            let idle = DispatchTime.now().uptimeNanoseconds - lastActivity.uptimeNanoseconds
            if idle > UInt64(limits.idleTimeout) * 1_000_000_000 {
                shutdown()
            }
        }
        idleTimer = timer
        timer.resume()
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while !closed {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                input.append(contentsOf: chunk[0..<count])
                lastActivity = .now()
                continue
            }
            if count == 0 {
                peerFinished = true
                readSource?.cancel()
                readSource = nil
                break
            }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { break }
            shutdown()
            return
        }
        answerFramedQueries()
        flush()
    }

    private func answerFramedQueries() {
        var offset = 0
        while input.count - offset >= 2 {
            let length = Int(input[offset]) << 8 | Int(input[offset + 1])
            guard input.count - offset - 2 >= length else { break }
            let start = offset + 2
            offset += 2 + length
            let transferred = input.withUnsafeBytes { bytes in
                worker.transferIfRequested(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]),
                                           from: client) { message in
                    output.append(UInt8(message.count >> 8))
                    output.append(UInt8(message.count & 0xFF))
                    output.append(contentsOf: message)
                }
            }
            if transferred { continue }
            let responseLength = input.withUnsafeBytes { bytes in
                worker.answer(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]), into: worker.tcpBuffer,
                              capacity: 65535, from: client, transport: .tcp)
            }
            if responseLength > 0 {
                output.append(UInt8(responseLength >> 8))
                output.append(UInt8(responseLength & 0xFF))
                output.append(contentsOf: UnsafeBufferPointer(start: worker.tcpBuffer, count: responseLength))
            }
        }
        if offset > 0 {
            input.removeFirst(offset)
        }
    }

    private func flush() {
        while outputOffset < output.count && !closed {
            let count = output.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + outputOffset, raw.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                outputOffset += count
                continue
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                waitUntilWritable()
                return
            }
            shutdown()
            return
        }
        output.removeAll(keepingCapacity: true)
        outputOffset = 0
        if peerFinished {
            shutdown()
        }
    }

    private func waitUntilWritable() {
        guard writeSource == nil else { return }
        let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: worker.queue)
        source.setEventHandler { [self] in
            writeSource?.cancel()
            writeSource = nil
            flush()
        }
        source.setCancelHandler { [self] in sourceEnded() }
        liveSources += 1
        writeSource = source
        source.resume()
    }

    private func shutdown() {
        guard !closed else { return }
        closed = true
        readSource?.cancel()
        writeSource?.cancel()
        idleTimer?.cancel()
        readSource = nil
        writeSource = nil
        idleTimer = nil
        connections.closed()
        worker.openConnections -= 1
        closeDescriptorIfUnused()
    }

    /// Runs on the worker's queue when a read or write source has been cancelled.
    private func sourceEnded() {
        liveSources -= 1
        closeDescriptorIfUnused()
    }

    private func closeDescriptorIfUnused() {
        guard closed, liveSources == 0, !descriptorClosed else { return }
        descriptorClosed = true
        close(fd)
    }
}
