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

    /// Answers one query into `responder.response`. Returns false when nothing is to be sent.
    func answer(_ query: [UInt8], from client: IPAddress, transport: Transport) -> Bool {
        switch transport {
        case .udp: statistics.udpQueries += 1
        case .tcp: statistics.tcpQueries += 1
        }
        guard responder.respond(to: query, from: client, transport: transport, snapshot: snapshot) else {
            return false
        }
        let response = responder.response
        statistics.rcodes[Int(response[3] & 0x0F)] += 1
        if response[2] & 0x02 != 0 {
            statistics.truncatedResponses += 1
        }
        return true
    }

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
