import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// Owns one `SSL_CTX` (freed in `deinit`). Every server and client context is built through
/// `TLSContext.make`, which applies the modern defaults: TLS 1.2 or 1.3 only, ECDHE with AEAD
/// suites for 1.2, groups X25519 and P-256, no renegotiation, no compression.
final class TLSContext: @unchecked Sendable {
    let ctx: OpaquePointer

    private init(ctx: OpaquePointer) { self.ctx = ctx }

    deinit { SSL_CTX_free(ctx) }

    /// TLS 1.2 suites: ECDHE key exchange, AEAD ciphers only (TLS 1.3's suites are all AEAD).
    static let tls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"
    static let groups = "X25519:P-256"

    /// A context with the modern defaults. `server`: a server context (else a client one).
    static func make(server: Bool, minVersion: TLSVersion, path: String) throws(TLSSetupError) -> TLSContext {
        guard let method = server ? TLS_server_method() : TLS_client_method(), let ctx = SSL_CTX_new(method) else {
            throw .openSSL(path: path, "cannot create a TLS context")
        }
        let context = TLSContext(ctx: ctx)
        let version = minVersion == .v1_3 ? TLS1_3_VERSION : TLS1_2_VERSION
        SSL_CTX_set_options(ctx, portcullis_ssl_default_options())
        guard portcullis_ssl_ctx_set_min_proto(ctx, version) == 1,
              SSL_CTX_set_cipher_list(ctx, tls12Ciphers) == 1,
              portcullis_ssl_ctx_set_groups(ctx, groups) == 1 else {
            throw .openSSL(path: path, "cannot apply the TLS defaults")
        }
        // Writes may be retried with a different buffer (the stream's queue owns retries) and
        // partial writes complete records one by one; read-ahead is the session buffer's job.
        // Not `SSL_MODE_RELEASE_BUFFERS`: it frees the record buffers after every record and
        // allocates them again for the next (several allocations per request on a busy
        // connection); an idle session gives them back in the idle sweep instead
        // (`TLSConnection.sweepIdleBuffers`).
        _ = portcullis_ssl_ctx_set_mode(ctx, Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER) | Int(SSL_MODE_ENABLE_PARTIAL_WRITE))
        // The largest handshake message accepted (a peer's certificate chain): bounds what one
        // handshake can make OpenSSL buffer (its default is 100 KiB).
        _ = portcullis_ssl_ctx_set_max_cert_list(ctx, maxHandshakeMessageBytes)
        return context
    }

    /// Bound on one handshake message from a peer, in bytes (32 KiB: several certificates).
    static let maxHandshakeMessageBytes = 32 * 1024

    /// Loads a PEM certificate chain and its private key, and checks that they match.
    /// `path` names the entry (`certificates[0]`); errors name the file's key under it.
    func useCertificate(chainFile: String, keyFile: String, path: String) throws(TLSSetupError) {
        let certPath = "\(path).certificate_file", keyPath = "\(path).private_key_file"
        guard isReadableFile(chainFile) else { throw TLSSetupError(path: certPath, "cannot read \"\(chainFile)\"") }
        guard isReadableFile(keyFile) else { throw TLSSetupError(path: keyPath, "cannot read \"\(keyFile)\"") }
        guard SSL_CTX_use_certificate_chain_file(ctx, chainFile) == 1 else {
            throw .openSSL(path: certPath, "\"\(chainFile)\" is not a PEM certificate chain")
        }
        // Read here (not by SSL_CTX_use_PrivateKey_file) to tell "not a key" from "not this
        // certificate's key", and with a password callback that declines: an encrypted key fails
        // instead of prompting on a terminal. Messages never quote the key or OpenSSL's reason.
        guard let keyBIO = BIO_new_file(keyFile, "r") else {
            OpenSSLReason.clear()
            throw TLSSetupError(path: keyPath, "cannot read \"\(keyFile)\"")
        }
        let key = PEM_read_bio_PrivateKey(keyBIO, nil, declinePassword, nil)
        BIO_free(keyBIO)
        guard let key else {
            OpenSSLReason.clear()
            throw TLSSetupError(path: keyPath, "\"\(keyFile)\" is not an unencrypted PEM private key (RSA or EC)")
        }
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(ctx, key) == 1, SSL_CTX_check_private_key(ctx) == 1 else {
            OpenSSLReason.clear()
            throw TLSSetupError(path: keyPath, "the private key in \"\(keyFile)\" does not match the certificate")
        }
    }

    /// Trusts the CAs of a PEM file for verifying peers.
    func trust(caFile: String, path: String) throws(TLSSetupError) {
        guard isReadableFile(caFile) else { throw TLSSetupError(path: path, "cannot read \"\(caFile)\"") }
        guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else {
            throw .openSSL(path: path, "\"\(caFile)\" holds no PEM CA certificate")
        }
    }
}

/// A PEM password callback that supplies none (encrypted keys are refused, never prompted for).
private func declinePassword(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32, _ user: UnsafeMutableRawPointer?) -> Int32 { 0 }

/// Whether `path` names a regular file this process can read.
func isReadableFile(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && access(path, R_OK) == 0
}
