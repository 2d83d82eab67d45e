#if canImport(Glibc)
import Glibc
import CSystem
#endif

/// Events of one TCP stream, delivered on its loop's queue.
public protocol StreamDelegate: AnyObject {
    /// New bytes are in `stream.inbound`; consume what you can with `inbound.moveReaderIndex(by:)`.
    func streamDidRead(_ stream: TCPStream)
    /// The peer closed its sending side (read returned 0). The stream stays open for writing.
    func streamDidReachEOF(_ stream: TCPStream)
    /// Everything queued has been written, or the queue fell below the low watermark (only after a
    /// write had to be queued).
    func streamDidDrain(_ stream: TCPStream)
    /// An outgoing connect completed.
    func streamDidConnect(_ stream: TCPStream)
    /// The stream failed (reset, refused, …) and is now closed. `errno` is the cause.
    func streamDidFail(_ stream: TCPStream, errno: Int32)
    /// A write failed (the peer stopped reading: EPIPE, ECONNRESET) while the stream could still
    /// read. Queued bytes are dropped and later writes are ignored; reading goes on, because the
    /// peer may have answered before it stopped reading (an upstream's early 413). The default
    /// closes the stream and reports `streamDidFail`, for delegates with nothing left to read.
    func streamDidFailWriting(_ stream: TCPStream, errno: Int32)
}

extension StreamDelegate {
    public func streamDidFailWriting(_ stream: TCPStream, errno: Int32) {
        stream.failNow(errno)
    }
}

/// A non-blocking TCP connection confined to one `EventLoop`: reads land in `inbound` without copies,
/// writes go straight to the socket and only the remainder is queued. Backpressure is explicit:
/// `pauseReading()` while the other side cannot take more, `outboundBytes` / `streamDidDrain` to know
/// when it can.
public final class TCPStream: EpollHandler, @unchecked Sendable {
    /// The socket, owned by this stream alone: only `close()` closes it, and it forgets the number
    /// (-1) in the same step. Every system call checks `isClosed` first, so nothing this stream does
    /// after closing can reach the number, which the kernel hands to the next socket opened — a
    /// late write would land in someone else's connection (issue #10: a client's body written into a
    /// pooled upstream connection).
    public private(set) var fd: Int32
    /// Strong, not `unowned`: every use of an unowned reference pays an atomic "retain if alive"
    /// (~0.7% of the proxy's CPU, on every read and write). The cycle with the loop's handler table
    /// is broken when the stream closes (it unregisters); loops live as long as the process.
    public let loop: EventLoop
    public var delegate: StreamDelegate?
    public var inbound: ByteBuffer
    /// Upper bound of `inbound` growth; when full, reading pauses until the delegate consumes.
    public var inboundLimit: Int
    /// Queued chunks; `outbound[outboundHead...]` are still to be written (a moving head, not
    /// `removeFirst`, which would shift every queued chunk each time one has gone out).
    private var outbound: [[UInt8]] = []
    private var outboundHead = 0
    /// Bytes of `outbound[outboundHead]` already written.
    private var outboundOffset = 0
    /// Bytes queued because the socket did not take them. Bytes held until the end of the loop's
    /// batch (at most `EventLoop.deferredWriteLimit`, see `EventLoop.isBatching`) do not count: they
    /// are written before the loop waits again, as if written at once.
    public private(set) var outboundBytes = 0
    /// Small writes made during the loop's batch, written when it ends (`writeDeferred`).
    private var deferred: [UInt8] = []
    private var hasDeferred = false
    /// `shutdownWrite` was asked while bytes were still queued: it happens once they are written.
    private var shutdownWhenFlushed = false
    /// `streamDidDrain` also fires once when the queue falls to this many bytes while still writing.
    public var lowWatermark = 64 * 1024
    private var lowWatermarkSignalled = false
    private var registration: EventLoop.Registration?
    private var wantRead = true
    /// The kernel reported the peer's FIN (or a hang-up): read until `read` returns 0.
    private var peerClosed = false
    private var wantWrite = false
    private var connecting = false
    private var closeWhenFlushed = false
    public private(set) var isClosed = false
    /// `read` returned 0: the peer's data is all read.
    private var readEnded = false
    /// A write failed: nothing more is written, reading goes on (see `streamDidFailWriting`).
    public private(set) var isWriteFailed = false
    /// Bytes read from / written to the socket (for metrics and tests).
    public private(set) var bytesRead = 0
    public private(set) var bytesWritten = 0
    /// Bytes read are decoded by it before they reach `inbound`, bytes written are encoded by it
    /// (TLS). Set before `start` (or, connecting, before the connect completes); see the transform
    /// block at the end of this file.
    public var transform: StreamTransform?

