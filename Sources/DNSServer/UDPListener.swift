import CNetShim
import Dispatch
import Glibc

/// Reads queries from one UDP socket in batches with recvmmsg and sends the answers in
/// batches with sendmmsg, on its worker's serial queue.
///
/// Buffers are allocated once per listener. The responder reads each query in place in its
/// receive buffer and writes the response straight into the matching send buffer.
final class UDPListener: @unchecked Sendable {
    /// Datagrams read per recvmmsg call.
    static let batchSize = 32
    /// Receive buffer per datagram. A query longer than this is dropped (MSG_TRUNC).
    static let receiveBufferSize = 4096
    /// How long a worker keeps waiting on its sockets after they ran dry, in milliseconds.
    static let lingerMilliseconds: Int32 = 1
    /// How long one call of the read handler may keep its worker, in nanoseconds, when other
    /// work waits for the worker's queue (`Worker.queueIsShared`: TCP connections, a reloaded
    /// zone, statistics reads). That work waits at most this long, plus one batch, behind a
    /// steady stream of UDP queries.
    static let turnNanoseconds: UInt64 = 2_000_000
    /// Send buffer per datagram: the largest `max-udp-size` BIND accepts.
    static let sendBufferSize = 4096

    let fd: Int32
    let address: String
    private let worker: Worker
    private var source: DispatchSourceRead?

    private let receiveBuffers: UnsafeMutableRawPointer
    private let sendBuffers: UnsafeMutableRawPointer
    private let addresses: UnsafeMutablePointer<sockaddr_storage>
    private let receiveVectors: UnsafeMutablePointer<iovec>
    private let sendVectors: UnsafeMutablePointer<iovec>
    private let receiveHeaders: UnsafeMutablePointer<cns_mmsghdr>
    private let sendHeaders: UnsafeMutablePointer<cns_mmsghdr>

    init(fd: Int32, address: String, worker: Worker) {
        self.fd = fd
        self.address = address
        self.worker = worker
        let count = Self.batchSize
        receiveBuffers = .allocate(byteCount: count * Self.receiveBufferSize, alignment: 16)
        sendBuffers = .allocate(byteCount: count * Self.sendBufferSize, alignment: 16)
        addresses = .allocate(capacity: count)
        receiveVectors = .allocate(capacity: count)
        sendVectors = .allocate(capacity: count)
        receiveHeaders = .allocate(capacity: count)
        sendHeaders = .allocate(capacity: count)
    }

    deinit {
        receiveBuffers.deallocate()
        sendBuffers.deallocate()
        addresses.deallocate()
        receiveVectors.deallocate()
        sendVectors.deallocate()
        receiveHeaders.deallocate()
        sendHeaders.deallocate()
    }

    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: worker.queue)
        source.setEventHandler { [self] in drain() }
        source.setCancelHandler { [fd] in close(fd) }
        self.source = source
        // Queued before the source can fire, so the worker's poll set has the socket by then.
        worker.run { [self] in worker.addUDPListener(self) }
        source.resume()
    }

    func stop() {
        guard let source else { return }
        // Queued before the cancel handler that closes the descriptor, so the worker never
        // polls a closed descriptor.
        worker.run { [self] in worker.removeUDPListener(self) }
        source.cancel()
        self.source = nil
    }

    private func prepareReceiveHeaders() {
        for i in 0..<Self.batchSize {
            receiveVectors[i] = iovec(iov_base: receiveBuffers + i * Self.receiveBufferSize,
                                      iov_len: Self.receiveBufferSize)
            var header = cns_mmsghdr()
            header.msg_hdr.msg_name = UnsafeMutableRawPointer(addresses + i)
            header.msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            header.msg_hdr.msg_iov = receiveVectors + i
            header.msg_hdr.msg_iovlen = 1
            receiveHeaders[i] = header
        }
    }

    /// Receives queries and sends responses on all of the worker's UDP sockets until they stay
    /// empty for `lingerMilliseconds` or the handler's turn is over. The read source of any
    /// socket that still has datagrams fires again after the rest of the worker's queue has run.
    private func drain() {
        let turnEnds = Self.monotonicNanoseconds() &+ Self.turnNanoseconds
        var listener = self
        while true {
            let received = listener.receiveBatch()
            if received < 0 || turnIsOver(turnEnds) { return }
            // A short batch means the socket is empty, so wait in poll(2) at once instead of
            // calling recvmmsg again only to get EAGAIN.
            if received < Self.batchSize {
                guard let ready = worker.waitForDatagram(milliseconds: Self.lingerMilliseconds) else { return }
                listener = ready
            }
        }
    }

    /// Reads one batch with recvmmsg and answers it. Returns the number of datagrams read (0
    /// when the socket is empty), or -1 after an error that the handler should not retry.
    private func receiveBatch() -> Int {
        prepareReceiveHeaders()
        while true {
            let received = cns_recvmmsg(fd, receiveHeaders, UInt32(Self.batchSize))
            if received > 0 {
                answerAndSend(Int(received))
                return Int(received)
            }
            if received < 0 && errno == EINTR { continue }
            if received < 0 && errno != EAGAIN && errno != EWOULDBLOCK {
                worker.log.error("UDP receive on \(address) failed: \(String(cString: strerror(errno)))")
                return -1
            }
            return 0
        }
    }

    private func answerAndSend(_ received: Int) {
        if received > 1 {
            worker.prefetch(count: received) { i in
                UnsafeRawBufferPointer(start: receiveBuffers + i * Self.receiveBufferSize,
                                       count: Int(receiveHeaders[i].msg_len))
            }
        }
        var replies = 0
        for i in 0..<received {
            let header = receiveHeaders[i]
            if header.msg_hdr.msg_flags & Int32(MSG_TRUNC) != 0 { continue }
            let query = UnsafeRawBufferPointer(start: receiveBuffers + i * Self.receiveBufferSize,
                                               count: Int(header.msg_len))
            let client = SocketAddress.clientAddress(of: addresses[i])
            let slot = (sendBuffers + replies * Self.sendBufferSize).assumingMemoryBound(to: UInt8.self)
            let length = worker.answer(query, into: slot, capacity: Self.sendBufferSize, from: client,
                                       transport: .udp)
            guard length > 0 else { continue }
            sendVectors[replies] = iovec(iov_base: UnsafeMutableRawPointer(slot), iov_len: length)
            var reply = cns_mmsghdr()
            reply.msg_hdr.msg_name = UnsafeMutableRawPointer(addresses + i)
            reply.msg_hdr.msg_namelen = header.msg_hdr.msg_namelen
            reply.msg_hdr.msg_iov = sendVectors + replies
            reply.msg_hdr.msg_iovlen = 1
            sendHeaders[replies] = reply
            replies += 1
        }
        send(replies)
    }

    private func turnIsOver(_ turnEnds: UInt64) -> Bool {
        Self.monotonicNanoseconds() >= turnEnds && worker.queueIsShared
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    private func send(_ count: Int) {
        var sent = 0
        while sent < count {
            let result = cns_sendmmsg(fd, sendHeaders + sent, UInt32(count - sent))
            if result < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    // The socket buffer is full: the rest of this batch is lost, as UDP allows.
                    worker.statistics.droppedResponses += count - sent
                    return
                }
                // This one datagram could not be sent (an unreachable client, say): skip it.
                worker.statistics.droppedResponses += 1
                sent += 1
                continue
            }
            sent += Int(result)
        }
    }
}
