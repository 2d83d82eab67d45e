import IO
import Dispatch
import HTTP1
#if canImport(Glibc)
import Glibc
#endif

/// The client-facing server: accepts on every loop, pins each connection to the accepting loop.
public final class GatewayServer: AcceptHandler, @unchecked Sendable {
    public let shared: GatewayShared
    public let group: EventLoopGroup
    private var listener: Listener?
    private var contexts: [LoopContext?]

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

    public func accepted(fd: Int32, on loop: EventLoop) {
        let n = shared.activeConnections.add(1, ordering: .relaxed).newValue
        if n > shared.settings.maxConnections || shared.isDraining {
            shared.activeConnections.subtract(1, ordering: .relaxed)
            close(fd)
            return
        }
        guard let context = contexts[loop.index] else { close(fd); return }
        let stream = TCPStream(fd: fd, loop: loop)
        let conn = ClientConnection(stream: stream, context: context, peer: peerAddressText(fd: fd))
        conn.start()
    }

    /// Graceful stop: no new connections, idle keep-alive connections close, in-flight requests
    /// finish (their connections close after the response). `completion` runs when every connection
    /// is gone or after `graceMs`, whichever comes first.
    public func shutdown(graceMs: Int, completion: @escaping @Sendable (_ remaining: Int) -> Void) {
        shared.draining.store(true, ordering: .relaxed)
        listener?.stop()
        for loop in group.loops {
            let ctx = contexts[loop.index]
            loop.execute {
                for conn in ctx?.connections.values.map({ $0 }) ?? [] where conn.phase == .awaitingHead && conn.stream.inbound.isEmpty {
                    conn.close()
                }
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
