import HTTP1
import Telemetry

/// Counting and logging each request: the record opens when a head is accepted, notes what the
/// authorizer and the exchange learn, and finishes exactly once with the status the client got —
/// a proxied response, a local answer, a gateway error, a timeout, or 499 when the client left
/// first. Finishing counts `portcullis_requests_total` and friends on this loop's `RequestMetrics`
/// and appends the access-log line to this loop's buffer: no lock, no system call.
extension ClientConnection {
    /// Opens the record of a request whose head was just parsed, with its trace context.
    func openRecord(_ request: borrowing ParsedRequest) {
        record.isOpen = true
        record.startNanos = context.loop.now.nanoseconds   // the batch that brought the head
        record.method = request.head.method
        record.methodLabel = MethodLabel(record.method)
        record.trace.begin(from: request.head.headers, random: &context.traceRandom)
    }

    /// Notes the upstream a request is forwarded to (the upstream time starts now). The plan's facts
    /// move into the record (swapped, not copied: nothing after this reads them from the plan).
    func noteForwarded(_ plan: ForwardPlan) {
        swap(&record.facts, &plan.facts)
        record.upstream = Int32(plan.upstream)
        record.upstreamStartNanos = context.loop.now.nanoseconds
    }

    /// The request's trace context (the exchange sends it upstream).
    var requestTrace: TraceParent { record.trace }

    /// Request body bytes the exchange consumed.
    func noteBytesIn(_ count: Int) { record.bytesIn += count }

    /// Response bytes the exchange handed to the client socket.
    func noteBytesOut(_ count: Int) { record.bytesOut += count }

    /// The upstream's response head went to the client with `status`.
    func noteUpstreamStatus(_ status: Int) {
        record.status = status
        record.upstreamStatus = status
    }

    func noteRetriedAttempt(code: String) {
        let upstreams = runtime.configuration.upstreams
        guard record.upstream >= 0, Int(record.upstream) < upstreams.count, let kind = UpstreamErrorKind(code: code) else { return }
        context.metrics.countUpstreamError(upstream: upstreams[Int(record.upstream)].name, kind: kind)
    }

    /// The connection closes with a request unfinished: the client got the head it got (a response
    /// cut short), or nothing (499, nginx's "client closed request").
    func finishAbandonedRecord() {
        if record.status > 0 {
            finishRecord(status: record.status, code: record.failureCode.isEmpty ? "client_closed" : record.failureCode)
        } else {
            finishRecord(status: 499, code: "client_closed")
        }
    }

    /// Counts the request with the status the client got and writes its access-log line. `code` is
    /// the failure code (empty for a relayed upstream response); a request whose head never parsed
    /// (400, 408, 431 ...) counts with route `none` and method `other`.
    func finishRecord(status: Int, code: String) {
        let now = context.loop.clock.now().nanoseconds
        let duration = record.isOpen ? now - record.startNanos : 0
        // Labels from the configuration the request ran under (a reload may renumber routes).
        let configuration = runtime.configuration
        let route = configuration.routeLabel(record.facts.route)
        let upstream = record.upstream >= 0 && Int(record.upstream) < configuration.upstreams.count
            ? configuration.upstreams[Int(record.upstream)].name : nil
        context.metrics.countRequest(route: route, method: record.methodLabel, status: status, nanoseconds: duration)
        if !code.isEmpty {
            context.metrics.codes[code, default: 0] += 1
            if record.facts.isAuthDenial {
                context.metrics.denials[RequestMetrics.DenialKey(reason: code, issuer: record.facts.issuer ?? "none"), default: 0] += 1
            }
            if let upstream, let kind = UpstreamErrorKind(code: code) {
                context.metrics.countUpstreamError(upstream: upstream, kind: kind)
            }
        }
        var upstreamNanos: Int64?
        if let upstream {
            upstreamNanos = now - record.upstreamStartNanos
            if record.upstreamStatus > 0 { context.metrics.countUpstreamResponse(upstream: upstream, nanoseconds: now - record.upstreamStartNanos) }
        }
        if let buffer = context.accessLog {
            let caller = record.facts.caller?.token
            let line = AccessLogLine(
                timestampMs: RFC3339.nowMilliseconds(),
                requestID: record.isOpen ? requestID[...] : nil,
                traceID: record.isOpen ? record.trace.traceID : nil,
                peer: peer, method: record.isOpen ? record.method : nil, path: record.facts.path, status: status,
                route: record.facts.route >= 0 ? route : nil,
                reason: code.isEmpty ? nil : code, issuer: record.facts.issuer,
                subject: caller?.subject, clientID: caller?.clientID,
                upstream: upstream, upstreamStatus: record.upstreamStatus > 0 ? record.upstreamStatus : nil,
                bytesIn: record.bytesIn, bytesOut: record.bytesOut,
                durationNanos: duration, upstreamDurationNanos: upstreamNanos)
            line.append(to: &buffer.bytes, timestamps: &buffer.timestamps)
            buffer.lineAppended()
        }
        record.reset()
    }
}
