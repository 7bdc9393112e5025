import NamedConfig
import Dispatch

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
        statistics.countRequest(query, isIPv4: client.isV4, transport: transport)
        guard responder.respond(to: query, from: client, transport: transport, snapshot: snapshot) else {
            statistics.ignoredMessages += 1
            return false
        }
        statistics.countResponse(responder.response)
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
