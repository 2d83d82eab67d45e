import Dispatch
#if canImport(Glibc)
import CSystem
import Glibc
#endif

/// Receives readiness events for one registered descriptor. Called on the loop's queue only.
public protocol EpollHandler: AnyObject {
    func handleEpollEvent(_ events: UInt32)
}

/// Receives the loop's periodic tick (timeouts are checked there, with the injected clock's time).
public protocol TickHandler: AnyObject {
    var tickIndex: Int { get set }
    func tick(now: Instant)
}

/// One serial `DispatchQueue` with its own epoll instance, watched by a single `DispatchSourceRead`.
///
/// Why not one `DispatchSourceRead` per socket: on this machine every re-arm of a per-socket source goes
/// through libdispatch's manager thread and halves throughput; one source per loop, draining
/// `epoll_wait(…, 0)` in its handler, matches a raw epoll loop. Every descriptor registered here, and
/// every object that owns one, is confined to `queue` (hence `@unchecked Sendable` where noted).
public final class EventLoop: @unchecked Sendable {
    public let queue: DispatchQueue
    public let index: Int
    public let clock: any Clock
    /// The loop's time, read from `clock` once per batch of events, per tick and per `execute` block:
    /// deadlines set while handling an event count from the start of its batch (timeouts are checked
    /// on the tick anyway), a request's record starts at the batch that brought its head, and a
    /// request does not pay a clock read each time it needs the time.
    public private(set) var now: Instant
    private let epfd: Int32
    private var source: DispatchSourceRead?
    private var ticker: DispatchSourceTimer?
    private var handlers: [EpollHandler?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [Int] = []
    private var tickHandlers: [TickHandler] = []
    private let events: UnsafeMutablePointer<epoll_event>
    private static let maxEvents: Int32 = 256

    /// A handle to one registration; stale events after `unregister` are dropped by generation.
    public struct Registration: Sendable, Equatable {
        let slot: Int
        let generation: UInt32
        var data: UInt64 { UInt64(generation) << 32 | UInt64(slot) }
    }

    /// Whether small writes made during an epoll round are held until it ends (see `isBatching`).
    /// A load generator turns it off: its latency clock starts when it writes a request, so a held
    /// write would count as server latency.
    public let batchesWrites: Bool

    public init(index: Int, clock: any Clock = MonotonicClock(), tickInterval: Duration = .milliseconds(100),
                batchesWrites: Bool = true) {
        self.index = index
        self.clock = clock
        self.batchesWrites = batchesWrites
        self.now = clock.now()
        queue = DispatchQueue(label: "portcullis.loop.\(index)", qos: .userInitiated)
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epfd >= 0, "epoll_create1 failed: \(errnoDescription(errno))")
        events = .allocate(capacity: Int(EventLoop.maxEvents))
        let src = DispatchSource.makeReadSource(fileDescriptor: epfd, queue: queue)
        src.setEventHandler { [unowned self] in self.drain() }
        src.resume()
        source = src
        let t = DispatchSource.makeTimerSource(queue: queue)
        let ms = Int(tickInterval.components.seconds * 1000 + tickInterval.components.attoseconds / 1_000_000_000_000_000)
        t.schedule(deadline: .now() + .milliseconds(ms), repeating: .milliseconds(max(ms, 1)), leeway: .milliseconds(max(ms / 10, 1)))
        t.setEventHandler { [unowned self] in self.runTick() }
        t.resume()
        ticker = t
    }

    deinit { events.deallocate() }

