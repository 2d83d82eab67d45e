#if canImport(Glibc)
import CSystem
import Glibc
#endif

/// A fixed set of event loops, about one per core. Connections are pinned to one loop for life.
public final class EventLoopGroup: @unchecked Sendable {
    public let loops: [EventLoop]

    /// `count` 0 means one loop per online CPU.
    /// `batchesWrites`: see `EventLoop.batchesWrites` (on for the gateway, off for `loadtest`).
    public init(count: Int = 0, clock: any Clock = MonotonicClock(), tickInterval: Duration = .milliseconds(100),
                batchesWrites: Bool = true) {
        // A write to a socket the peer reset must be an EPIPE error, never a process-killing signal.
        signal(SIGPIPE, SIG_IGN)
        let n = count > 0 ? count : EventLoopGroup.usableCPUCount
        loops = (0..<n).map { EventLoop(index: $0, clock: clock, tickInterval: tickInterval, batchesWrites: batchesWrites) }
    }

    /// CPUs this process may run on (its affinity mask): `taskset -c 0 portcullis` gets one loop.
    public static var usableCPUCount: Int { max(1, Int(portcullis_usable_cpu_count())) }

    public func shutdown() { loops.forEach { $0.shutdown() } }
}

/// Creates per-connection handlers for accepted sockets. Called on the accepting loop.
public protocol AcceptHandler: AnyObject, Sendable {
    func accepted(fd: Int32, on loop: EventLoop)
}

/// One listening socket shared by every loop of a group: the descriptor is registered in each loop's
/// epoll set with EPOLLEXCLUSIVE, so the kernel wakes one loop per incoming connection and that loop
/// accepts it and keeps it (no hop between queues per connection).
public final class Listener: @unchecked Sendable {
    public let fd: Int32
    public let port: UInt16
    private let group: EventLoopGroup
    private let handler: AcceptHandler
    private var acceptors: [Acceptor] = []
    private let lock = Mutex()

    public init(address: SocketAddress, group: EventLoopGroup, handler: AcceptHandler) throws(Socket.SetupError) {
        fd = try Socket.listen(on: address)
        port = Socket.localPort(fd: fd)
        self.group = group
        self.handler = handler
    }

    /// Starts accepting on every loop.
    public func start() {
        for loop in group.loops {
            let acceptor = Acceptor(fd: fd, loop: loop, handler: handler)
            lock.withLock { acceptors.append(acceptor) }
            loop.execute { acceptor.register() }
        }
    }

    /// Stops accepting (existing connections continue) and closes the socket.
    public func stop(completion: (@Sendable () -> Void)? = nil) {
        let all = lock.withLock { acceptors }
        let fd = self.fd
        let remaining = Counter(all.count)
        for a in all {
            a.loop.execute {
                a.unregister()
                if remaining.decrement() == 0 { Glibc.close(fd); completion?() }
            }
        }
    }
}

final class Acceptor: EpollHandler, @unchecked Sendable {
    let fd: Int32
    unowned let loop: EventLoop
    let handler: AcceptHandler
    var registration: EventLoop.Registration?

    init(fd: Int32, loop: EventLoop, handler: AcceptHandler) {
        self.fd = fd; self.loop = loop; self.handler = handler
    }

    func register() {
        registration = loop.register(fd: fd, events: EPOLLIN_MASK | EPOLLEXCLUSIVE_MASK, handler: self)
    }

    func unregister() {
        if let r = registration { loop.unregister(fd: fd, registration: r); registration = nil }
    }

    func handleEpollEvent(_ events: UInt32) {
        // Accept a bounded batch per wake-up so one loop does not starve its other connections.
        for _ in 0..<64 {
            switch Socket.accept(listener: fd) {
            case .done(let client): handler.accepted(fd: client, on: loop)
            case .wouldBlock: return
            case .failed(let e):
                if e == EMFILE || e == ENFILE { return }   // out of descriptors: try again on the next wake
                return
            }
        }
    }
}
