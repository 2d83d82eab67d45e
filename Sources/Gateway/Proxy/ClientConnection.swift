import IO
import HTTP1
import Policy
import PortcullisTLS

/// One client connection: parses requests in order (keep-alive, pipelining), asks the authorizer,
/// and either answers locally or hands the request to a `ProxyExchange`. Confined to its loop.
///
/// Pipelining: the next request is parsed only after the current response is complete, so responses
/// are always in request order; bytes of later requests wait in `stream.inbound`.
final class ClientConnection: StreamDelegate, TickHandler, ExchangeClient, @unchecked Sendable {
    enum Phase { case awaitingHead, authorizing, proxying, closing, lingering, closed }

    let stream: TCPStream
    let context: LoopContext
    let peer: String
    var parser: RequestParser
    private(set) var phase: Phase = .awaitingHead
    var tickIndex = -1
    /// The exchange forwarding the current request, while the connection is `.proxying`.
    private(set) var exchange: ProxyExchange<ClientConnection>?
    /// The last finished exchange, kept for the next request (one object per connection, not per
    /// request). It references this connection, so `close()` drops it.
    private var spareExchange: ProxyExchange<ClientConnection>?
    /// Bytes of buffer memory the connection keeps while idle: its read buffer and the finished
    /// exchange it keeps for the next request (tests).
    var idleBufferBytes: Int { stream.inbound.capacity + (spareExchange?.retainedCapacity ?? 0) }
    private var headDeadline: Instant?
    /// A request head has arrived on this connection (a drain closes only connections that have
    /// carried one and now sit idle between requests).
    private var carriedRequest = false
    private var idleDeadline: Instant?
    private var lingerDeadline: Instant?
    private(set) var requestsServed = 0
    /// The id of the request being handled: the client's sane `X-Request-Id` or a generated one,
    /// the same in the upstream request, the response and the access log.
    private(set) var requestID: [UInt8] = []
    /// `requestID` as text (logs and local responses only: the proxied path writes the bytes).
    var currentRequestID: String { String(decoding: requestID, as: UTF8.self) }
    /// Metrics and access-log notes about the request being served (see `ClientConnection+Record`).
    var record = RequestRecord()
    /// The request waiting for an asynchronous authorization (unknown-`kid` JWKS refresh).
    private var pendingRequest: ParsedRequest?
    /// One completion per connection (not one closure allocation per request). It holds the
    /// connection strongly: a weak capture would give every connection a side table and make every
    /// retain and release of it take the slow path. `close()` drops it, breaking the cycle; an
    /// authorization still pending keeps the connection alive until it arrives (and is ignored).
    private var authorizationCompletion: @Sendable (AuthorizationOutcome) -> Void = ClientConnection.ignoreOutcome
    private static let ignoreOutcome: @Sendable (AuthorizationOutcome) -> Void = { _ in }

    /// The configuration of the current request (taken from the loop when a request begins, kept
    /// until its response is complete: see `RuntimeConfiguration`).
    private(set) var runtime: LoopRuntime
    var settings: ProxySettings { runtime.settings }

    /// Whether the connection is HTTPS (`X-Forwarded-Proto: https`).
    var isTLS: Bool { stream.transform != nil }
    var loop: EventLoop { context.loop }
    var isDraining: Bool { context.shared.isDraining }
    /// The verified client certificate (thumbprint, header lines), read on the first request of
    /// the connection; nil without one.
    lazy var clientCertificate: VerifiedClientCertificate? = VerifiedClientCertificate(session: stream.transform as? TLSConnection)

    init(stream: TCPStream, context: LoopContext, peer: String) {
        self.stream = stream
        self.context = context
        self.peer = peer
        runtime = context.runtime
        self.parser = RequestParser(limits: runtime.settings.httpLimits)
    }

    func start() {
        stream.inboundLimit = settings.httpLimits.maxHeaderBytes + settings.httpLimits.maxRequestLineBytes + 64 * 1024
        context.connections[ObjectIdentifier(self)] = self
        context.loop.addTickHandler(self)
        idleDeadline = context.loop.now.adding(milliseconds: settings.headerReadTimeoutMs)
        authorizationCompletion = { [self, loop = context.loop] outcome in
            loop.execute { [self] in
                guard let request = pendingRequest else { return }
                pendingRequest = nil
                authorized(request, outcome)
            }
        }
        if !stream.start(delegate: self) { close() }
    }

