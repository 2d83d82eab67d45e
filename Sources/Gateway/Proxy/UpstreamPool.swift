import IO

/// The keep-alive connections and passive health of one upstream, for one event loop. Confined to
/// that loop (no locks): each loop learns target health on its own, as nginx workers do.
final class UpstreamPool: TickHandler {
    let settings: UpstreamService
    unowned let loop: EventLoop
    var tickIndex = -1
    private var idle: [[IdleUpstream]]
    private var consecutiveFailures: [Int]
    private var downUntil: [Instant?]
    private var nextTarget = 0

    init(settings: UpstreamService, loop: EventLoop) {
        self.settings = settings
        self.loop = loop
        idle = Array(repeating: [], count: settings.targets.count)
        consecutiveFailures = Array(repeating: 0, count: settings.targets.count)
        downUntil = Array(repeating: nil, count: settings.targets.count)
    }

    /// Round-robin over targets that are not marked down. With one target, or when every target is
    /// down, the least recently failed one is tried anyway (a single flaky target is never "down",
    /// as with nginx).
    func pickTarget(now: Instant) -> Int {
        let n = settings.targets.count
        if n == 1 { return 0 }
        for _ in 0..<n {
            let t = nextTarget
            nextTarget = (nextTarget + 1) % n
            if let until = downUntil[t], until > now { continue }
            return t
        }
        var best = 0
        for t in 1..<n where (downUntil[t] ?? now) < (downUntil[best] ?? now) { best = t }
        return best
    }

    /// A pooled keep-alive connection to `target`, if one is idle.
    func takeIdle(target: Int) -> TCPStream? {
        while let conn = idle[target].popLast() {
            let s = conn.stream
            conn.detach()
            if !s.isClosed { return s }
        }
        return nil
    }

    /// Returns a connection whose last response completed cleanly with keep-alive.
    func release(_ stream: TCPStream, target: Int, now: Instant) {
        guard !stream.isClosed, stream.inbound.isEmpty, stream.outboundBytes == 0 else { stream.close(); return }
        if idle[target].count >= settings.maxIdlePerTarget { stream.close(); return }
        let conn = IdleUpstream(stream: stream, since: now, pool: self, target: target)
        stream.delegate = conn
        if stream.isReadingPaused { stream.resumeReading() }
        idle[target].append(conn)
        loop.addTickHandler(self)
    }

    func remove(_ conn: IdleUpstream) {
        if let i = idle[conn.target].firstIndex(where: { $0 === conn }) { idle[conn.target].remove(at: i) }
    }

    func reportFailure(target: Int, now: Instant) {
        consecutiveFailures[target] += 1
        if consecutiveFailures[target] >= settings.maxFails {
            downUntil[target] = now.adding(milliseconds: settings.failTimeoutSeconds * 1000)
        }
    }

    func reportSuccess(target: Int) {
        consecutiveFailures[target] = 0
        downUntil[target] = nil
    }

    func tick(now: Instant) {
        var any = false
        for t in idle.indices {
            idle[t].removeAll { conn in
                if now.nanoseconds - conn.since.nanoseconds > Int64(settings.idleTimeoutMs) * 1_000_000 {
                    conn.stream.close(); return true
                }
                return false
            }
            any = any || !idle[t].isEmpty
        }
        if !any { loop.removeTickHandler(self) }
    }
}

/// A pooled connection while idle: any byte or close from the upstream means it cannot be reused.
final class IdleUpstream: StreamDelegate {
    let stream: TCPStream
    let since: Instant
    let target: Int
    /// Unowned, not weak: a weak reference would move the pool's reference count into a side
    /// table and slow down every retain of it on the request path. Pools live as long as their loop.
    unowned let pool: UpstreamPool

    init(stream: TCPStream, since: Instant, pool: UpstreamPool, target: Int) {
        self.stream = stream; self.since = since; self.pool = pool; self.target = target
    }

    func detach() { if stream.delegate === self { stream.delegate = nil } }

    private func drop() {
        pool.remove(self)
        stream.close()
    }

    func streamDidRead(_ stream: TCPStream) { drop() }
    func streamDidReachEOF(_ stream: TCPStream) { drop() }
    func streamDidDrain(_ stream: TCPStream) {}
    func streamDidConnect(_ stream: TCPStream) {}
    func streamDidFail(_ stream: TCPStream, errno: Int32) { pool.remove(self) }
}
