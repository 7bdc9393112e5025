import NamedConfig
import Dispatch
import Glibc
import Synchronization

/// One serial Dispatch queue with its own responder, snapshot and counters. Every socket
/// source of the worker runs on its queue, so none of its state needs a lock.
public final class Worker: @unchecked Sendable {
    public let queue: DispatchQueue
    let log: Logger
    /// Read and replaced only on `queue`.
    private var snapshot: ServerSnapshot
    var responder = QueryResponder()
    private var prefetcher = LookupPrefetch(capacity: UDPListener.batchSize)
    var statistics = WorkerStatistics()
    /// Blocks that other threads put on `queue` through `run` and `runAndWait` and that have
    /// not started yet.
    private let queuedBlocks = Atomic<Int>(0)
    /// The listeners of the UDP sockets whose read sources run on `queue`, and their
    /// descriptors for poll(2) in the same order. Changed and read on `queue` only.
    private var udpListeners: [UDPListener] = []
    private var pollDescriptors: [pollfd] = []
    /// The index at which the next scan of a poll(2) result starts, so that a busy socket
    /// cannot keep the others waiting.
    private var nextPollIndex = 0
    /// Open TCP connections on this worker. Changed and read on `queue` only.
    var openConnections = 0

    init(index: Int, snapshot: ServerSnapshot, log: Logger) {
        // No QoS class: raising thread priority is not permitted in containers (libdispatch logs
        // EACCES for every worker thread there), and the kernel schedules the sockets fairly.
        queue = DispatchQueue(label: "named.worker.\(index)")
        self.snapshot = snapshot
        self.log = log
    }

    /// Answers one query into `destination` and returns the response length, or 0 when
    /// nothing is to be sent. Runs on `queue` only.
    func answer(_ query: UnsafeRawBufferPointer, into destination: UnsafeMutablePointer<UInt8>, capacity: Int,
                from client: IPAddress, transport: Transport) -> Int {
        statistics.countRequest(query, isIPv4: client.isV4, transport: transport)
        let length = responder.respond(to: query, into: destination, capacity: capacity, from: client,
                                       transport: transport, snapshot: snapshot)
        statistics.countCookie(responder.cookieCheck)
        guard length >= 12 else {
            statistics.ignoredMessages += 1
            return 0
        }
        statistics.countResponse(UnsafeBufferPointer(start: destination, count: length))
        return length
    }

    /// Starts the memory reads of `count` queries' lookups before they are answered (see
    /// `LookupPrefetch`). Runs on `queue` only.
    func prefetch(count: Int, query: (Int) -> UnsafeRawBufferPointer) {
        prefetcher.prefetch(count: count, snapshot: snapshot, query: query)
    }

    /// Sends a zone transfer's messages to `emit`, or returns false when `query` is not one.
    func transferIfRequested(_ query: UnsafeRawBufferPointer, from client: IPAddress,
                             emit: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        guard responder.isTransferRequest(query) else { return false }
        statistics.countRequest(query, isIPv4: client.isV4, transport: .tcp)
        responder.transfer(query, buffer: tcpBuffer, from: client, snapshot: snapshot) { message in
            statistics.countResponse(message)
            emit(message)
        }
        statistics.countCookie(responder.cookieCheck)
        return true
    }

    /// A response buffer for TCP answers, which are copied into the connection's output.
    let tcpBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 65535)

    /// Switches to `newSnapshot` between two queries; queries already being answered finish
    /// on the old one.
    func install(_ newSnapshot: ServerSnapshot) {
        run { self.snapshot = newSnapshot }
    }

    /// Reads the counters on the worker's queue.
    func readStatistics() -> WorkerStatistics {
        runAndWait { statistics }
    }

    /// Runs `block` on `queue`, counted in `queuedBlocks` until it starts.
    func run(_ block: @escaping @Sendable () -> Void) {
        queuedBlocks.add(1, ordering: .relaxed)
        queue.async {
            self.queuedBlocks.subtract(1, ordering: .relaxed)
            block()
        }
    }

    /// Runs `body` on `queue` and returns its result, counted in `queuedBlocks` until it starts.
    func runAndWait<Result>(_ body: () -> Result) -> Result {
        queuedBlocks.add(1, ordering: .relaxed)
        return queue.sync {
            queuedBlocks.subtract(1, ordering: .relaxed)
            return body()
        }
    }

    /// Whether work other than the UDP sockets waits for `queue`: a UDP read handler that has
    /// had its turn then returns, and keeps the queue otherwise, since each return costs a
    /// thread hand-off. The UDP sockets need no turn, because a handler waits on all of them
    /// (`waitForDatagram`). Called on `queue`.
    var queueIsShared: Bool {
        queuedBlocks.load(ordering: .relaxed) > 0 || openConnections > 0
    }

    /// Adds a UDP socket to those `waitForDatagram` watches. Called on `queue`.
    func addUDPListener(_ listener: UDPListener) {
        udpListeners.append(listener)
        pollDescriptors.append(pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0))
    }

    /// Removes a UDP socket before its descriptor is closed. Called on `queue`.
    func removeUDPListener(_ listener: UDPListener) {
        guard let index = udpListeners.firstIndex(where: { $0 === listener }) else { return }
        udpListeners.remove(at: index)
        pollDescriptors.remove(at: index)
    }

    /// Waits up to `milliseconds` for a datagram on any of the worker's UDP sockets. Returns
    /// the listener of a socket with a datagram waiting, or nil. Under steady load the next
    /// query arrives within that time, so the worker keeps reading instead of going back to the
    /// Dispatch sources, whose wake-up (an epoll re-arm and a thread hand-off) costs more than
    /// answering a query. Called on `queue`.
    func waitForDatagram(milliseconds: Int32) -> UDPListener? {
        let count = pollDescriptors.count
        let ready = pollDescriptors.withUnsafeMutableBufferPointer { descriptors in
            poll(descriptors.baseAddress, nfds_t(count), milliseconds)
        }
        guard ready > 0 else { return nil }
        for step in 0..<count {
            let index = (nextPollIndex + step) % count
            if pollDescriptors[index].revents & Int16(POLLIN) != 0 {
                nextPollIndex = (index + 1) % count
                return udpListeners[index]
            }
        }
        return nil
    }
}