    // MARK: stream events

    func streamDidRead(_ stream: TCPStream) {
        switch phase {
        case .awaitingHead: processInbound()
        case .proxying: exchange?.pumpRequestBody()
        case .lingering: stream.inbound.moveReaderIndex(by: stream.inbound.readableBytes)
        case .authorizing, .closing, .closed: break
        }
    }

    func streamDidReachEOF(_ stream: TCPStream) {
        switch phase {
        case .proxying:
            // A client that half-closes after a complete request still gets its response.
            if let ex = exchange, !ex.requestBodyDone { ex.clientAborted() ; close() }
        case .awaitingHead:
            close()   // idle, or an incomplete head followed by EOF: nothing to answer
        case .lingering, .closing, .authorizing: close()
        case .closed: break
        }
    }

    func streamDidDrain(_ stream: TCPStream) {
        switch phase {
        case .proxying: exchange?.clientDrained()
        case .awaitingHead where waitingForDrain:
            waitingForDrain = false
            processInbound()
        default: break
        }
    }

    func streamDidConnect(_ stream: TCPStream) {}

    func streamDidFail(_ stream: TCPStream, errno: Int32) {
        exchange?.clientAborted()
        close()
    }

    // MARK: requests

    /// Parses the next request head from buffered bytes and acts on it, one request after another
    /// (a loop, not a recursion: a locally answered request returns here for the next one).
    ///
    /// Backpressure for local answers (issue #10, fault 3): while more than `highWatermark` bytes
    /// of answers wait for a client that does not read, no further request is parsed and the socket
    /// is not read (`waitingForDrain`); `streamDidDrain` goes on. A client pipelining denied requests
    /// without reading the answers can no longer make the gateway queue them without bound.
    func processInbound() {
        if isProcessingInbound { return }   // the running loop below picks up the next request
        isProcessingInbound = true
        defer { isProcessingInbound = false }
        while phase == .awaitingHead && !stream.isClosed {
            if stream.outboundBytes > settings.highWatermark {
                waitingForDrain = true
                stream.pauseReading()
                return
            }
            if stream.inbound.isEmpty {
                if stream.isReadingPaused { stream.resumeReading() }
                return
            }
            let result = stream.inbound.withReadableBytes { buf in
                Result { () throws(HTTPParseError) in try parser.parse(buf) }
            }
            switch consume result {
            case .failure(let error):
                respondToParseError(error)
                return
            case .success(let (event, consumed)):
                stream.inbound.moveReaderIndex(by: consumed)
                record.bytesIn += consumed
                switch consume event {
                case .needMore:
                    if headDeadline == nil { headDeadline = context.loop.now.adding(milliseconds: settings.headerReadTimeoutMs) }
                    if stream.isReadingPaused { stream.resumeReading() }
                    return
                case .head(let request):
                    carriedRequest = true
                    headDeadline = nil
                    idleDeadline = nil
                    begin(request)
                case .end:
                    continue   // the end of a bodyless request whose head was already handled
                case .body:
                    // Cannot happen while awaiting a head; treat as a framing bug, fail closed.
                    respond(LocalResponse(.badRequest("unexpected request body"), code: "bad_framing", close: true), to: nil)
                    return
                }
            }
        }
    }

    /// True while `processInbound` runs (a nested call returns at once).
    private var isProcessingInbound = false
    /// Answers are queued beyond `highWatermark`: parsing waits for `streamDidDrain`.
    private var waitingForDrain = false

    private func begin(_ request: ParsedRequest) {
        requestsServed += 1
        context.writeRequestID(for: request.head, into: &requestID)
        openRecord(request)
        phase = .authorizing
        if runtime !== context.runtime { runtime = context.runtime }   // a reload since the last request
        if let outcome = runtime.configuration.authorizer.authorize(request, peer: peer, clientCertificateThumbprint: clientCertificate?.thumbprint,
                                                                     completion: authorizationCompletion) {
            authorized(request, outcome)
        } else {
            // The completion always hops onto this loop (`execute`), so it finds the request here.
            pendingRequest = request
            stream.pauseReading()
        }
    }

