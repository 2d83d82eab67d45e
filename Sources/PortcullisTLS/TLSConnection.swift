import COpenSSL
import IO

/// One TLS session as a `StreamTransform`: OpenSSL works on memory (received bytes in, bytes to
/// send out, through `SessionBIO`) and never sees the socket, so the session runs on the stream's
/// loop, non-blocking: a handshake that needs more bytes simply waits for the next read.
///
/// Owns its `SSL` (which owns its BIO); freed in `deinit`. Confined to the stream's loop.
public final class TLSConnection: StreamTransform {
    private let ssl: OpaquePointer
    /// Received bytes OpenSSL has not read yet: `input[inputIndex...]` (`SessionBIO` reads them).
    private var input: [UInt8] = []
    private var inputIndex = 0
    /// Bytes OpenSSL wrote for the wire, until `drainOutput` hands them to the stream.
    var output: [UInt8] = []
    /// Bytes were received or sent since the previous idle sweep (see `sweepIdleBuffers`).
    private var activeSinceSweep = true
    /// The idle sweep gave back every buffer and none has been used since (OpenSSL's record buffers
    /// are allocated again by the next read or write).
    private var buffersReleased = false
    /// How many times an idle sweep gave the session's buffers back (tests, and a busy session's
    /// proof that it kept them).
    private(set) var bufferReleases = 0
    /// OpenSSL's position in the records it reads, from the end of the handshake: its buffers are
    /// freed only at a record boundary (see `TLSRecordBoundary`).
    private var boundary = TLSRecordBoundary()
    /// What the session's contexts belong to (a server identity, a client context), kept alive as
    /// long as the session: the SNI callback's argument points at it.
    private let owner: AnyObject
    /// Bytes written before the handshake completed (a client sends its request at once).
    private var early: [UInt8] = []
    public private(set) var isHandshakeComplete = false
    /// Where a server session counts its handshake's outcome (its listener's counters), if anywhere.
    var handshakeCounters: TLSHandshakeCounters?
    public private(set) var failureReason: String?
    public private(set) var failureReply: [UInt8]?
    /// Whether any byte has been received (the first one tells TLS from plain HTTP).
    private var receivedAny = false
    private let isServer: Bool

    private init?(ssl: OpaquePointer?, owner: AnyObject, isServer: Bool) {
        guard let ssl else { OpenSSLReason.clear(); return nil }
        self.ssl = ssl
        self.owner = owner
        self.isServer = isServer
        guard let bio = SessionBIO.make(for: self) else { OpenSSLReason.clear(); return nil }   // deinit frees the SSL
        SSL_set_bio(ssl, bio, bio)   // one BIO both ways: one reference, owned by the SSL
    }

