import IO
import HTTP1
import PortcullisTLS

/// Serves a `LocalService` on its own listener with the same event loops and the same strict parser
/// as the gateway. Request bodies are read completely, up to `maxBodyBytes` (413 beyond).
public final class LocalServer: AcceptHandler, @unchecked Sendable {
    let service: any LocalService
    let group: EventLoopGroup
    let limits: HTTPLimits
    /// HTTPS when set (the admin listener's optional `tls`).
    let tls: TLSServerCertificates?
    /// How long a connection may take to deliver one complete request, counted from when it starts
    /// waiting for one (accept, or the previous answer): an idle keep-alive connection, a slow
    /// head or body, and a stalled TLS handshake are all closed after it (default 30 s).
    let requestTimeoutMs: Int
    private var listener: Listener?

    public init(service: any LocalService, group: EventLoopGroup, maxBodyBytes: Int = 1 << 20, tls: TLSServerCertificates? = nil,
                requestTimeoutMs: Int = 30_000) {
        self.service = service
        self.requestTimeoutMs = requestTimeoutMs
        self.tls = tls
        self.group = group
        var l = HTTPLimits()
        l.maxBodyBytes = maxBodyBytes
        limits = l
    }

    @discardableResult
    public func start(listen address: SocketAddress) throws(Socket.SetupError) -> UInt16 {
        let l = try Listener(address: address, group: group, handler: self)
        listener = l
        l.start()
        return l.port
    }

    public func stop() { listener?.stop() }

    /// The bound port (useful with port 0).
    public var port: UInt16 { listener?.port ?? 0 }

    public func accepted(fd: Int32, on loop: EventLoop) {
        let stream = TCPStream(fd: fd, loop: loop)
        if let tls {
            guard let session = tls.makeConnection() else { stream.close(); return }
            stream.transform = session
        }
        let conn = LocalConnection(stream: stream, server: self, peer: peerAddressText(fd: fd))
        conn.waitForRequest()
        loop.addTickHandler(conn)
        if !conn.stream.start(delegate: conn) { loop.removeTickHandler(conn) }
    }
}

/// One connection to a local service: parse, buffer the body, answer, repeat (keep-alive, in order).
/// Each request must arrive whole within `LocalServer.requestTimeoutMs` (the loop's tick checks it),
/// so a client cannot hold a connection of the admin or development listeners open forever.
final class LocalConnection: StreamDelegate, TickHandler, @unchecked Sendable {
    var tickIndex = -1
    /// When the request being waited for must be complete; nil while an answer is being made.
    private var deadline: Instant?
    let stream: TCPStream
    let server: LocalServer
    let peer: String
    private var parser: RequestParser
    private var current: ParsedRequest?
    private var body: [UInt8] = []
    /// An answer is being computed elsewhere: later (pipelined) requests wait in `stream.inbound`.
    private var awaitingAnswer = false

    init(stream: TCPStream, server: LocalServer, peer: String) {
        self.stream = stream
        self.server = server
        self.peer = peer
        parser = RequestParser(limits: server.limits)
    }

    /// Answers queued beyond this many bytes stop the parsing of further requests (and the reading
    /// of the socket) until the client has read them: a client that pipelines requests and never
    /// reads cannot make a local service queue answers without bound (issue #10, fault 3).
    static let outputLimit = 256 * 1024

    func streamDidRead(_ stream: TCPStream) {
        while !stream.isClosed && !awaitingAnswer {
            if stream.outboundBytes > Self.outputLimit {
                stream.pauseReading()
                return
            }
            let result = stream.inbound.withReadableBytes { buf in
                Result { () throws(HTTPParseError) -> (ParseEvent<ParsedRequest>, Int) in
                    let r = try parser.parse(buf)
                    if case .body(let range) = r.event { body.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[range])) }
                    return r
                }
            }
            switch result {
            case .failure(let e):
                write(.parseError(e), keepAlive: false, isHEAD: false)
                return
            case .success(let (event, consumed)):
                stream.inbound.moveReaderIndex(by: consumed)
                switch event {
                case .needMore: if consumed == 0 || stream.inbound.isEmpty { return }
                case .head(let req): current = req; body = []
                case .body: break
                case .end:
                    guard let req = current else { return }
                    current = nil
                    let target = req.head.target
                    let q = target.firstIndex(of: "?")
                    let path = q.map { String(target[..<$0]) } ?? target
                    let query = q.map { String(target[target.index(after: $0)...]) } ?? ""
                    let request = LocalRequest(method: req.head.method, path: path, query: query,
                                               headers: req.head.headers, body: body, peer: peer)
                    let keepAlive = req.keepAlive, isHEAD = req.head.method == "HEAD"
                    let answer = server.service.handle(request) { [self] response in
                        stream.loop.execute { [self] in
                            awaitingAnswer = false
                            write(response, keepAlive: keepAlive, isHEAD: isHEAD)
                            streamDidRead(stream)
                        }
                    }
                    if let answer { write(answer, keepAlive: keepAlive, isHEAD: isHEAD) } else { awaitingAnswer = true }
                }
            }
        }
    }

    private func write(_ response: LocalResponse, keepAlive requested: Bool, isHEAD: Bool) {
        guard !stream.isClosed else { return }
        let keepAlive = !response.close && requested
        var headers = response.headers
        headers.replaceOrAppend("Content-Length", String(response.body.count))
        if !keepAlive { headers.replaceOrAppend("Connection", "close") }
        var out: [UInt8] = []
        HTTPSerializer.writeResponseHead(ResponseHead(status: response.status, reason: HTTPSerializer.reasonPhrase(response.status),
                                                      version: .http1_1, headers: headers), into: &out)
        if !isHEAD { out.append(contentsOf: response.body) }
        stream.write(out)
        if !keepAlive { stream.closeAfterFlush() } else { waitForRequest() }
    }

    /// Starts the clock for the next request.
    func waitForRequest() {
        deadline = stream.loop.now.adding(milliseconds: server.requestTimeoutMs)
    }

    func tick(now: Instant) {
        if stream.isClosed { stream.loop.removeTickHandler(self); return }
        stream.transform?.sweepIdleBuffers()   // the idle sweep (TLS): see `StreamTransform`
        if !awaitingAnswer, let d = deadline, now >= d {
            stream.close()
            stream.loop.removeTickHandler(self)
        }
    }

    func streamDidReachEOF(_ stream: TCPStream) { stream.closeAfterFlush() }
    func streamDidDrain(_ stream: TCPStream) {
        guard stream.isReadingPaused, stream.outboundBytes <= Self.outputLimit else { return }
        stream.resumeReading()
        streamDidRead(stream)   // requests already buffered are answered now
    }
    func streamDidConnect(_ stream: TCPStream) {}
    func streamDidFail(_ stream: TCPStream, errno: Int32) {}
}
