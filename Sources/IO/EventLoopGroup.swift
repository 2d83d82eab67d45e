import Locks
import Dispatch
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
    /// Accepting on `loop` stopped for `Listener.acceptBackoffMilliseconds` because the process or the
    /// system is out of a resource (`errno`: EMFILE, ENFILE, ENOBUFS, ENOMEM). Called once per
    /// episode, not per retry; open connections are served meanwhile.
    func acceptPaused(errno: Int32, on loop: EventLoop)
    /// Accepting on `loop` works again after a pause.
    func acceptResumed(on loop: EventLoop)
}

extension AcceptHandler {
    public func acceptPaused(errno: Int32, on loop: EventLoop) {}
    public func acceptResumed(on loop: EventLoop) {}
}

/// One listening socket shared by every loop of a group: the descriptor is registered in each loop's
/// epoll set with EPOLLEXCLUSIVE, so the kernel wakes one loop per incoming connection and that loop
/// accepts it and keeps it (no hop between queues per connection).
public final class Listener: @unchecked Sendable {
    public let fd: Int32
    public let port: UInt16
    /// How long a loop stops accepting after a resource error (EMFILE, ENFILE, ENOBUFS, ENOMEM).
    public static let acceptBackoffMilliseconds = 100
    private let group: EventLoopGroup
    private let handler: AcceptHandler
    private var acceptors: [Acceptor] = []
    private var stopped = false
    private let lock = Locked<Void>()

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
            guard lock.withLock({ () -> Bool in
                if stopped { return false }
                acceptors.append(acceptor)
                return true
            }) else { return }
            loop.execute { acceptor.register() }
        }
    }

    /// Stops accepting (existing connections continue) and closes the socket. Idempotent: the
    /// listener owns its descriptor and closes it exactly once (a second `close` of the number could
    /// close whatever socket the kernel has handed that number to since).
    ///
    /// Connections the kernel has already completed but no loop has accepted yet (the backlog) are
    /// accepted and handed to the handler before the socket closes: closing a listener resets every
    /// connection still in its backlog, and those clients have usually sent their request already.
    public func stop(completion: (@Sendable () -> Void)? = nil) {
        let (all, first) = lock.withLock { () -> ([Acceptor], Bool) in
            let all = acceptors
            acceptors = []
            defer { stopped = true }
            return (all, !stopped)
        }
        let fd = self.fd
        guard first else { completion?(); return }
        if all.isEmpty { Glibc.close(fd); completion?(); return }
        let remaining = Counter(all.count)
        for a in all {
            a.loop.execute { [handler] in
                a.unregister()
                guard remaining.decrement() == 0 else { return }
                Self.acceptBacklog(fd: fd, loop: a.loop, handler: handler)
                Glibc.close(fd)
                completion?()
            }
        }
    }

    /// Accepts what is waiting in the backlog of `fd` (no loop watches it any more), at most
    /// `maximumBacklog` connections, and hands each to `handler` on `loop`.
    static func acceptBacklog(fd: Int32, loop: EventLoop, handler: AcceptHandler) {
        for _ in 0..<maximumBacklog {
            switch Socket.accept(listener: fd) {
            case .done(let client): handler.accepted(fd: client, on: loop)
            case .wouldBlock: return
            case .failed(let e):
                switch e {
                case EMFILE, ENFILE, ENOBUFS, ENOMEM: return   // the rest are reset with the socket
                default: continue
                }
            }
        }
    }

    /// The most connections `stop` accepts from the backlog (the kernel's `somaxconn` default).
    static let maximumBacklog = 4096
}

/// Accepts on one loop. The listening socket is level-triggered: a connection left in the backlog
/// wakes the loop again at once.
///
/// Out of descriptors (EMFILE/ENFILE) or kernel memory (ENOBUFS/ENOMEM), `accept` fails while the
/// connection stays in the backlog, so a level-triggered listener would wake the loop in a tight
/// loop doing nothing (issue #10: 80% of a core under `ulimit -n 40`). Instead the acceptor stops
/// watching the listener for `backoffMilliseconds` (as nginx and SwiftNIO do), tells its handler
/// once per episode, and tries again; open connections are served meanwhile and the waiting
/// clients stay in the kernel's backlog.
final class Acceptor: EpollHandler, @unchecked Sendable {
    let fd: Int32
    unowned let loop: EventLoop
    let handler: AcceptHandler
    var registration: EventLoop.Registration?
    /// Set by `stop`: a pending back-off timer must not register a stopped listener again.
    private var stopped = false
    private var paused = false
    /// How long accepting pauses after a resource error.
    static var backoffMilliseconds: Int { Listener.acceptBackoffMilliseconds }

    init(fd: Int32, loop: EventLoop, handler: AcceptHandler) {
        self.fd = fd; self.loop = loop; self.handler = handler
    }

    func register() {
        guard !stopped, registration == nil else { return }
        registration = loop.register(fd: fd, events: EPOLLIN_MASK | EPOLLEXCLUSIVE_MASK, handler: self)
    }

    func unregister() {
        stopped = true
        if let r = registration { loop.unregister(fd: fd, registration: r); registration = nil }
    }

    func handleEpollEvent(_ events: UInt32) {
        // Accept a bounded batch per wake-up so one loop does not starve its other connections.
        for _ in 0..<64 {
            switch Socket.accept(listener: fd) {
            case .done(let client):
                if paused { paused = false; handler.acceptResumed(on: loop) }
                handler.accepted(fd: client, on: loop)
            case .wouldBlock: return
            case .failed(let e):
                switch e {
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    pause(errno: e)
                    return
                default:
                    // ECONNABORTED, EPROTO, EPERM (a firewall), ...: that one connection is gone;
                    // the next one in the backlog may be fine.
                    continue
                }
            }
        }
    }

    private func pause(errno e: Int32) {
        if let r = registration { loop.unregister(fd: fd, registration: r); registration = nil }
        if !paused { paused = true; handler.acceptPaused(errno: e, on: loop) }
        loop.queue.asyncAfter(deadline: .now() + .milliseconds(Self.backoffMilliseconds)) { [self] in register() }
    }
}
