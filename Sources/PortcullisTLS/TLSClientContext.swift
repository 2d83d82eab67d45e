import Locks
import COpenSSL
import IO

/// How the gateway connects to one upstream over TLS: one client `SSL_CTX` (verification, CA
/// store, optional client certificate) and the last session per server name, offered again on the
/// next connection (resumption). Shared by every loop; the session table is locked.
///
/// Equal only to itself: a reload builds a new context (re-reading the CA and certificate files), so
/// an upstream with TLS gets a new pool on every reload.
public final class TLSClientContext: @unchecked Sendable, Equatable {
    let context: TLSContext
    public let settings: TLSClientSettings
    private let lock = Locked<Void>()
    private var sessions: [String: TLSSession] = [:]
    private let resumesSessions: Bool

    /// Loads the CA file (or the system store) and the client certificate. Errors name the setting
    /// relative to the upstream's `tls` object. `resumesSessions` false: every connection makes a
    /// full handshake (the load generator measuring handshakes).
    public init(settings: TLSClientSettings, resumesSessions: Bool = true) throws(TLSSetupError) {
        self.resumesSessions = resumesSessions
        let context = try TLSContext.make(server: false, minVersion: .v1_2, path: "(context)")
        let ctx = context.ctx
        if settings.verify {
            if let ca = settings.caFile { try context.trust(caFile: ca, path: "ca_file") }
            else if SSL_CTX_set_default_verify_paths(ctx) != 1 { throw .openSSL(path: "verify", "cannot load the system CA store") }
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        }
        switch (settings.certificateFile, settings.privateKeyFile) {
        case let (cert?, key?): try context.useCertificate(chainFile: cert, keyFile: key, path: "")
        case (nil, nil): break
        case (_?, nil): throw TLSSetupError(path: "private_key_file", "is required with certificate_file")
        case (nil, _?): throw TLSSetupError(path: "certificate_file", "is required with private_key_file")
        }
        SSL_CTX_set_alpn_protos(ctx, clientALPN.pointer, clientALPN.count)
        _ = portcullis_ssl_ctx_set_session_cache_mode(ctx, Int(SSL_SESS_CACHE_CLIENT) | Int(SSL_SESS_CACHE_NO_INTERNAL_STORE))
        SSL_CTX_sess_set_new_cb(ctx, newClientSession)
        self.context = context
        self.settings = settings
    }

    /// A client session for one upstream connection to `host` (or `server_name` when set).
    public func makeConnection(host: String) -> TLSConnection? {
        TLSConnection(client: self, serverName: settings.serverName ?? host)
    }

    public static func == (a: TLSClientContext, b: TLSClientContext) -> Bool { a === b }

    func session(for serverName: String) -> TLSSession? {
        lock.withLock {
            guard let s = sessions[serverName] else { return nil }
            if SSL_SESSION_is_resumable(s.pointer) == 1 { return s }
            sessions[serverName] = nil
            return nil
        }
    }

    func remember(_ session: TLSSession, for serverName: String) {
        guard resumesSessions else { return }
        lock.withLock { sessions[serverName] = session }
    }
}

/// Owns one `SSL_SESSION` reference (freed in `deinit`).
final class TLSSession: @unchecked Sendable {
    let pointer: OpaquePointer
    init(pointer: OpaquePointer) { self.pointer = pointer }
    deinit { SSL_SESSION_free(pointer) }
}

/// A new resumable session from an upstream (after the handshake in TLS 1.2, with the ticket in
/// TLS 1.3): kept for the next connection to the same name. Returning 1 takes OpenSSL's reference.
private func newClientSession(_ ssl: OpaquePointer?, _ session: OpaquePointer?) -> Int32 {
    guard let ssl, let session, let connection = TLSConnection.client(of: ssl),
          let context = connection.clientContext, let name = connection.serverName else { return 0 }
    context.remember(TLSSession(pointer: session), for: name)
    return 1
}

/// ALPN offered to upstreams: `http/1.1`.
private let clientALPN = StaticBytes([8] + Array("http/1.1".utf8))