    /// Runs `work` on this loop's queue.
    /// Runs `work` on this loop's queue, with `now` read afresh (work that arrives from elsewhere,
    /// such as an authorization completed on another queue, may come long after the last batch).
    public func execute(_ work: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            now = clock.now()
            work()
        }
    }

    /// Registers `fd` for `events` (EPOLLIN / EPOLLOUT / …). Level-triggered unless the caller adds EPOLLET.
    /// Returns nil when the kernel refuses (ENOMEM, ENOSPC: the per-user epoll watch limit): a
    /// condition a flood of connections can cause, so the caller closes that one socket and the
    /// process goes on.
    public func register(fd: Int32, events mask: UInt32, handler: EpollHandler) -> Registration? {
        let slot: Int
        if let free = freeSlots.popLast() { slot = free; handlers[slot] = handler }
        else { slot = handlers.count; handlers.append(handler); generations.append(0) }
        generations[slot] &+= 1
        let reg = Registration(slot: slot, generation: generations[slot])
        var ev = epoll_event(events: mask, data: epoll_data_t(u64: reg.data))
        guard epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0 else {
            handlers[slot] = nil
            generations[slot] &+= 1
            freeSlots.append(slot)
            return nil
        }
        return reg
    }

    /// Changes the interest set of a registered descriptor. False (errno set) when the kernel
    /// refuses; the caller fails that one stream.
    @discardableResult
    public func modify(fd: Int32, registration: Registration, events mask: UInt32) -> Bool {
        var ev = epoll_event(events: mask, data: epoll_data_t(u64: registration.data))
        return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) == 0
    }

    /// Removes a descriptor (call before closing it).
    public func unregister(fd: Int32, registration: Registration) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)
        guard registration.slot < handlers.count, generations[registration.slot] == registration.generation else { return }
        handlers[registration.slot] = nil
        generations[registration.slot] &+= 1
        freeSlots.append(registration.slot)
    }

    /// Read buffers of `readBufferSize` bytes lent to connections while they have unread bytes:
    /// an idle keep-alive connection holds no read buffer, so 10,000 idle clients cost little memory.
    private var bufferPool: [[UInt8]] = []
    public static let readBufferSize = 16 * 1024
    private static let maxPooledBuffers = 256

    func takeReadBuffer() -> [UInt8] {
        bufferPool.popLast() ?? [UInt8](repeating: 0, count: EventLoop.readBufferSize)
    }

    func recycleReadBuffer(_ memory: [UInt8]) {
        if memory.count == EventLoop.readBufferSize && bufferPool.count < EventLoop.maxPooledBuffers {
            bufferPool.append(memory)
        }
    }

    /// Adds an object to the periodic tick.
    public func addTickHandler(_ h: TickHandler) {
        guard h.tickIndex < 0 else { return }
        h.tickIndex = tickHandlers.count
        tickHandlers.append(h)
    }

    /// Removes an object from the periodic tick (O(1), swap-remove).
    public func removeTickHandler(_ h: TickHandler) {
        let i = h.tickIndex
        guard i >= 0, i < tickHandlers.count, tickHandlers[i] === h else { return }
        let last = tickHandlers.removeLast()
        if i < tickHandlers.count { tickHandlers[i] = last; last.tickIndex = i }
        h.tickIndex = -1
    }

    private func runTick() {
        now = clock.now()
        var i = 0
        while i < tickHandlers.count {   // a handler may remove itself while ticking
            let h = tickHandlers[i]
            h.tick(now: now)
            if i < tickHandlers.count, tickHandlers[i] === h { i += 1 }
        }
    }

    private func drain() {
        for _ in 0..<EventLoop.maxDrainRounds {
            let n = epoll_wait(epfd, events, EventLoop.maxEvents, 0)
            if n <= 0 { return }
            now = clock.now()
            isBatching = batchesWrites
            for i in 0..<Int(n) {
                let ev = events[i]
                let slot = Int(ev.data.u64 & 0xFFFF_FFFF)
                let gen = UInt32(truncatingIfNeeded: ev.data.u64 >> 32)
                guard slot < handlers.count, generations[slot] == gen, let h = handlers[slot] else { continue }
                h.handleEpollEvent(ev.events)
            }
            isBatching = false
            writeDeferred()
        }
    }

    // MARK: writes deferred to the end of a batch

    /// True while the events of one `epoll_wait` batch are being handled: small writes made then are
    /// held (see `TCPStream.write`) and written back to back when the batch ends.
    ///
    /// Why: a write that wakes a sleeping peer costs the writer an inter-processor wake-up, and on a
    /// virtual machine that is the most expensive single step of a proxied request (~14% of the CPU on
    /// the token-verifying path, where peers fall asleep between requests). Writing a batch's
    /// responses together wakes each peer once per batch instead of once per request. A write is
    /// delayed by at most the rest of its batch, and never much past `deferredWriteDelayNanoseconds`;
    /// outside a batch (ticks, `execute` blocks) nothing is deferred.
    private(set) var isBatching = false
    private var deferredStreams: [TCPStream] = []
    private var writeBufferPool: [[UInt8]] = []
    /// The most a stream holds back in one batch; a larger write settles the held bytes and goes out at once.
    static let deferredWriteLimit = 16 * 1024

    /// The longest a held write waits: a batch that has run this long writes what it holds before
    /// holding more (bounds the added latency when every event is expensive, e.g. token verification).
    static let deferredWriteDelayNanoseconds: Int64 = 200_000

    /// Registers `stream` as holding writes until the batch ends; returns a buffer for them.
    func deferWrites(of stream: TCPStream) -> [UInt8] {
        // The clock is read every fourth held stream, not for each: a clock read per response was
        // ~0.3% of the proxy's CPU; the bound stretches by at most three events.
        if deferredStreams.count & 3 == 3 {
            let t = clock.now()
            if t.nanoseconds - now.nanoseconds > EventLoop.deferredWriteDelayNanoseconds {
                writeDeferred()
                now = t
            }
        }
        deferredStreams.append(stream)
        if let buffer = writeBufferPool.popLast() { return buffer }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(EventLoop.deferredWriteLimit)
        return buffer
    }

    func recycleWriteBuffer(_ buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        if writeBufferPool.count < EventLoop.maxPooledBuffers && buffer.capacity <= 2 * EventLoop.deferredWriteLimit {
            writeBufferPool.append(buffer)
        }
        buffer = []
    }

    private func writeDeferred() {
        let wasBatching = isBatching
        isBatching = false   // a failing stream's delegate may write: those writes go out at once
        defer { isBatching = wasBatching }
        for stream in deferredStreams { stream.writeDeferred() }
        deferredStreams.removeAll(keepingCapacity: true)
    }
    /// `epoll_wait` rounds per source event before the handler returns and lets the queue run its
    /// other work (ticks, `execute` blocks); events still pending make the source fire again.
    static let maxDrainRounds = 64

    /// Stops the loop's sources (tests, shutdown).
    public func shutdown() {
        queue.async { [self] in
            source?.cancel(); ticker?.cancel()
            source = nil; ticker = nil
        }
    }
}

public let EPOLLIN_MASK = UInt32(EPOLLIN.rawValue)
public let EPOLLOUT_MASK = UInt32(EPOLLOUT.rawValue)
public let EPOLLRDHUP_MASK = UInt32(EPOLLRDHUP.rawValue)
public let EPOLLERR_MASK = UInt32(EPOLLERR.rawValue)
public let EPOLLHUP_MASK = UInt32(EPOLLHUP.rawValue)
public let EPOLLEXCLUSIVE_MASK = UInt32(1) << 28
public let EPOLLET_MASK = UInt32(1) << 31
