import IO
import HTTP1

/// One request forwarded upstream and its response streamed back, with backpressure both ways:
/// reading from one side pauses while the other side has more than `highWatermark` bytes queued.
/// Confined to the client's loop; the upstream connection lives on the same loop (no queue hops).
final class ProxyExchange: StreamDelegate {
    /// Strong, not unowned: every access through an unowned reference pays an atomic "retain if
    /// alive" (about 1.5% of the proxy's CPU). The cycle it makes with `client.exchange` is broken
    /// on every way out: the client drops its exchange when it finishes, fails or closes.
    let client: ClientConnection
    private(set) var request: ParsedRequest
    private(set) var plan: ForwardPlan
    private(set) var pool: UpstreamPool
    private var upstream: TCPStream?
    private var target = 0
    private var reused = false
    private var connected = false
    private var attempts = 0
    private(set) var requestBodyDone: Bool
    private var responseParser: ResponseParser
    private var responseHeadSent = false
    private var outFraming = OutFraming.none
    private var clientKeepAlive = false
    private var deadline: Instant?
    private var finished = false
    /// Output gathered during one pump and written with one system call; kept across the requests
    /// of a connection with the exchange itself (no allocation per request once it has grown).
    private var scratch: [UInt8] = []

    enum OutFraming { case none, length, chunked, close }

    init(client: ClientConnection, request: ParsedRequest, plan: ForwardPlan, pool: UpstreamPool) {
        self.client = client
        self.request = request
        self.plan = plan
        self.pool = pool
        switch request.framing {
        case .none, .contentLength(0): requestBodyDone = true
        default: requestBodyDone = false
        }
        responseParser = ResponseParser(limits: client.settings.httpLimits)
    }

    /// True once the exchange is over with no upstream left: the client may keep it for its next
    /// request (`reuse`) instead of allocating a new one.
    var isReusable: Bool { finished && upstream == nil }

    /// Prepares a finished exchange for the connection's next request: every per-request field is
    /// set as `init` sets it (the response parser is reset by `connect`).
    func reuse(request: ParsedRequest, plan: ForwardPlan, pool: UpstreamPool) {
        precondition(isReusable, "reusing an exchange that is still running")
        self.request = request
        self.plan = plan
        self.pool = pool
        target = 0
        reused = false
        connected = false
        attempts = 0
        switch request.framing {
        case .none, .contentLength(0): requestBodyDone = true
        default: requestBodyDone = false
        }
        responseHeadSent = false
        outFraming = .none
        clientKeepAlive = false
        deadline = nil
        finished = false
        upstreamKeepAlive = false
    }

    /// Drops the finished request's head and plan (an idle keep-alive connection keeps its spare
    /// exchange, not the last request's header bytes).
    func releaseRequest() {
        request = Self.idleRequest
        plan = Self.idlePlan
    }
    private static let idleRequest = ParsedRequest(head: RequestHead(method: "", target: "", version: .http1_1, headers: HTTPHeaders()),
                                                   framing: .none, keepAlive: false, expectsContinue: false)
    private static let idlePlan = ForwardPlan(upstream: 0, target: "", dropHeaders: FieldNameSet([]))

    private var now: Instant { client.context.loop.now }
    private var highWatermark: Int { client.settings.highWatermark }