    /// Adopts an accepted or connecting descriptor. Must be called on `loop`.
    public init(fd: Int32, loop: EventLoop, connecting: Bool = false, inboundLimit: Int = 1 << 20) {
        self.fd = fd
        self.loop = loop
        self.connecting = connecting
        self.inbound = ByteBuffer()
        self.inboundLimit = inboundLimit
        wantRead = !connecting
        wantWrite = connecting
    }

    /// Starts delivering events to `delegate`. Returns false (and closes the stream, without a
    /// callback) when the loop cannot watch the socket (e.g. the kernel's epoll watch limit).
    @discardableResult
    public func start(delegate: StreamDelegate) -> Bool {
        self.delegate = delegate
        guard let reg = loop.register(fd: fd, events: mask, handler: self) else {
            self.delegate = nil
            close()
            return false
        }
        registration = reg
        return true
    }

    /// Connects to `address` on `loop`; the delegate hears `streamDidConnect` or `streamDidFail`.
    public static func connect(to address: SocketAddress, loop: EventLoop, delegate: StreamDelegate) -> TCPStream? {
        let (fd, result) = Socket.connect(to: address)
        guard fd >= 0 else { return nil }
        switch result {
        case .failed(let e):
            Glibc.close(fd)
            _ = e
            return nil
        case .done, .wouldBlock:
            let s = TCPStream(fd: fd, loop: loop, connecting: true)
            return s.start(delegate: delegate) ? s : nil
        }
    }

    /// Edge-triggered: the kernel reports a readiness change once, not on every `epoll_wait` while
    /// it lasts, so a stream handled in one round is not polled again in the next (level-triggered,
    /// every reported socket was polled twice per event; ~2% of the proxy's CPU in `tcp_poll`).
    /// What that asks of the stream: read until the socket is drained (a short read) or re-arm
    /// (see `readAvailable`); changing the interest set (`updateInterest`, on pause/resume and
    /// write interest) makes the kernel check readiness again and report what is already there.
    /// `EPOLLRDHUP` says the peer's FIN has arrived: a short read then does not mean drained (the
    /// end of the stream is still to be read, and no further edge would announce it).
    private var mask: UInt32 {
        var m: UInt32 = EPOLLET_MASK
        if wantRead { m |= EPOLLIN_MASK | EPOLLRDHUP_MASK }
        if wantWrite { m |= EPOLLOUT_MASK }
        return m
    }

    private func updateInterest() {
        guard let reg = registration, !isClosed else { return }
        if !loop.modify(fd: fd, registration: reg, events: mask) { fail(errno) }
    }

    public var isReadingPaused: Bool { !wantRead }

    public func pauseReading() {
        guard wantRead, !connecting else { return }
        wantRead = false
        updateInterest()
    }

    public func resumeReading() {
        guard !wantRead, !isClosed, !connecting else { return }
        wantRead = true
        updateInterest()
        if let t = transform, t.hasBufferedInput { scheduleTransformedRead() }
    }

    public func handleEpollEvent(_ events: UInt32) {
        if connecting {
            guard events & (EPOLLOUT_MASK | EPOLLERR_MASK | EPOLLHUP_MASK) != 0 else { return }
            let err = Socket.pendingError(fd: fd)
            if err != 0 { fail(err); return }
            connecting = false
            wantRead = true
            wantWrite = outboundBytes > 0
            updateInterest()
            if let t = transform { t.start(); writeTransformOutput(t); if isClosed { return } }
            delegate?.streamDidConnect(self)
            return
        }
        if events & EPOLLOUT_MASK != 0 { flush() }
        if isClosed { return }
        if events & (EPOLLRDHUP_MASK | EPOLLHUP_MASK) != 0 { peerClosed = true }
        if events & (EPOLLIN_MASK | EPOLLRDHUP_MASK | EPOLLHUP_MASK | EPOLLERR_MASK) != 0 && wantRead { readAvailable() }
        else if events & EPOLLERR_MASK != 0 { fail(Socket.pendingError(fd: fd)) }
    }

    /// Reads what the socket holds now, as a readiness event would (the delegate gets the bytes or
    /// the end of the stream). For a connection about to be closed as idle: closing over unread
    /// bytes would send a reset.
    public func readPending() {
        guard !isClosed, !connecting, wantRead else { return }
        readAvailable()
    }

    /// Reads per readiness event before the stream lets the loop's other streams run.
    static let maxReadsPerEvent = 4

