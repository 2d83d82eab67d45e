import Dispatch
import IO
import LoadtestCore

/// One event loop's share of a run: its connections, its request cursor, its `RunResult`, and (open
/// loop) its share of the schedule with a timer for the next due request. Everything here runs on
/// `loop.queue`, so the hot path takes no lock; results are merged after the run.
final class LoopWorker: TickHandler, @unchecked Sendable {
    let loop: EventLoop
    let plan: RunPlan
    let phases: RunPhases
    let timeout: UInt64
    /// Open-loop share of the schedule; nil in closed loop.
    private let share: OpenLoopShare?
    private let connectionCount: Int
    private let onFinished: @Sendable () -> Void

    var cursor = RequestCursor()
    var result: RunResult
    private var connections: [LoadConnection] = []
    private var retired = 0
    private var finished = false
    /// Counters for the progress line, warm-up included.
    private var progress = ProgressLine.Snapshot(time: 0, responses: 0, non2xx: 0, errors: 0)
    /// Open loop: the next local request to send, connections waiting for it, the wake-up timer.
    private var nextLocal: UInt64 = 0
    private var idle: [LoadConnection] = []
    private var timer: DispatchSourceTimer?
    var tickIndex = -1

    /// Pause before reconnecting after a failed connect, so a dead target is not hammered in a spin.
    static let reconnectBackoff: UInt64 = 20_000_000

    init(loop: EventLoop, plan: RunPlan, phases: RunPhases, share: OpenLoopShare?, connections: Int,
         onFinished: @escaping @Sendable () -> Void) {
        self.loop = loop
        self.plan = plan
        self.phases = phases
        self.timeout = plan.load.timeoutNanoseconds
        self.share = share
        self.connectionCount = connections
        self.onFinished = onFinished
        result = RunResult(measuredNanoseconds: phases.duration)
    }

    var now: UInt64 { UInt64(loop.clock.now().nanoseconds) }

    /// Opens the connections (call on the loop).
    func start() {
        loop.addTickHandler(self)
        if share != nil {
            let t = DispatchSource.makeTimerSource(queue: loop.queue)
            t.setEventHandler { [unowned self] in self.pump(now: self.now) }
            t.schedule(deadline: .distantFuture)
            t.resume()
            timer = t
        }
        let now = self.now
        connections = (0..<connectionCount).map { _ in LoadConnection(worker: self) }
        for c in connections { c.connect(now: now) }
    }

    /// Counters so far (call on the loop).
    func snapshot() -> ProgressLine.Snapshot {
        var s = progress
        s.time = now
        return s
    }

    /// Whether new requests may still start.
    private func acceptsRequests(now: UInt64) -> Bool {
        if let share { return share.intendedSendTime(ofLocal: nextLocal) < phases.end }
        return phases.phase(at: now) != .finished
    }

    // MARK: events from connections

    func connectionReady(_ c: LoadConnection, now: UInt64) {
        guard acceptsRequests(now: now) else { retire(c); return }
        if share == nil {
            c.send(sendTime: now, measured: phases.isMeasured(sendTime: now), now: now)
        } else {
            if !c.isListedIdle { c.isListedIdle = true; idle.append(c) }
            pump(now: now)
        }
    }

    func responseCompleted(status: Int, latency: UInt64, measured: Bool, tokenKind: TokenKind?) {
        progress.responses &+= 1
        if !(200...299).contains(status) { progress.non2xx &+= 1 }
        if measured { result.recordResponse(status: status, latencyNanoseconds: latency, tokenKind: tokenKind) }
    }

    func requestFailed(_ kind: TransportErrorKind, measured: Bool, now: UInt64) {
        progress.errors &+= 1
        if measured { result.recordError(kind) }
    }

    /// A connect failed. It stands for one request: in closed loop the one the connection would have
    /// sent now; in open loop the oldest due request, if any (so a dead target shows up as errors at
    /// the scheduled rate instead of as silence).
    func connectFailed(_ c: LoadConnection, kind: TransportErrorKind, now: UInt64) {
        if let share {
            if nextLocal < share.requestsDue(at: now), acceptsRequests(now: now) {
                let intended = share.intendedSendTime(ofLocal: nextLocal)
                nextLocal += 1
                attemptFailed(kind, measured: phases.isMeasured(sendTime: intended))
            }
        } else if acceptsRequests(now: now) {
            attemptFailed(kind, measured: phases.isMeasured(sendTime: now))
        }
        reconnect(c, now: now, afterFailure: true)
    }

    private func attemptFailed(_ kind: TransportErrorKind, measured: Bool) {
        if measured { result.recordRequest() }
        requestFailed(kind, measured: measured, now: 0)
    }

    /// Opens a new connection for `c` (after a pause if the last connect failed), or retires it.
    func reconnect(_ c: LoadConnection, now: UInt64, afterFailure: Bool) {
        guard acceptsRequests(now: now) else { retire(c); return }
        guard afterFailure else { c.connect(now: now); return }
        loop.queue.asyncAfter(deadline: .now() + .nanoseconds(Int(Self.reconnectBackoff))) { [self] in
            let now = self.now
            if acceptsRequests(now: now) { c.connect(now: now) } else { retire(c) }
        }
    }

    private func retire(_ c: LoadConnection) {
        guard c.state != .retired else { return }
        c.retire()
        retired += 1
        if retired == connections.count { finish() }
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        timer = nil
        loop.removeTickHandler(self)
        onFinished()
    }

    // MARK: open loop

    /// Sends every due request that has an idle connection, then sleeps until the next one is due.
    private func pump(now: UInt64) {
        guard let share, !finished else { return }
        while true {
            let intended = share.intendedSendTime(ofLocal: nextLocal)
            if intended >= phases.end {
                for c in idle where c.state == .ready { retire(c) }
                idle.removeAll()
                return
            }
            if intended > now {
                if !idle.isEmpty { timer?.schedule(deadline: .now() + .nanoseconds(Int(intended - now)), leeway: .nanoseconds(0)) }
                return
            }
            guard let c = popIdle() else { return }   // due requests wait for a free connection
            nextLocal += 1
            c.send(sendTime: intended, measured: phases.isMeasured(sendTime: intended), now: now)
        }
    }

    private func popIdle() -> LoadConnection? {
        while let c = idle.popLast() {
            c.isListedIdle = false
            if c.state == .ready { return c }
        }
        return nil
    }

    // MARK: TickHandler

    func tick(now instant: Instant) {
        let now = UInt64(instant.nanoseconds)
        for c in connections where c.deadline <= now { c.timedOut(now: now) }
        guard let share else {
            return
        }
        // Due requests that found no connection for a whole timeout are lost: a user would have given up.
        while nextLocal < share.requestsDue(at: now), share.intendedSendTime(ofLocal: nextLocal) &+ timeout <= now,
              acceptsRequests(now: now) {
            let intended = share.intendedSendTime(ofLocal: nextLocal)
            nextLocal += 1
            attemptFailed(.responseTimeout, measured: phases.isMeasured(sendTime: intended))
        }
        pump(now: now)
    }
}
