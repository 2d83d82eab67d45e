import HTTP1
import IO
import Telemetry

/// `portcullis bench record`: what observing one proxied request costs a loop beyond proxying it —
/// the trace context from the request head, the per-loop counters and histograms, and the
/// access-log line (a 32-character request id, a normalized path, a verified caller's names) — on
/// the same types the connection uses. Batches are dropped instead of written: the disk is the
/// writer thread's cost, not the loop's.
extension VerificationBenchmark {
    public static func requestRecord(seconds: Double) throws -> Result {
        var requests = RequestParser()
        let request: ParsedRequest = try benchRequestHead.withUnsafeBytes { bytes in
            guard case (.head(let r), _) = try requests.parse(bytes) else { fatalError("request head") }
            return r
        }
        var random = TraceRandom()
        var trace = TraceParent()
        var metrics = RequestMetrics()
        var timestamps = RFC3339.Cache()
        var out: [UInt8] = []
        out.reserveCapacity(64 * 1024)
        let requestID = Array("2e2f41be3fefcf520000000000000003".utf8)
        let path = "/v1/port-calls/42", route = "port-calls.read", upstream = "port-calls"
        let clock = MonotonicClock()
        return measure("record (trace context, counters, access-log line)", seconds: seconds, batchSize: 256) {
            for _ in 0..<256 {
                let start = clock.now().nanoseconds
                trace.begin(from: request.head.headers, random: &random)
                let end = clock.now().nanoseconds
                metrics.countRequest(route: route, method: MethodLabel(request.head.method), status: 200, nanoseconds: end - start)
                metrics.countUpstreamResponse(upstream: upstream, nanoseconds: end - start)
                let line = AccessLogLine(
                    timestampMs: RFC3339.nowMilliseconds(), requestID: requestID[...], traceID: trace.traceID,
                    peer: "127.0.0.1", method: request.head.method, path: path, status: 200, route: route, reason: nil,
                    issuer: "https://issuer.example", subject: "demo-service", clientID: "demo-service",
                    upstream: upstream, upstreamStatus: 200, bytesIn: 812, bytesOut: 402,
                    durationNanos: end - start, upstreamDurationNanos: end - start)
                line.append(to: &out, timestamps: &timestamps)
                if out.count > 60 * 1024 { out.removeAll(keepingCapacity: true) }
            }
        }
    }
}