    private func authorized(_ request: ParsedRequest, _ outcome: consuming AuthorizationOutcome) {
        guard phase == .authorizing else { return }
        switch consume outcome {
        case .respond(let response):
            context.metrics.answeredLocally += 1
            record.facts = response.facts
            respond(response, to: RequestSummary(request))
        case .forward(let plan):
            if let headers = plan.certificateHeaders { plan.certificateFields = certificateFields(headers) }
            if request.expectsContinue {
                stream.write(Self.continueLine)
                record.bytesOut += Self.continueLine.count
            }
            noteForwarded(plan)
            let pool = runtime.pools[plan.upstream]
            let ex = spareExchange ?? ProxyExchange(client: self, pool: pool)
            spareExchange = nil
            exchange = ex
            phase = .proxying
            context.metrics.forwarded += 1
            ex.start(request: request, plan: plan, pool: pool)
        }
    }

    static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Called by the exchange when the response is complete (or failed after its head was sent).
    /// `requestBodyUnread`: the upstream answered before the whole request body was forwarded (an
    /// early 413, a redirect): the rest of the body is still on its way, so the connection ends
    /// with a lingering close — closing over unread bytes would reset the connection, and the
    /// client would lose the response it is about to read (issue #10, fault 2).
    func exchangeDidFinish(keepAlive: Bool, requestBodyUnread: Bool) {
        if record.isOpen { finishRecord(status: record.status, code: "") }
        if let ex = exchange, ex.isReusable { spareExchange = ex }
        exchange = nil
        guard phase == .proxying else { return }
        if keepAlive && !requestBodyUnread && !context.shared.isDraining {
            awaitNextRequest()
        } else if context.shared.isDraining || requestBodyUnread {
            lingeringClose()   // the client may have sent more already: FIN and discard, never RST
        } else {
            phase = .closing
            stream.closeAfterFlush()
            if stream.isClosed { close() }
        }
    }

    /// Called by the exchange when it gives up before a response head reached the client: the
    /// client gets the gateway's own error response instead.
    func exchangeFailed(_ response: LocalResponse, request: RequestSummary?) {
        exchange = nil
        respond(response, to: request)
    }

    /// Called by the exchange when it gives up after the response head was sent (or on a malformed
    /// request body it can no longer answer): the connection closes; `code` is the failure code the
    /// access log shows for the response cut short.
    func exchangeAborted(code: String?) {
        if let code { record.failureCode = code }
        exchange = nil
        close()
    }

    // MARK: local responses

    private func respondToParseError(_ error: HTTPParseError) {
        respond(.parseError(error), to: nil)
    }

    /// Writes a local response. When the request's body was not read (or the response says so) the
    /// connection closes after it, with a lingering close so the client can read the answer.
    func respond(_ response: LocalResponse, to request: RequestSummary?) {
        // Without a request (a parse error) the stream position is unknown: the body counts as unread.
        let bodyUnread = !(request?.hasNoBody ?? false)
        let keepAlive = !response.close && !bodyUnread && (request?.keepAlive ?? false) && !context.shared.isDraining
        var headers = response.headers
        // A 204 (a CORS preflight answer) has no content and must not carry Content-Length (RFC 9110 §8.6).
        if response.status != 204 { headers.replaceOrAppend("Content-Length", String(response.body.count)) }
        if request != nil { headers.replaceOrAppend("X-Request-Id", currentRequestID) }
        if !keepAlive { headers.replaceOrAppend("Connection", "close") }
        else if request?.isHTTP10 == true { headers.replaceOrAppend("Connection", "keep-alive") }
        var out: [UInt8] = []
        out.reserveCapacity(256 + response.body.count)
        HTTPSerializer.writeResponseHead(ResponseHead(status: response.status, reason: HTTPSerializer.reasonPhrase(response.status),
                                                      version: .http1_1, headers: headers), into: &out)
        if request?.isHEAD != true { out.append(contentsOf: response.body) }
        stream.write(out)
        record.bytesOut += out.count
        finishRecord(status: response.status, code: response.code)
        if keepAlive {
            awaitNextRequest()
        } else {
            lingeringClose()
        }
    }

