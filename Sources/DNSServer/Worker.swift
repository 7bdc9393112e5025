import NamedConfig
import Dispatch

/// Counters kept by one worker, touched only on its queue, so they need no locks.
public struct WorkerStatistics: Sendable {
    public var udpQueries = 0
    public var tcpQueries = 0
    public var droppedResponses = 0
    public var truncatedResponses = 0
    public var rcodes = [Int](repeating: 0, count: 16)

    public init() {}

    public mutating func add(_ other: WorkerStatistics) {
        udpQueries += other.udpQueries
        tcpQueries += other.tcpQueries
        droppedResponses += other.droppedResponses
        truncatedResponses += other.truncatedResponses
        for i in 0..<16 {
            rcodes[i] += other.rcodes[i]
        }
    }
}

/// One serial Dispatch queue with its own responder, snapshot and counters. Every socket
/// source of the worker runs on its queue, so none of its state needs a lock.
public final class Worker: @unchecked Sendable {
    public let queue: DispatchQueue
    let log: Logger
    /// Read and replaced only on `queue`.
    private var snapshot: ServerSnapshot
    var responder = QueryResponder()
    var statistics = WorkerStatistics()

    init(index: Int, snapshot: ServerSnapshot, log: Logger) {
        queue = DispatchQueue(label: "named.worker.\(index)", qos: .userInteractive)
        self.snapshot = snapshot
        self.log = log
    }

    /// Answers one query into `destination` and returns the response length, or 0 when
    /// nothing is to be sent. Runs on `queue` only.
    func answer(_ query: UnsafeRawBufferPointer, into destination: UnsafeMutablePointer<UInt8>, capacity: Int,
                from client: IPAddress, transport: Transport) -> Int {
        switch transport {
        case .udp: statistics.udpQueries += 1
        case .tcp: statistics.tcpQueries += 1
        }
        let length = responder.respond(to: query, into: destination, capacity: capacity, from: client,
                                       transport: transport, snapshot: snapshot)
        guard length >= 12 else { return 0 }
        statistics.rcodes[Int(destination[3] & 0x0F)] += 1
        if destination[2] & 0x02 != 0 {
            statistics.truncatedResponses += 1
        }
        return length
    }

    /// A response buffer for TCP answers, which are copied into the connection's output.
    let tcpBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 65535)

    /// Switches to `newSnapshot` between two queries; queries already being answered finish
    /// on the old one.
    func install(_ newSnapshot: ServerSnapshot) {
        queue.async { self.snapshot = newSnapshot }
    }

    /// Reads the counters on the worker's queue.
    func readStatistics() -> WorkerStatistics {
        queue.sync { statistics }
    }
}