    /// Reads until the socket is drained, reading stops (paused, closed, end of stream), or
    /// `maxReadsPerEvent` reads; in the last case the stream re-arms its registration, which makes
    /// the kernel report the bytes still waiting in the next round (edge-triggered, nothing else would).
    private func readAvailable() {
        for _ in 0..<Self.maxReadsPerEvent {
            guard readOnce(), !isClosed, wantRead else { return }
        }
        updateInterest()
    }

    /// One read into `inbound`, then the delegate. Returns true when the read filled all the room
    /// it was given, or the peer has closed: the socket may hold more (or the end of the stream),
    /// and no new edge will say so.
    @discardableResult
    private func readOnce() -> Bool {
        if let t = transform { return readOnceTransformed(t) }
        if inbound.capacity == 0 { inbound.adopt(loop.takeReadBuffer()) }
        defer { if !isClosed, let memory = inbound.releaseIfEmpty() { loop.recycleReadBuffer(memory) } }
        guard inbound.reserveWritable(minimum: 4096, limit: inboundLimit) else {
            pauseReading()   // the delegate has not consumed: wait for it (resuming re-arms)
            return false
        }
        let room = inbound.writableBytes
        let fd = self.fd
        var err: Int32 = 0
        let n = inbound.writeWithUnsafeMutableBytes { p in
            switch syscall({ portcullis_read(fd, p.baseAddress, UInt(p.count)) }) {
            case .done(let n): return n
            case .wouldBlock: return -1
            case .failed(let e): err = e; return -2
            }
        }
        if n > 0 {
            bytesRead += n
            delegate?.streamDidRead(self)
            return n == room || peerClosed
        } else if n == 0 {
            readEnded = true
            wantRead = false
            updateInterest()
            delegate?.streamDidReachEOF(self)
        } else if n == -2 {
            fail(err)
        }
        return false
    }

