import IO
import HTTP1
#if canImport(Glibc)
import Glibc
#endif

/// One request forwarded upstream and its response streamed back, with backpressure both ways:
/// reading from one side pauses while the other side has more than `highWatermark` bytes queued.
/// Confined to the client's loop; the upstream connection lives on the same loop (no queue hops).
/// It sees its client connection only through `ExchangeClient`.
final class ProxyExchange<Client: ExchangeClient>: StreamDelegate {
    /// Strong, not unowned: every access through an unowned reference pays an atomic "retain if
    /// alive" (about 1.5% of the proxy's CPU). The cycle it makes with the client's reference to
    /// its exchange is broken on every way out: the client drops its exchange when it finishes,
    /// fails or closes.
    let client: Client
    /// What answering the request still needs (plain values: no copy of the parsed head is kept).
    private var summary: RequestSummary
    /// The request's method (a response to HEAD has no body).
    private var method = ""
    /// The plan's response CORS (`nil` on routes where the gateway does no CORS).
    private var responseCORS: ResponseCORS?
    /// The plan's other gateway-set response fields (a renewed `DPoP-Nonce`), if any.
    private var responseFields: ResponseFields?
    private(set) var pool: UpstreamPool
    private var upstream: TCPStream?
    private var target = 0
    private var reused = false
    /// `upstream.bytesRead` when this request took it: a pooled connection has read earlier responses.
    private var upstreamBytesBefore = 0
    private var connected = false
    private var attempts = 0
    private(set) var requestBodyDone = true
    private var responseParser: ResponseParser
    private var responseHeadSent = false
    private var outFraming = OutFraming.none
    private var clientKeepAlive = false
    private var deadline: Instant?
    private var finished = false
    /// Output gathered during one pump and written with one system call; kept across the requests
    /// of a connection with the exchange itself while small (`retainedScratchCapacity`): no
    /// allocation per request for small responses, no large buffer held by an idle connection.
    private var scratch: [UInt8] = []
    /// The head sent upstream, serialized once per request (and sent again as is on a retry).
    private var upstreamHead: [UInt8] = []

    enum OutFraming { case none, length, chunked, close }

    /// An idle exchange for `client`; `start` gives it a request. The client keeps it for its next
    /// request once it is over (one object per connection, not per request).
    init(client: Client, pool: UpstreamPool) {
        self.client = client
        self.pool = pool
        summary = .idle
        responseParser = ResponseParser(limits: client.settings.httpLimits)
        finished = true
    }

    /// Bytes of buffer memory the exchange keeps between requests (tests).
    var retainedCapacity: Int { scratch.capacity + upstreamHead.capacity }

    /// True once the exchange is over with no upstream left: the client may `start` it again.
    var isReusable: Bool { finished && upstream == nil }

    /// Forwards `request` as `plan` says: serializes the upstream head once, resets every
    /// per-request field and connects.
    func start(request: ParsedRequest, plan: ForwardPlan, pool: UpstreamPool) {
        precondition(isReusable, "starting an exchange that is still running")
        summary = RequestSummary(request)
        method = request.head.method
        responseCORS = plan.responseCORS
        responseFields = plan.responseFields
        self.pool = pool
        if upstreamHead.capacity > ProxyExchangeConstants.retainedHeadCapacity { upstreamHead = [] } else { upstreamHead.removeAll(keepingCapacity: true) }
        UpstreamRequest.writeHead(for: request, plan: plan, peer: client.peer, requestID: client.requestID,
                                  trace: client.requestTrace, https: client.isTLS, into: &upstreamHead)
        target = 0
        reused = false
        connected = false
        attempts = 0
        requestBodyDone = summary.hasNoBody
        responseHeadSent = false
        outFraming = .none
        clientKeepAlive = false
        deadline = nil
        finished = false
        upstreamKeepAlive = false
        upstreamStoppedReading = false
        connect(preferIdle: true)
    }
    private var now: Instant { client.loop.now }
    private var highWatermark: Int { client.settings.highWatermark }

