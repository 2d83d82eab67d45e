import COpenSSL

/// The certificates a TLS listener serves, loaded from `TLSServerSettings`: one `SSL_CTX` per
/// certificate entry, all configured alike, and the SNI matcher. New connections start on the
/// first (default) context; the server-name callback moves a handshake to the entry whose
/// `server_names` match. Immutable once built; a reload builds a new one (`TLSServerCertificates`).
public final class TLSServerIdentity: @unchecked Sendable {
    let contexts: [TLSContext]
    let matcher: ServerNameMatcher
    public let settings: TLSServerSettings

    /// Loads and checks everything: files readable, PEM, key matching its certificate, CA file.
    /// Errors name the setting relative to the `tls` object.
    public init(settings: TLSServerSettings) throws(TLSSetupError) {
        guard !settings.certificates.isEmpty else { throw TLSSetupError(path: "certificates", "needs at least one certificate") }
        if settings.clientCertificate != .none && settings.clientCAFile == nil {
            throw TLSSetupError(path: "client_ca_file", "is required when client_certificate is \"\(settings.clientCertificate.rawValue)\"")
        }
        var contexts: [TLSContext] = []
        for (i, entry) in settings.certificates.enumerated() {
            let context = try TLSContext.make(server: true, minVersion: settings.minVersion, path: "certificates[\(i)]")
            try context.useCertificate(chainFile: entry.certificateFile, keyFile: entry.privateKeyFile, path: "certificates[\(i)]")
            try Self.configure(context, settings)
            contexts.append(context)
        }
        self.contexts = contexts
        self.settings = settings
        matcher = ServerNameMatcher(namesByEntry: settings.certificates.map(\.serverNames))
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = portcullis_ssl_ctx_set_servername_callback(contexts[0].ctx, serverNameCallback, me)
    }

    /// Settings every entry's context shares: ALPN, client certificates, session resumption.
    private static func configure(_ context: TLSContext, _ settings: TLSServerSettings) throws(TLSSetupError) {
        let ctx = context.ctx
        SSL_CTX_set_alpn_select_cb(ctx, alpnSelectCallback, nil)
        let sessionContext: [UInt8] = Array("portcullis".utf8)
        _ = SSL_CTX_set_session_id_context(ctx, sessionContext, UInt32(sessionContext.count))
        if settings.sessionResumption {
            _ = portcullis_ssl_ctx_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_SERVER))
            _ = SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticketKeyCallback)
            SSL_CTX_set_timeout(ctx, Int(TicketKeyRing.rotationSeconds))
        } else {
            _ = portcullis_ssl_ctx_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_OFF))
            SSL_CTX_set_options(ctx, portcullis_ssl_op_no_ticket())
            _ = SSL_CTX_set_num_tickets(ctx, 0)
        }
        guard settings.clientCertificate != .none, let caFile = settings.clientCAFile else { return }
        try context.trust(caFile: caFile, path: "client_ca_file")
        guard let names = SSL_load_client_CA_file(caFile) else { throw .openSSL(path: "client_ca_file", "\"\(caFile)\" holds no CA certificate") }
        SSL_CTX_set_client_CA_list(ctx, names)
        var mode = SSL_VERIFY_PEER
        if settings.clientCertificate == .required { mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT }
        SSL_CTX_set_verify(ctx, mode, nil)
    }

    /// A server session for one accepted connection, on the default context.
    public func makeConnection() -> TLSConnection? {
        TLSConnection(server: self)
    }

    /// The context of the entry for `serverName`.
    func context(forServerName serverName: String?) -> TLSContext {
        contexts[matcher.entry(for: serverName)]
    }
}

/// SNI: moves the handshake to the matching entry's context (certificate and key). The argument is
/// the identity, kept alive by every `TLSConnection` made from it.
private func serverNameCallback(_ ssl: OpaquePointer?, _ alert: UnsafeMutablePointer<Int32>?, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let ssl, let arg else { return SSL_TLSEXT_ERR_NOACK }
    let identity = Unmanaged<TLSServerIdentity>.fromOpaque(arg).takeUnretainedValue()
    let name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
    let context = identity.context(forServerName: name)
    if context !== identity.contexts[0] { _ = SSL_set_SSL_CTX(ssl, context.ctx) }
    return SSL_TLSEXT_ERR_OK
}

/// ALPN: `http/1.1` only (room for `h2` later). A client that offers only other protocols gets no
/// ALPN answer rather than a failed handshake (curl and browsers always offer `http/1.1`).
private func alpnSelectCallback(_ ssl: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
                                _ outLength: UnsafeMutablePointer<UInt8>?, _ offered: UnsafePointer<UInt8>?,
                                _ offeredLength: UInt32, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let out, let outLength, let offered else { return SSL_TLSEXT_ERR_NOACK }
    var selected: UnsafeMutablePointer<UInt8>?
    var selectedLength: UInt8 = 0
    let result = SSL_select_next_proto(&selected, &selectedLength, alpnProtocols.pointer, alpnProtocols.count, offered, offeredLength)
    guard result == OPENSSL_NPN_NEGOTIATED, let selected else { return SSL_TLSEXT_ERR_NOACK }
    // `selected` points into `offered` or into `alpnProtocols` (never freed): both outlive the call.
    out.pointee = UnsafePointer(selected)
    outLength.pointee = selectedLength
    return SSL_TLSEXT_ERR_OK
}

/// Wire format of the protocols offered (length-prefixed names), in memory that is never freed.
private let alpnProtocols = StaticBytes([8] + Array("http/1.1".utf8))

/// Bytes at a fixed address for the life of the process (OpenSSL keeps pointers into them).
struct StaticBytes: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UInt8>
    let count: UInt32
    init(_ bytes: [UInt8]) {
        pointer = .allocate(capacity: bytes.count)
        pointer.initialize(from: bytes, count: bytes.count)
        count = UInt32(bytes.count)
    }
}