    /// Writes bytes now if the socket takes them; queues the rest (copied). During the loop's batch a
    /// small write is held and written when the batch ends (see `EventLoop.isBatching`).
    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard !isClosed, !isWriteFailed, bytes.count > 0 else { return }
        if hasDeferred || (outboundBytes == 0 && !connecting && loop.isBatching) {
            if deferWrite(bytes) { return }
        }
        writeNow(bytes)
    }

    /// Writes what the socket takes and queues the rest. Checks `isClosed` itself: its callers may
    /// have run a failure callback in between (settling held bytes can fail and close the stream).
    private func writeNow(_ bytes: UnsafeRawBufferPointer) {
        guard !isClosed, !isWriteFailed else { return }
        if let t = transform { t.send(bytes); writeTransformOutput(t) } else { writeToSocket(bytes) }
    }

    private func writeToSocket(_ bytes: UnsafeRawBufferPointer) {
        guard !isClosed, !isWriteFailed else { return }
        var offset = 0
        if outboundBytes == 0 && !connecting {
            switch syscall({ portcullis_write(fd, bytes.baseAddress, UInt(bytes.count)) }) {
            case .done(let n): offset = n; bytesWritten += n
            case .wouldBlock: break
            case .failed(let e): failWrites(e); return
            }
        }
        if offset < bytes.count {
            lowWatermarkSignalled = false
            outbound.append(Array(bytes[offset...]))
            outboundBytes += bytes.count - offset
            if !wantWrite { wantWrite = true; updateInterest() }
        }
    }

    /// Writes an array (queued without a copy when the socket is busy).
    public func write(_ bytes: [UInt8]) {
        guard !isClosed, !isWriteFailed, !bytes.isEmpty else { return }
        if transform != nil { bytes.withUnsafeBytes { write($0) }; return }
        if hasDeferred || (outboundBytes == 0 && !connecting && loop.isBatching) {
            if bytes.withUnsafeBytes({ deferWrite($0) }) { return }
            if isClosed || isWriteFailed { return }   // settling the held bytes failed
        }
        if outboundBytes == 0 && !connecting {
            bytes.withUnsafeBytes { writeNow($0) }
            return
        }
        outbound.append(bytes)
        outboundBytes += bytes.count
        lowWatermarkSignalled = false
        if !wantWrite { wantWrite = true; updateInterest() }
    }

    /// Holds `bytes` until the end of the batch; `false` (having written what was held) when they
    /// would take the held bytes past the limit, so the caller writes them at once.
    private func deferWrite(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if !hasDeferred {
            guard bytes.count <= EventLoop.deferredWriteLimit else { return false }
            deferred = loop.deferWrites(of: self)
            hasDeferred = true
        } else if deferred.count + bytes.count > EventLoop.deferredWriteLimit {
            writeDeferred()
            return false
        }
        deferred.append(contentsOf: bytes)
        return true
    }

    /// Writes the bytes held during the batch; what the socket does not take is queued as by `write`.
    func writeDeferred() {
        guard hasDeferred else { return }
        hasDeferred = false
        var held: [UInt8] = []
        swap(&held, &deferred)
        defer { loop.recycleWriteBuffer(&held) }
        guard !isClosed, !held.isEmpty else { return }
        held.withUnsafeBytes { writeNow($0) }
    }

    /// Closes once everything queued has been written.
    public func closeAfterFlush() {
        writeDeferred()
        if let t = transform, !isClosed { t.shutdown(); writeTransformOutput(t) }
        if isClosed { return }
        if outboundBytes == 0 { close() } else { closeWhenFlushed = true }
    }

    private func flush() {
        guard !isClosed, !isWriteFailed else { return }
        while outboundBytes > 0 {
            let chunk = outbound[outboundHead]
            let off = outboundOffset
            let r = chunk.withUnsafeBytes { p in syscall({ portcullis_write(fd, p.baseAddress! + off, UInt(p.count - off)) }) }
            switch r {
            case .done(let n):
                bytesWritten += n
                outboundBytes -= n
                if off + n == chunk.count { chunkWritten() } else { outboundOffset += n }
            case .wouldBlock:
                // Tell the other side early (below the low watermark), so the pipe refills while
                // the kernel is still sending what it has: no stop-and-go on long bodies.
                if outboundBytes <= lowWatermark && !lowWatermarkSignalled {
                    lowWatermarkSignalled = true
                    delegate?.streamDidDrain(self)
                }
                return
            case .failed(let e):
                failWrites(e); return
            }
        }
        wantWrite = false
        updateInterest()
        if closeWhenFlushed { close(); return }
        if shutdownWhenFlushed { shutdownWhenFlushed = false; _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }
        delegate?.streamDidDrain(self)
    }

    /// The head chunk has gone out: its memory is released at once; the array is reset when the
    /// queue empties, and compacted when the written part is most of it (amortized O(1) per chunk).
    private func chunkWritten() {
        outbound[outboundHead] = []
        outboundHead += 1
        outboundOffset = 0
        if outboundHead == outbound.count {
            outbound.removeAll(keepingCapacity: outbound.capacity <= 64)
            outboundHead = 0
        } else if outboundHead >= 64 && outboundHead * 2 >= outbound.count {
            outbound.removeFirst(outboundHead)
            outboundHead = 0
        }
    }

    /// Half-closes the sending side once the bytes written so far have gone out.
    public func shutdownWrite() {
        writeDeferred()
        if let t = transform, !isClosed { t.shutdown(); writeTransformOutput(t) }
        guard !isClosed else { return }
        if outboundBytes > 0 { shutdownWhenFlushed = true; return }
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    private func fail(_ e: Int32) {
        let d = delegate
        close()
        d?.streamDidFail(self, errno: e)
    }

    /// Closes the stream and reports `streamDidFail` (the default answer to a failed write).
    public func failNow(_ e: Int32) {
        guard !isClosed else { return }
        fail(e)
    }

    /// A write failed. If the stream may still read, it stops writing and lets the delegate decide
    /// (`streamDidFailWriting`); re-arming the registration makes the kernel report what is waiting
    /// to be read (edge-triggered: the edge may have passed). Otherwise it fails as a whole.
    private func failWrites(_ e: Int32) {
        guard !readEnded, !closeWhenFlushed, !connecting, registration != nil else { fail(e); return }
        isWriteFailed = true
        outbound.removeAll()
        outboundHead = 0
        outboundBytes = 0
        outboundOffset = 0
        shutdownWhenFlushed = false
        wantWrite = false
        updateInterest()
        if isClosed { return }
        delegate?.streamDidFailWriting(self, errno: e)
    }

    /// Closes the socket at once (queued bytes are dropped). Idempotent.
    public func close() {
        guard !isClosed else { return }
        if hasDeferred, transform != nil { sealDeferredBeforeClose() }
        if hasDeferred {   // as if written when asked: what the socket takes now goes out
            hasDeferred = false
            _ = deferred.withUnsafeBytes { p in portcullis_write(fd, p.baseAddress, UInt(p.count)) }
            loop.recycleWriteBuffer(&deferred)
        }
        isClosed = true
        if let reg = registration { loop.unregister(fd: fd, registration: reg) }
        registration = nil
        Glibc.close(fd)
        fd = -1
        outbound.removeAll()
        outboundHead = 0
        outboundBytes = 0
        delegate = nil
        if let memory = inbound.releaseIfEmpty() { loop.recycleReadBuffer(memory) }
    }

    /// Closes with an RST (SO_LINGER 0): for abandoning an upstream mid-response.
    public func abort() {
        guard !isClosed else { return }
        if hasDeferred { hasDeferred = false; loop.recycleWriteBuffer(&deferred) }
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close()
    }
}

