import IO
import HTTP1

/// Everything a connection needs that is shared by all connections of one event loop: the current
/// runtime configuration with this loop's upstream pools, the request-id generator, the connection
/// registry. Confined to the loop.
final class LoopContext: @unchecked Sendable {
    /// Strong (see `TCPStream.loop`): read on every request for the batch time.
    let loop: EventLoop
    let shared: GatewayShared
    /// The configuration new requests on this loop take (see `RuntimeConfiguration`).
    private(set) var runtime: LoopRuntime
    var connections: [ObjectIdentifier: ClientConnection] = [:]
    /// This loop's request counters (summed over loops at scrape time).
    var metrics = RequestMetrics()
    /// This loop's access-log lines not yet handed to the sink; nil when the access log is off.
    private(set) var accessLog: AccessLogBuffer?
    /// Trace and span ids for requests without a valid `traceparent`.
    var traceRandom = TraceRandom()
    private let requestIDPrefix: UInt64
    private var requestCounter: UInt64 = 0

    init(loop: EventLoop, shared: GatewayShared) {
        self.loop = loop
        self.shared = shared
        let initial = shared.current
        runtime = LoopRuntime(configuration: initial, pools: initial.upstreams.map { UpstreamPool(settings: $0, loop: loop) })
        accessLog = initial.accessLog.map(AccessLogBuffer.init(sink:))
        if let buffer = accessLog { loop.execute { loop.addTickHandler(buffer) } }
        var rng = SystemRandomNumberGenerator()
        requestIDPrefix = rng.next()
    }

    /// Makes `next` the configuration of requests that begin on this loop from now on (on the loop).
    func install(_ next: RuntimeConfiguration) {
        runtime = runtime.succeeded(by: next, on: loop)
        for conn in connections.values { conn.configurationInstalled() }
        switchAccessLog(to: next.accessLog)
    }

    /// Lines gathered so far go to the sink they were written for; later ones to `sink` (nil: off).
    private func switchAccessLog(to sink: AccessLogSink?) {
        guard sink !== accessLog?.sink else { return }
        accessLog?.flush()
        if let sink {
            if let buffer = accessLog { buffer.sink = sink } else {
                let buffer = AccessLogBuffer(sink: sink)
                accessLog = buffer
                loop.addTickHandler(buffer)
            }
        } else if let buffer = accessLog {
            loop.removeTickHandler(buffer)
            accessLog = nil
        }
    }

    /// Writes a unique request id into `out` (replacing its contents): a random per-loop prefix and
    /// a counter, 32 hex digits (no syscall, no allocation once `out` has grown).
    func writeNextRequestID(into out: inout [UInt8]) {
        requestCounter &+= 1
        let prefix = requestIDPrefix, counter = requestCounter
        let hex: StaticString = "0123456789abcdef"
        out.removeAll(keepingCapacity: true)
        for i in 0..<16 { out.append(hex.utf8Start[Int((prefix >> UInt64(60 - 4 * i)) & 0xF)]) }
        for i in 0..<16 { out.append(hex.utf8Start[Int((counter >> UInt64(60 - 4 * i)) & 0xF)]) }
    }

    /// Writes the request's id into `out`: the client's `X-Request-Id` when it is sane (1–128 visible
    /// ASCII characters), else a new one.
    func writeRequestID(for head: RequestHead, into out: inout [UInt8]) {
        let given = head.headers.withFirstValue("X-Request-Id") { value -> Bool in
            guard let value, !value.isEmpty, value.count <= 128, value.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: value)
            return true
        }
        if !given { writeNextRequestID(into: &out) }
    }
}
