import Locks
import IO
import Dispatch
import HTTP1
import Telemetry
import PortcullisTLS
#if canImport(Glibc)
import Glibc
#endif

/// The client-facing server: accepts on every loop, pins each connection to the accepting loop.
public final class GatewayServer: AcceptHandler, @unchecked Sendable {
    public let shared: GatewayShared
    public let group: EventLoopGroup
    /// Replaced by `rebind` (a reload's thread) while others read it: under `listenerLock`.
    private var _listener: Listener?
    private let listenerLock = Locked<Void>()
    private var listener: Listener? {
        get { listenerLock.withLock { _listener } }
        set { listenerLock.withLock { _listener = newValue } }
    }
    private(set) var contexts: [LoopContext?]
    /// Operational events of the server (accept pauses).
    public var logger = Logger(component: "gateway")

    public init(shared: GatewayShared, group: EventLoopGroup) {
        self.shared = shared
        self.group = group
        contexts = Array(repeating: nil, count: group.loops.count)
        for loop in group.loops {
            contexts[loop.index] = LoopContext(loop: loop, shared: shared)
        }
    }

    /// Binds and starts accepting. Returns the bound port (useful with port 0).
    @discardableResult
    public func start(listen address: SocketAddress) throws(Socket.SetupError) -> UInt16 {
        let l = try Listener(address: address, group: group, handler: self)
        listener = l
        l.start()
        return l.port
    }

    public var port: UInt16 { listener?.port ?? 0 }

    /// True while a listening socket accepts connections (not yet stopped by a drain).
    public var isListening: Bool { listener != nil && !shared.isClosingIdle }

    /// Moves the listening socket to `address`: the new socket is bound and accepting before the
    /// old one closes, so no connection attempt finds neither. Connections accepted on the old
    /// socket carry on. Throws (and changes nothing) when the new address cannot be bound.
    @discardableResult
    public func rebind(to address: SocketAddress) throws(Socket.SetupError) -> UInt16 {
        let next = try Listener(address: address, group: group, handler: self)
        next.start()
        let previous = listener
        listener = next
        previous?.stop()
        return next.port
    }

    /// Makes `configuration` the one every request that begins from now on follows (see
    /// `RuntimeConfiguration`): each loop takes it between two of its events, keeping the upstream
    /// pools of unchanged upstreams. `completion` runs once every loop has it.
    public func install(_ configuration: RuntimeConfiguration, completion: @escaping @Sendable () -> Void = {}) {
        shared.setCurrent(configuration)
        let remaining = Counter(group.loops.count)
        for loop in group.loops {
            let ctx = contexts[loop.index]
            loop.execute {
                ctx?.install(configuration)
                if remaining.decrement() == 0 { completion() }
            }
        }
    }

    public func accepted(fd: Int32, on loop: EventLoop) {
        guard let context = contexts[loop.index] else { close(fd); return }
        let n = shared.activeConnections.add(1, ordering: .relaxed).newValue
        // Also while closing: the listener's last act is to accept its backlog (see `Listener.stop`);
        // those connections are served once, with `Connection: close`, like any during the drain.
        if n > context.runtime.settings.maxConnections {
            shared.activeConnections.subtract(1, ordering: .relaxed)
            close(fd)
            return
        }
        let stream = TCPStream(fd: fd, loop: loop)
        if let tls = shared.tls {
            // The handshake runs on this loop as bytes arrive; a stalled one is closed like an idle
            // connection (`timeouts.header_read_ms` from accept: no request arrives before it ends).
            guard let session = tls.makeConnection() else { stream.close(); shared.activeConnections.subtract(1, ordering: .relaxed); return }
            stream.transform = session
        }
        let conn = ClientConnection(stream: stream, context: context, peer: peerAddressText(fd: fd))
        conn.start()
    }

    public func acceptPaused(errno: Int32, on loop: EventLoop) {
        shared.acceptPauses.add(1, ordering: .relaxed)
        logger.warning("accepting paused", [("reason", errnoDescription(errno)), ("loop", String(loop.index)),
                                            ("retry_ms", String(Listener.acceptBackoffMilliseconds)),
                                            ("open_connections", String(shared.connectionCount))])
    }

    public func acceptResumed(on loop: EventLoop) {
        logger.info("accepting resumed", [("loop", String(loop.index))])
    }

    /// Graceful stop in two steps. At once: `isDraining` (`/readyz` answers 503, every response
    /// carries `Connection: close`, so keep-alive clients move to other replicas after their next
    /// response) while the gateway keeps accepting and serving for `drainDelayMs` — the time a load
    /// balancer needs to see the 503 and stop sending. Then: the listener closes, idle keep-alive
    /// connections close (see `ClientConnection.closeIfIdleForDrain`), in-flight requests finish
    /// and their connections close after the response. `completion` runs when every connection is
    /// gone or `graceMs` after the second step, whichever comes first.
    public func shutdown(graceMs: Int, drainDelayMs: Int = 0, completion: @escaping @Sendable (_ remaining: Int) -> Void) {
        shared.draining.store(true, ordering: .relaxed)
        let queue = group.loops[0].queue
        if drainDelayMs > 0 {
            queue.asyncAfter(deadline: .now() + .milliseconds(drainDelayMs)) { [self] in
                stopAccepting(graceMs: graceMs, completion: completion)
            }
        } else {
            stopAccepting(graceMs: graceMs, completion: completion)
        }
    }

    private func stopAccepting(graceMs: Int, completion: @escaping @Sendable (Int) -> Void) {
        shared.closingIdle.store(true, ordering: .relaxed)
        listener?.stop()
        for loop in group.loops {
            let ctx = contexts[loop.index]
            loop.execute {
                for conn in ctx?.connections.values.map({ $0 }) ?? [] { conn.closeIfIdleForDrain() }
            }
        }
        let deadline = MonotonicClock().now().adding(milliseconds: graceMs)
        GatewayServer.pollDrained(shared: shared, queue: group.loops[0].queue, deadline: deadline, completion: completion)
    }

    private static func pollDrained(shared: GatewayShared, queue: DispatchQueue, deadline: Instant,
                                    completion: @escaping @Sendable (Int) -> Void) {
        let remaining = shared.connectionCount
        if remaining == 0 || MonotonicClock().now() >= deadline { completion(remaining); return }
        queue.asyncAfter(deadline: .now() + .milliseconds(20)) {
            pollDrained(shared: shared, queue: queue, deadline: deadline, completion: completion)
        }
    }
}
