import IO

/// The keep-alive connections and passive health of one upstream, for one event loop. Confined to
/// that loop (no locks): each loop learns target health on its own, as nginx workers do.
final class UpstreamPool: TickHandler {
    let settings: UpstreamService
    /// Strong (see `TCPStream.loop`); loops live as long as the process.
    let loop: EventLoop
    var tickIndex = -1
    fileprivate var idle: [[IdleUpstream]]
    private var consecutiveFailures: [Int]
    private var downUntil: [Instant?]
    private var nextTarget = 0
    /// Set when a reload replaced this upstream's settings: nothing returns to the pool any more.
    private var retired = false

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
            if s.delegate === self { s.delegate = nil }
            if !s.isClosed { return s }
        }
        return nil
    }

    /// Returns a connection whose last response completed cleanly with keep-alive.
    func release(_ stream: TCPStream, target: Int, now: Instant) {
        guard !retired, !stream.isClosed, !stream.isWriteFailed, stream.inbound.isEmpty, stream.outboundBytes == 0 else { stream.close(); return }
        if idle[target].count >= settings.maxIdlePerTarget { stream.close(); return }
        stream.delegate = self
        if stream.isReadingPaused { stream.resumeReading() }
        idle[target].append(IdleUpstream(stream: stream, since: now))
        loop.addTickHandler(self)
    }

    /// The idle connections, all targets (tests).
    var idleStreams: [TCPStream] { idle.flatMap { $0.map(\.stream) } }

    /// A reload left this pool behind: closes its idle connections; connections still in use close
    /// when their exchange finishes (see `release`).
    func retire() {
        retired = true
        for t in idle.indices {
            for conn in idle[t] { conn.stream.delegate = nil; conn.stream.close() }
            idle[t].removeAll()
        }
        loop.removeTickHandler(self)
    }

    func reportFailure(target: Int, now: Instant) {
        consecutiveFailures[target] += 1
        if consecutiveFailures[target] >= settings.maxFails {
            downUntil[target] = now.adding(milliseconds: settings.failTimeoutSeconds * 1000)
        }
    }

    func reportSuccess(target: Int) {
        // Written only when it changes: every response reports success, nearly always to a healthy
        // target, and a write would check the arrays' uniqueness each time.
        if consecutiveFailures[target] != 0 { consecutiveFailures[target] = 0 }
        if downUntil[target] != nil { downUntil[target] = nil }
    }

    func tick(now: Instant) {
        var any = false
        for t in idle.indices {
            idle[t].removeAll { conn in
                if now.nanoseconds - conn.since.nanoseconds > Int64(settings.idleTimeoutMs) * 1_000_000 {
                    conn.stream.close(); return true
                }
                // The idle sweep: a TLS connection parked since the previous tick gives its buffers
                // back; one taken and used in between keeps them.
                conn.stream.transform?.sweepIdleBuffers()
                return false
            }
            any = any || !idle[t].isEmpty
        }
        if !any { loop.removeTickHandler(self) }
    }
}

/// A pooled connection while idle.
struct IdleUpstream {
    let stream: TCPStream
    let since: Instant
}

/// The pool is the delegate of its idle connections (no object per release): any byte or close from
/// the upstream means an idle connection cannot be reused.
extension UpstreamPool: StreamDelegate {
    private func drop(_ stream: TCPStream) {
        for t in idle.indices {
            if let i = idle[t].firstIndex(where: { $0.stream === stream }) { idle[t].remove(at: i); break }
        }
        stream.close()
    }

    func streamDidRead(_ stream: TCPStream) { drop(stream) }
    func streamDidReachEOF(_ stream: TCPStream) { drop(stream) }
    func streamDidDrain(_ stream: TCPStream) {}
    func streamDidConnect(_ stream: TCPStream) {}
    func streamDidFail(_ stream: TCPStream, errno: Int32) { drop(stream) }
}