// MARK: - transform (TLS): kept in one block so the stream's own paths stay as they are

extension TCPStream {
    /// One read of received bytes, decoded into `inbound`. The bytes are read into `inbound`'s spare
    /// room, copied into the transform, and the room is then overwritten by what decodes (no buffer of
    /// its own per stream). Returns like `readOnce`.
    fileprivate func readOnceTransformed(_ t: StreamTransform) -> Bool {
        if inbound.capacity == 0 { inbound.adopt(loop.takeReadBuffer()) }
        defer { if !isClosed, let memory = inbound.releaseIfEmpty() { loop.recycleReadBuffer(memory) } }
        guard inbound.reserveWritable(minimum: 4096, limit: inboundLimit) else {
            pauseReading()
            return false
        }
        let room = inbound.writableBytes
        let fd = self.fd
        var err: Int32 = 0
        var received = 0
        var decoded = 0
        _ = inbound.writeWithUnsafeMutableBytes { p in
            switch syscall({ portcullis_read(fd, p.baseAddress, UInt(p.count)) }) {
            case .done(let n): received = n
            case .wouldBlock: received = -1
            case .failed(let e): err = e; received = -2
            }
            guard received > 0 else { return 0 }
            t.receive(UnsafeRawBufferPointer(rebasing: p[0..<received]))
            decoded = t.readDecoded(into: p)
            return max(decoded, 0)
        }
        if received > 0 {
            bytesRead += received
            deliverDecoded(t, decoded)
            return !isClosed && (received == room || peerClosed)
        } else if received == 0 {
            readEnded = true
            wantRead = false
            updateInterest()
            delegate?.streamDidReachEOF(self)
        } else if received == -2 {
            fail(err)
        }
        return false
    }

    /// Sends what the transform produced (handshake replies, alerts), then hands decoded bytes to
    /// the delegate, then goes on decoding what the transform still holds while reading is wanted.
    private func deliverDecoded(_ t: StreamTransform, _ first: Int) {
        var decoded = first
        while true {
            writeTransformOutput(t)
            if isClosed { return }
            if decoded == StreamTransformRead.failed {
                if let reply = t.failureReply { reply.withUnsafeBytes { writeToSocket($0) } }
                fail(EPROTO)
                return
            }
            if decoded == StreamTransformRead.closed {
                wantRead = false
                updateInterest()
                delegate?.streamDidReachEOF(self)
                return
            }
            if decoded > 0 { delegate?.streamDidRead(self) }
            guard decoded > 0, !isClosed, wantRead, t.hasBufferedInput else { return }
            guard inbound.reserveWritable(minimum: 1, limit: inboundLimit) else { pauseReading(); return }
            decoded = inbound.writeWithUnsafeMutableBytes { t.readDecoded(into: $0) }
        }
    }

    /// Decoded bytes held by the transform while reading was paused: delivered on a later turn of the
    /// loop (never from inside the delegate call that resumed reading).
    fileprivate func scheduleTransformedRead() {
        loop.execute { [self] in
            guard !isClosed, wantRead, let t = transform, t.hasBufferedInput else { return }
            if inbound.capacity == 0 { inbound.adopt(loop.takeReadBuffer()) }
            guard inbound.reserveWritable(minimum: 1, limit: inboundLimit) else { pauseReading(); return }
            let decoded = inbound.writeWithUnsafeMutableBytes { t.readDecoded(into: $0) }
            deliverDecoded(t, decoded)
            if !isClosed, let memory = inbound.releaseIfEmpty() { loop.recycleReadBuffer(memory) }
        }
    }

    /// Writes the transform's output to the socket (queued as by `write` when the socket is busy).
    fileprivate func writeTransformOutput(_ t: StreamTransform) {
        t.drainOutput { bytes in if !isClosed { writeToSocket(bytes) } }
    }

    /// `close` with bytes still held for the end of the batch: they are encoded, and what the socket
    /// takes at once goes out (as `close` does without a transform).
    fileprivate func sealDeferredBeforeClose() {
        guard let t = transform else { return }
        hasDeferred = false
        deferred.withUnsafeBytes { t.send($0) }
        loop.recycleWriteBuffer(&deferred)
        let fd = self.fd
        t.drainOutput { bytes in _ = portcullis_write(fd, bytes.baseAddress, UInt(bytes.count)) }
    }
}