    /// Idempotent and without a body: safe to send again on a fresh connection.
    private var retryable: Bool {
        guard case .none = request.framing else { if case .contentLength(0) = request.framing { return idempotent }; return false }
        return idempotent
    }
    private var idempotent: Bool {
        switch request.head.method { case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE": return true; default: return false }
    }

    func start() {
        connect(preferIdle: true)
    }

    private func connect(preferIdle: Bool) {
        attempts += 1
        target = pool.pickTarget(now: now)
        responseParser = ResponseParser(limits: client.settings.httpLimits)
        responseParser.expectResponse(toMethod: request.head.method)
        if preferIdle, let s = pool.takeIdle(target: target) {
            reused = true
            connected = true
            upstream = s
            s.delegate = self
            deadline = now.adding(milliseconds: pool.settings.responseTimeoutMs)
        } else {
            reused = false
            connected = false
            guard let s = TCPStream.connect(to: pool.settings.targets[target], loop: client.context.loop, delegate: self) else {
                upstreamFailed(connectFailure: true, reason: "upstream connection refused")
                return
            }
            upstream = s
            deadline = now.adding(milliseconds: pool.settings.connectTimeoutMs)
        }
        // The head is written into the scratch buffer (no array per request) and again on a retry.
        if let up = upstream {
            scratch.removeAll(keepingCapacity: true)
            UpstreamRequest.writeHead(for: request, plan: plan, peer: client.peer, requestID: client.requestID, into: &scratch)
            flushScratch(to: up)
        }
        pumpRequestBody()
    }

    // MARK: request body: client -> upstream

    func pumpRequestBody() {
        guard !requestBodyDone, !finished, let up = upstream else { return }
        let cs = client.stream
        scratch.removeAll(keepingCapacity: true)
        defer { flushScratch(to: up) }
        while !requestBodyDone {
            if up.outboundBytes + scratch.count > highWatermark { cs.pauseReading(); return }
            let result = cs.inbound.withReadableBytes { buf in
                Result { () throws(HTTPParseError) -> (ParseEvent<ParsedRequest>, Int) in
                    let (event, consumed) = try client.parser.parse(buf)
                    if case .body(let range) = event {
                        if case .chunked = request.framing {
                            HTTPSerializer.writeChunkHeader(length: range.count, into: &scratch)
                            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[range]))
                            scratch.append(contentsOf: HTTPSerializer.crlf)
                        } else {
                            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[range]))
                        }
                    }
                    return (event, consumed)
                }
            }
            switch result {
            case .failure(let error):
                // A malformed body: the upstream gets nothing more; the client gets 400 if we still can.
                abandonUpstream()
                if !responseHeadSent {
                    finished = true
                    client.exchangeFailed(.parseError(error), request: nil)
                } else { client.close() }
                return
            case .success(let (event, consumed)):
                cs.inbound.moveReaderIndex(by: consumed)
                switch event {
                case .needMore:
                    if consumed == 0 || cs.inbound.isEmpty { if cs.isReadingPaused { cs.resumeReading() }; return }
                case .body: break
                case .end:
                    if case .chunked = request.framing { scratch.append(contentsOf: HTTPSerializer.lastChunk) }
                    requestBodyDone = true
                    cs.pauseReading()   // later pipelined requests wait for this response
                case .head: break
                }
            }
        }
    }

    private func flushScratch(to stream: TCPStream) {
        if !scratch.isEmpty { scratch.withUnsafeBytes { stream.write($0) }; scratch.removeAll(keepingCapacity: true) }
    }

    // MARK: response: upstream -> client

    private func pumpResponse() {
        guard let up = upstream, !finished else { return }
        let cs = client.stream
        scratch.removeAll(keepingCapacity: true)
        defer { flushScratch(to: cs) }
        while !finished {
            if cs.outboundBytes + scratch.count > highWatermark { up.pauseReading(); return }
            let result = up.inbound.withReadableBytes { buf in
                Result { () throws(HTTPParseError) -> (ParseEvent<ParsedResponse>, Int) in
                    let (event, consumed) = try responseParser.parse(buf)
                    if case .body(let range) = event { appendBody(UnsafeRawBufferPointer(rebasing: buf[range])) }
                    return (event, consumed)
                }
            }
            switch result {
            case .failure(let error):
                if !responseHeadSent { respondError(502, "bad_gateway", "upstream sent a malformed response (\(error.code.rawValue))", code: "upstream_malformed") }
                else { abortBoth() }
                return
            case .success(let (event, consumed)):
                up.inbound.moveReaderIndex(by: consumed)
                switch event {
                case .needMore:
                    if consumed == 0 || up.inbound.isEmpty { if up.isReadingPaused { up.resumeReading() }; return }
                case .head(let response): sendResponseHead(response)
                case .body: break
                case .end: finishResponse(); return
                }
            }
        }
    }

    private func appendBody(_ bytes: UnsafeRawBufferPointer) {
        if outFraming == .chunked {
            HTTPSerializer.writeChunkHeader(length: bytes.count, into: &scratch)
            scratch.append(contentsOf: bytes)
            scratch.append(contentsOf: HTTPSerializer.crlf)
        } else {
            scratch.append(contentsOf: bytes)
        }
    }

    private func sendResponseHead(_ response: ParsedResponse) {
        if response.head.status < 200 { return }   // 1xx from upstream: Expect is answered by us; drop
        pool.reportSuccess(target: target)
        let method = request.head.method
        let noBody = method == "HEAD" || response.head.status == 204 || response.head.status == 304
        switch response.framing {
        case _ where noBody: outFraming = .none
        case .none: outFraming = .none
        case .contentLength: outFraming = .length
        case .chunked, .untilClose: outFraming = request.head.version == .http1_1 ? .chunked : .close
        }
        clientKeepAlive = request.keepAlive && outFraming != .close && !client.context.shared.isDraining
        client.logAccess(request, status: response.head.status, code: "", route: plan.routeLabel)
        // Copied from the parsed head minus hop-by-hop fields and ours; re-framed bodies lose their length.
        HTTPSerializer.writeStatusLine(status: response.head.status, reason: response.head.reason, into: &scratch)
        let reframed = outFraming == .chunked || outFraming == .close
        HTTPSerializer.writeForwardedFields(response.head.headers, dropping: reframed ? Self.dropWhenReframed : Self.drop, into: &scratch)
        if outFraming == .chunked { HTTPSerializer.writeLine("Transfer-Encoding: chunked\r\n", into: &scratch) }
        HTTPSerializer.writeField(known: "X-Request-Id", into: &scratch) { [client] in $0.append(contentsOf: client.requestID) }
        if !clientKeepAlive { HTTPSerializer.writeLine("Connection: close\r\n", into: &scratch) }
        else if request.head.version == .http1_0 { HTTPSerializer.writeLine("Connection: keep-alive\r\n", into: &scratch) }
        HTTPSerializer.endHead(into: &scratch)
        responseHeadSent = true
        upstreamKeepAlive = response.keepAlive
    }
    private var upstreamKeepAlive = false
    /// Upstream response fields replaced by the gateway's own.
    private static let drop = FieldNameSet(["x-request-id"])
    private static let dropWhenReframed = FieldNameSet(["x-request-id", "content-length"])

    private func finishResponse() {
        guard !finished else { return }
        finished = true
        if outFraming == .chunked { scratch.append(contentsOf: HTTPSerializer.lastChunk) }
        flushScratch(to: client.stream)
        if let up = upstream {
            up.delegate = nil
            if upstreamKeepAlive && requestBodyDone && up.inbound.isEmpty { pool.release(up, target: target, now: now) }
            else { up.close() }
        }
        upstream = nil
        client.exchangeDidFinish(keepAlive: clientKeepAlive && requestBodyDone)
    }

    // MARK: failures

    private func respondError(_ status: Int, _ error: String, _ description: String, code: String) {
        finished = true
        client.logAccess(request, status: status, code: code, route: plan.routeLabel)
        abandonUpstream()
        client.exchangeFailed(.error(status, error: error, description: description, code: code, close: !requestBodyDone), request: request)
    }

    private func abandonUpstream() {
        if let up = upstream { up.delegate = nil; up.abort() }
        upstream = nil
    }

    private func abortBoth() {
        finished = true
        abandonUpstream()
        client.exchange = nil
        client.close()
    }

    private func upstreamFailed(connectFailure: Bool, reason: String) {
        let receivedNothing = !responseHeadSent && (upstream?.bytesRead ?? 0) == 0
        if connectFailure { pool.reportFailure(target: target, now: now) }
        upstream?.delegate = nil
        upstream?.close()
        upstream = nil
        // Retry only what cannot have had an effect twice: an idempotent, bodyless request whose reused
        // connection died before any response byte; or a connect failure with another target to try.
        if receivedNothing && retryable && attempts < 2 && (reused || (connectFailure && pool.settings.targets.count > 1)) {
            connect(preferIdle: false)
            return
        }
        if responseHeadSent { abortBoth(); return }
        respondError(502, "bad_gateway", reason, code: connectFailure ? "upstream_connect_failed" : "upstream_reset")
    }

    /// The client went away: drop the upstream at once (never reuse a half-sent request's connection).
    func clientAborted() {
        finished = true
        abandonUpstream()
    }

    func clientDrained() {
        if let up = upstream, up.isReadingPaused, !finished { pumpResponse() }
    }

    func tick(now: Instant) {
        guard !finished, let d = deadline, now >= d else { return }
        if !connected {
            pool.reportFailure(target: target, now: now)
            respondError(504, "gateway_timeout", "upstream connect timed out", code: "upstream_connect_timeout")
        } else if !responseHeadSent {
            respondError(504, "gateway_timeout", "upstream did not respond in time", code: "upstream_timeout")
        } else {
            abortBoth()
        }
    }

    // MARK: StreamDelegate (the upstream connection)

    func streamDidConnect(_ stream: TCPStream) {
        connected = true
        deadline = now.adding(milliseconds: pool.settings.responseTimeoutMs)
    }

    func streamDidRead(_ stream: TCPStream) {
        deadline = now.adding(milliseconds: pool.settings.responseTimeoutMs)
        pumpResponse()
    }

    func streamDidReachEOF(_ stream: TCPStream) {
        guard !finished else { return }
        pumpResponse()
        guard !finished else { return }
        switch Result(catching: { () throws(HTTPParseError) in try responseParser.finish() }) {
        case .success(.end) where responseHeadSent:
            upstreamKeepAlive = false
            finishResponse()
        default:
            upstreamFailed(connectFailure: false, reason: "upstream closed the connection before a complete response")
        }
    }

    func streamDidDrain(_ stream: TCPStream) {
        if !requestBodyDone { pumpRequestBody() }
    }

    func streamDidFail(_ stream: TCPStream, errno: Int32) {
        guard !finished else { return }
        upstreamFailed(connectFailure: !connected, reason: connected ? "upstream reset the connection" : "upstream connection failed: \(errnoDescription(errno))")
    }
}