    /// Back to waiting for a head after a complete response. A reload since the request began
    /// applies from here: the next head is parsed with the new limits (the parser is at a message
    /// boundary now; bytes of a pipelined request are still in `stream.inbound`).
    private func awaitNextRequest() {
        adoptCurrentRuntime()
        phase = .awaitingHead
        idleDeadline = context.loop.now.adding(milliseconds: settings.idleKeepAliveTimeoutMs)
        processInbound()
    }

    /// Takes the loop's current configuration; only between two requests (the parser is at a
    /// message boundary: no partial head is buffered in it).
    private func adoptCurrentRuntime() {
        guard runtime !== context.runtime else { return }
        let limits = runtime.settings.httpLimits
        runtime = context.runtime
        if runtime.settings.httpLimits != limits {
            parser = RequestParser(limits: runtime.settings.httpLimits)
            spareExchange = nil   // its response parser has the old limits
        }
    }

    /// A reload was installed on this loop: an idle connection lets go of the previous configuration
    /// now (so an old configuration's token cache and pools are not kept alive by idle keep-alive
    /// connections); a busy one does when its response is complete.
    func configurationInstalled() {
        if phase == .awaitingHead && headDeadline == nil { adoptCurrentRuntime() }
    }

    /// Draining: closes this connection if it is idle between requests. What the socket already
    /// holds is read first: a request that has arrived is served (its response says
    /// `Connection: close`) instead of being reset by closing over unread bytes; an idle connection
    /// is half-closed with a lingering close, so a request racing with the FIN meets an end of
    /// stream, not a reset.
    func closeIfIdleForDrain() {
        // A connection that has not carried a request yet is left to send it (its client opened it to
        // send one, and likely has): it is answered with `Connection: close`, or closed by the
        // header-read timeout, or cut at the end of the grace period.
        guard carriedRequest, phase == .awaitingHead, stream.inbound.isEmpty, headDeadline == nil else { return }
        stream.readPending()
        guard phase == .awaitingHead, stream.inbound.isEmpty, headDeadline == nil else { return }
        lingeringClose()
    }

    /// Half-closes after the response is written and discards what the client still sends for a
    /// short while, so the client reads the response instead of a reset (nginx `lingering_close`).
    private func lingeringClose() {
        phase = .lingering
        lingerDeadline = context.loop.now.adding(milliseconds: settings.lingerMs)
        stream.inbound.moveReaderIndex(by: stream.inbound.readableBytes)
        stream.shutdownWrite()   // once what is queued has gone out
        stream.resumeReading()
    }

    // MARK: timeouts and close

    func tick(now: Instant) {
        // The idle sweep: a TLS session that received and sent nothing since the previous tick
        // gives its buffers back (whatever the phase: a long poll is idle too); a busy one keeps them.
        stream.transform?.sweepIdleBuffers()
        switch phase {
        case .awaitingHead:
            if let d = headDeadline, now >= d {
                headDeadline = nil
                respond(LocalResponse(.requestTimeout(), code: "header_read_timeout", close: true), to: nil)
            } else if let d = idleDeadline, now >= d, stream.inbound.isEmpty {
                close()
            } else if context.shared.isClosingIdle {
                closeIfIdleForDrain()
            }
        case .proxying: exchange?.tick(now: now)
        case .lingering:
            if let d = lingerDeadline, now >= d { close() }
        case .closing:
            if stream.isClosed { close() }
        case .authorizing, .closed: break
        }
    }

    func close() {
        guard phase != .closed else { return }
        phase = .closed
        if record.isOpen { finishAbandonedRecord() }
        // Never leave an upstream exchange running for a connection that is gone (it would write
        // to, and reach back into, a closed client).
        exchange?.clientAborted()
        exchange = nil
        spareExchange = nil
        authorizationCompletion = Self.ignoreOutcome
        stream.close()
        context.loop.removeTickHandler(self)
        context.connections.removeValue(forKey: ObjectIdentifier(self))
        context.shared.activeConnections.subtract(1, ordering: .relaxed)
    }
}