    /// A session that completed its handshake and never failed stays resumable when the connection
    /// simply closes (keep-alive connections usually end without close_notify): without the
    /// shutdown flags, `SSL_free` marks the session "bad" and its ticket is never offered again.
    deinit {
        if isHandshakeComplete && failureReason == nil { SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN) }
        SSL_free(ssl)
    }

    /// A server session on `identity`'s default context (SNI may move it to another entry).
    convenience init?(server identity: TLSServerIdentity) {
        self.init(ssl: SSL_new(identity.contexts[0].ctx), owner: identity, isServer: true)
        SSL_set_accept_state(ssl)
    }

    /// A client session to `serverName` (sent as SNI unless an IP literal; checked against the
    /// certificate when the context verifies).
    convenience init?(client context: TLSClientContext, serverName: String) {
        self.init(ssl: SSL_new(context.context.ctx), owner: context, isServer: false)
        SSL_set_connect_state(ssl)
        let isIP = serverName.contains(":") || serverName.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
        if !isIP { _ = portcullis_ssl_set_host_name(ssl, serverName) }
        if context.settings.verify {
            let ok = isIP ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) : SSL_set1_host(ssl, serverName)
            if ok != 1 { OpenSSLReason.clear(); return nil }
        }
        if let session = context.session(for: serverName) { _ = SSL_set_session(ssl, session.pointer) }
        self.serverName = serverName
        _ = SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque())
    }

    /// The name a client session connects to (its resumption key); nil for server sessions.
    private(set) var serverName: String?

    /// The session of `ssl` (client sessions only: set as its ex-data slot 0).
    static func client(of ssl: OpaquePointer) -> TLSConnection? {
        SSL_get_ex_data(ssl, 0).map { Unmanaged<TLSConnection>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The client context that made this session.
    var clientContext: TLSClientContext? { owner as? TLSClientContext }

    // MARK: StreamTransform

    public func receive(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        if !receivedAny {
            receivedAny = true
            // A TLS connection starts with a handshake record (0x16); an ASCII letter is an HTTP
            // method: that client gets a plain-text 400 (as from nginx) instead of a bare close.
            if isServer, let first = bytes.first, (first | 0x20) >= 0x61 && (first | 0x20) <= 0x7A { failureReply = Self.plainHTTPReply }
        }
        activeSinceSweep = true
        if inputIndex == input.count { input.removeAll(keepingCapacity: true); inputIndex = 0 }
        input.append(contentsOf: bytes.bindMemory(to: UInt8.self))
    }

    public func readDecoded(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if failureReason != nil { return StreamTransformRead.failed }
        if !isHandshakeComplete {
            let r = SSL_do_handshake(ssl)
            guard r == 1 else { return wouldBlock(r) ? 0 : fail() }
            handshakeDone()
        }
        guard buffer.count > 0 else { return 0 }
        let n = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
        if n > 0 { return Int(n) }
        let error = SSL_get_error(ssl, n)
        if error == SSL_ERROR_ZERO_RETURN { OpenSSLReason.clear(); return StreamTransformRead.closed }
        return wouldBlock(n) ? 0 : fail()
    }

    public var hasBufferedInput: Bool {
        failureReason == nil && (SSL_pending(ssl) > 0 || pendingInputCount > 0)
    }

    public func send(_ bytes: UnsafeRawBufferPointer) {
        guard failureReason == nil, bytes.count > 0 else { return }
        activeSinceSweep = true
        guard isHandshakeComplete else { early.append(contentsOf: bytes); return }
        var offset = 0
        while offset < bytes.count {
            // The write BIO is memory and always takes everything: no WANT_WRITE here.
            let n = SSL_write(ssl, bytes.baseAddress! + offset, Int32(min(bytes.count - offset, Int(Int32.max))))
            guard n > 0 else { _ = fail(); return }
            offset += Int(n)
        }
    }

    public func drainOutput(_ body: (UnsafeRawBufferPointer) -> Void) {
        guard !output.isEmpty else { return }
        output.withUnsafeBytes { body($0) }
        output.removeAll(keepingCapacity: true)
    }

    /// Gives the session's buffers back when it has been idle for a whole sweep interval: nothing
    /// received or sent since the previous call. A busy session keeps them all (its requests
    /// allocate nothing here); an idle keep-alive session keeps none of them. What is freed:
    /// - the input and output arrays (they keep the size of the largest flight, request or
    ///   response that passed), when they hold no byte;
    /// - OpenSSL's read and write record buffers (~17 KiB each; `SSL_free_buffers`), when OpenSSL
    ///   holds no part of a record and no decoded byte (`SSL_pending`), and has completed its
    ///   handshake. OpenSSL refuses itself while data is pending; then nothing is lost and the
    ///   next sweep tries again.
    /// OpenSSL allocates its buffers again on the next read or write, the arrays on the next byte.
    public func sweepIdleBuffers() {
        if activeSinceSweep { activeSinceSweep = false; buffersReleased = false; return }
        guard !buffersReleased, failureReason == nil, isHandshakeComplete else { return }
        guard output.isEmpty, inputIndex == input.count, recordBuffersHoldNothing else { return }
        guard freeOpenSSLBuffers() else { return }
        output = []
        input = []
        inputIndex = 0
        buffersReleased = true
        bufferReleases += 1
    }

    /// Asks OpenSSL to free its record buffers (`SSL_free_buffers`), which it refuses while they
    /// hold data (3.0.14 and later; see `TLSRecordBoundary` for earlier versions); false when it
    /// refused. The sweep asks only when `recordBuffersHoldNothing`.
    func freeOpenSSLBuffers() -> Bool {
        guard SSL_free_buffers(ssl) == 1 else { OpenSSLReason.clear(); return false }
        return true
    }

    /// Whether OpenSSL's record buffers hold nothing to keep: no part of a record (see
    /// `TLSRecordBoundary`) and no decoded byte not yet read (`SSL_pending`).
    var recordBuffersHoldNothing: Bool { boundary.isAtBoundary && SSL_pending(ssl) == 0 }

    /// Bytes of memory the input and output buffers hold (tests).
    var bufferCapacity: Int { input.capacity + output.capacity }

    /// Bytes received and not yet read by OpenSSL.
    var pendingInputCount: Int { input.count - inputIndex }

    /// Copies up to `count` received bytes into `buffer` for OpenSSL (`SessionBIO`); 0 when none.
    func takeInput(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        let n = min(count, input.count - inputIndex)
        guard n > 0 else { return 0 }
        input.withUnsafeBytes {
            buffer.copyMemory(from: $0.baseAddress! + inputIndex, byteCount: n)
            if isHandshakeComplete { boundary.advance(over: UnsafeRawBufferPointer(rebasing: $0[inputIndex..<inputIndex + n])) }
        }
        inputIndex += n
        return n
    }

    public func start() {
        let r = SSL_do_handshake(ssl)
        if r == 1 { handshakeDone() } else if !wouldBlock(r) { _ = fail() }
    }

    public func shutdown() {
        guard isHandshakeComplete, failureReason == nil else { return }
        if SSL_shutdown(ssl) < 0 { OpenSSLReason.clear() }
    }

    // MARK: session facts

    /// The DER of the peer's certificate when one was presented and verified (a server asking for
    /// client certificates, a client verifying its server); nil otherwise.
    public var verifiedPeerCertificateDER: [UInt8]? {
        guard let cert = verifiedPeerCertificate else { return nil }
        let length = i2d_X509(cert, nil)
        guard length > 0 else { OpenSSLReason.clear(); return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { p -> Int32 in
            var cursor = p.baseAddress
            return i2d_X509(cert, &cursor)
        }
        guard written == length else { OpenSSLReason.clear(); return nil }
        return der
    }

    /// The peer's certificate (owned by the session) when one was presented and verified.
    var verifiedPeerCertificate: OpaquePointer? {
        guard isHandshakeComplete, SSL_get_verify_result(ssl) == X509_V_OK else { return nil }
        return SSL_get0_peer_certificate(ssl)
    }

    /// Whether this session was resumed (ticket or session cache) rather than fully negotiated.
    public var isResumed: Bool { SSL_session_reused(ssl) == 1 }

    /// The negotiated ALPN protocol, if any.
    public var alpnProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    // MARK: private

    private func handshakeDone() {
        isHandshakeComplete = true
        handshakeCounters?.recordCompleted(resumed: isResumed)
        guard !early.isEmpty else { return }
        let bytes = early
        early = []
        bytes.withUnsafeBytes { send($0) }
    }

    /// The answer to plain HTTP on an HTTPS port.
    static let plainHTTPReply: [UInt8] = {
        let body = #"{"error":"bad_request","error_description":"plain HTTP request sent to an HTTPS port"}"#
        return Array(("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n"
                      + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
    }()

    private func wouldBlock(_ result: Int32) -> Bool {
        let error = SSL_get_error(ssl, result)
        return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE
    }

    /// Records why the session failed (OpenSSL's reason, or the certificate verification error),
    /// clears the error queue, and returns `StreamTransformRead.failed`.
    private func fail() -> Int {
        let verify = SSL_get_verify_result(ssl)
        var reason = OpenSSLReason.take() ?? "TLS session failed"
        if verify != X509_V_OK, let text = X509_verify_cert_error_string(Int(verify)) {
            reason = "certificate verify failed: \(String(cString: text))"
        }
        if failureReason == nil && !isHandshakeComplete { handshakeCounters?.recordFailed() }
        failureReason = reason
        early = []
        return StreamTransformRead.failed
    }
}