    private func connect(preferIdle: Bool) {
        attempts += 1
        upstreamStoppedReading = false
        target = pool.pickTarget(now: now)
        responseParser.reset()
        responseParser.expectResponse(toMethod: method)
        if preferIdle, let s = pool.takeIdle(target: target) {
            reused = true
            connected = true
            upstream = s
            upstreamBytesBefore = s.bytesRead
            s.delegate = self
            deadline = now.adding(milliseconds: pool.settings.responseTimeoutMs)
        } else {
            reused = false
            connected = false
            upstreamBytesBefore = 0
            guard let s = TCPStream.connect(to: pool.settings.targets[target], loop: client.loop, delegate: self) else {
                upstreamFailed(connectFailure: true, reason: "upstream connection refused")
                return
            }
            // Set before the connect completes (that event comes on a later turn of this loop).
            if let tls = pool.settings.tls {
                guard let session = tls.makeConnection(host: pool.settings.hostNames[target]) else {
                    s.abort()
                    respondError(502, "bad_gateway", "upstream TLS session could not be created", code: "upstream_tls")
                    return
                }
                s.transform = session
            }
            upstream = s
            deadline = now.adding(milliseconds: pool.settings.connectTimeoutMs)
        }
        if let up = upstream { upstreamHead.withUnsafeBytes { up.write($0) } }
        pumpRequestBody()
    }

    // MARK: request body: client -> upstream

    func pumpRequestBody() {
        guard !requestBodyDone, !finished, !upstreamStoppedReading, let up = upstream else { return }
        let cs = client.stream
        scratch.removeAll(keepingCapacity: true)
        defer {
            // Forwarding the body is progress: the response timeout counts from the last body bytes
            // handed to the upstream, so it starts once the request is sent (an upstream that stops
            // reading the body stalls the forwarding and still times out).
            if connected && !scratch.isEmpty { deadline = now.adding(milliseconds: pool.settings.responseTimeoutMs) }
            flushScratch(to: up)
        }
        while !requestBodyDone {
            if up.outboundBytes + scratch.count > highWatermark { cs.pauseReading(); return }
            let result = cs.inbound.withReadableBytes { buf in
                Result { () throws(HTTPParseError) -> (ParseEvent<ParsedRequest>, Int) in
                    let (event, consumed) = try client.parser.parse(buf)
                    if case .body(let range) = event {
                        if case .chunked = summary.framing {
                            HTTPSerializer.writeChunkHeader(length: range.count, into: &scratch)
                            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[range]))
                            HTTPSerializer.appendCRLF(into: &scratch)
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
                } else { abortBoth(nil) }
                return
            case .success(let (event, consumed)):
                cs.inbound.moveReaderIndex(by: consumed)
                client.noteBytesIn(consumed)
                switch event {
                case .needMore:
                    if consumed == 0 || cs.inbound.isEmpty { if cs.isReadingPaused { cs.resumeReading() }; return }
                case .body: break
                case .end:
                    if case .chunked = summary.framing { HTTPSerializer.writeLastChunk(into: &scratch) }
                    requestBodyDone = true
                    cs.pauseReading()   // later pipelined requests wait for this response
                case .head: break
                }
            }
        }
    }

    private func flushScratch(to stream: TCPStream) {
        guard !scratch.isEmpty else { return }
        if stream === client.stream { client.noteBytesOut(scratch.count) }
        scratch.withUnsafeBytes { stream.write($0) }
        scratch.removeAll(keepingCapacity: true)
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
            switch consume result {
            case .failure(let error):
                if !responseHeadSent { respondError(502, "bad_gateway", "upstream sent a malformed response (\(error.code.rawValue))", code: "upstream_malformed") }
                else { abortBoth("upstream_malformed") }
                return
            case .success(let (event, consumed)):
                up.inbound.moveReaderIndex(by: consumed)
                switch consume event {
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
            HTTPSerializer.appendCRLF(into: &scratch)
        } else {
            scratch.append(contentsOf: bytes)
        }
    }

    private func sendResponseHead(_ response: ParsedResponse) {
        if response.head.status < 200 { return }   // 1xx from upstream: Expect is answered by us; drop
        pool.reportSuccess(target: target)
        let noBody = summary.isHEAD || response.head.status == 204 || response.head.status == 304
        switch response.framing {
        case _ where noBody: outFraming = .none
        case .none: outFraming = .none
        case .contentLength: outFraming = .length
        case .chunked, .untilClose: outFraming = summary.isHTTP10 ? .close : .chunked
        }
        // An answer that arrives before the whole request body was forwarded ends the connection:
        // the rest of the body may never be read (it is discarded with a lingering close).
        clientKeepAlive = summary.keepAlive && outFraming != .close && !client.isDraining && requestBodyDone
        client.noteUpstreamStatus(response.head.status)
        // Copied from the parsed head minus hop-by-hop fields and ours; re-framed bodies lose their length.
        HTTPSerializer.writeStatusLine(status: response.head.status, reason: response.head.reason, into: &scratch)
        let reframed = outFraming == .chunked || outFraming == .close
        let dropping: FieldNameSet
        if let extra = responseFields {
            // Rare (a nonce renewal): the set is built for this response.
            var names = ["x-request-id"] + extra.names
            if reframed { names.append("content-length") }
            if responseCORS != nil { names += ResponseCORS.ownedFieldNames }
            dropping = FieldNameSet(names)
        } else if responseCORS != nil {
            dropping = reframed ? ResponseCORS.dropWhenReframed : ResponseCORS.drop
        } else {
            dropping = reframed ? ProxyExchangeConstants.dropWhenReframed : ProxyExchangeConstants.drop
        }
        HTTPSerializer.writeForwardedFields(response.head.headers, dropping: dropping, into: &scratch)
        if let cors = responseCORS { scratch.append(contentsOf: cors.serialized) }
        if let extra = responseFields { scratch.append(contentsOf: extra.serialized) }
        if outFraming == .chunked { HTTPSerializer.writeLine("Transfer-Encoding: chunked\r\n", into: &scratch) }
        client.requestID.withUnsafeBufferPointer { id in HTTPSerializer.writeField(known: "X-Request-Id", into: &scratch) { $0.append(contentsOf: id) } }
        if !clientKeepAlive { HTTPSerializer.writeLine("Connection: close\r\n", into: &scratch) }
        else if summary.isHTTP10 { HTTPSerializer.writeLine("Connection: keep-alive\r\n", into: &scratch) }
        HTTPSerializer.endHead(into: &scratch)
        responseHeadSent = true
        upstreamKeepAlive = response.keepAlive
    }
    private var upstreamKeepAlive = false
    /// A write to the upstream failed: it reads no more of this request (see `streamDidFailWriting`).
    private var upstreamStoppedReading = false

    private func finishResponse() {
        guard !finished else { return }
        finished = true
        if outFraming == .chunked { HTTPSerializer.writeLastChunk(into: &scratch) }
        flushScratch(to: client.stream)
        // Kept for the next request only when small: an idle keep-alive connection must not hold a
        // buffer the size of the last large response (up to `highWatermark`).
        if scratch.capacity > ProxyExchangeConstants.retainedScratchCapacity { scratch = [] }
        if let up = upstream {
            up.delegate = nil
            if upstreamKeepAlive && requestBodyDone && up.inbound.isEmpty { pool.release(up, target: target, now: now) }
            else { up.close() }
        }
        upstream = nil
        client.exchangeDidFinish(keepAlive: clientKeepAlive && requestBodyDone, requestBodyUnread: !requestBodyDone)
    }

    // MARK: failures

    private func respondError(_ status: Int, _ error: String, _ description: String, code: String) {
        finished = true
        abandonUpstream()
        var response = LocalResponse.error(status, error: error, description: description, code: code, close: !requestBodyDone)
        for f in responseCORS?.fields ?? [] { response.headers.append(f.name, f.value) }
        for f in responseFields?.fields ?? [] { response.headers.append(f.name, f.value) }
        client.exchangeFailed(response, request: summary)
    }

    private func abandonUpstream() {
        if let up = upstream { up.delegate = nil; up.abort() }
        upstream = nil
    }

    /// Gives up on a response whose head the client already has: both connections close; `code`
    /// names the cause in the access log and `portcullis_upstream_errors_total`.
    private func abortBoth(_ code: String?) {
        finished = true
        abandonUpstream()
        client.exchangeAborted(code: code)
    }

    private func upstreamFailed(connectFailure: Bool, reason: String) {
        // Nothing of this response: a pooled connection's count includes the responses it carried before.
        let receivedNothing = !responseHeadSent && (upstream.map { $0.bytesRead - upstreamBytesBefore } ?? 0) == 0
        if connectFailure { pool.reportFailure(target: target, now: now) }
        upstream?.delegate = nil
        upstream?.close()
        upstream = nil
        // Retry only what cannot have had an effect twice: an idempotent, bodyless request whose reused
        // connection died before any response byte; or a connect failure with another target to try.
        if receivedNothing && summary.isRetryable && attempts < 2 && (reused || (connectFailure && pool.settings.targets.count > 1)) {
            // A reused connection that died idle is the pool's staleness, not an upstream error.
            if connectFailure { client.noteRetriedAttempt(code: "upstream_connect_failed") }
            connect(preferIdle: false)
            return
        }
        if responseHeadSent { abortBoth("upstream_reset"); return }
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
        } else if !responseHeadSent && !requestBodyDone && !upstreamStoppedReading && (upstream?.outboundBytes ?? 0) == 0
                    && !client.stream.isReadingPaused {
            // Everything the client sent has gone upstream and the client sends no more: the stall
            // is the client's (nginx `client_body_timeout`), not the upstream's.
            respondError(408, "request_timeout", "request body not received in time", code: "client_body_timeout")
        } else if !responseHeadSent {
            respondError(504, "gateway_timeout", "upstream did not respond in time", code: "upstream_timeout")
        } else {
            abortBoth("upstream_timeout")
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

    /// The upstream stopped reading (EPIPE/ECONNRESET on a write): it may have answered already
    /// (an early 413 before the body). Nothing more of the body is sent; the response, if any, is
    /// read and forwarded as usual; if none comes, reading fails or times out into a 502/504.
    func streamDidFailWriting(_ stream: TCPStream, errno: Int32) {
        guard !finished else { stream.close(); return }
        upstreamStoppedReading = true
        if !requestBodyDone { client.stream.pauseReading() }   // the rest of the body stays unread
    }

    func streamDidFail(_ stream: TCPStream, errno: Int32) {
        guard !finished else { return }
        if errno == EPROTO, stream.transform?.failureReason != nil {
            // A certificate that does not verify (or any TLS failure): never retried, in clear or not.
            upstream?.delegate = nil
            upstream = nil
            if responseHeadSent { abortBoth("upstream_tls"); return }
            // OpenSSL's reason stays out of the response: it describes the upstream's certificate.
            respondError(502, "bad_gateway", "upstream TLS handshake failed", code: "upstream_tls")
            return
        }
        upstreamFailed(connectFailure: !connected, reason: connected ? "upstream reset the connection" : "upstream connection failed: \(errnoDescription(errno))")
    }
}

/// The constants of `ProxyExchange` (a generic class has no static stored properties).
enum ProxyExchangeConstants {
    /// A head buffer larger than this (a request with very large headers) is not kept for the next.
    static let retainedHeadCapacity = 16 * 1024
    /// The output buffer is kept for the connection's next request only up to this size (small
    /// responses then cost no allocation; a large one's buffer is given back when it ends).
    static let retainedScratchCapacity = 4 * 1024
    /// Upstream response fields replaced by the gateway's own.
    static let drop = FieldNameSet(["x-request-id"])
    static let dropWhenReframed = FieldNameSet(["x-request-id", "content-length"])
}
