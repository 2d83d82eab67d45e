import COpenSSL
import Locks

/// Prepared `EVP_PKEY_CTX`s for one key, reused across verifications.
///
/// Why: `EVP_DigestVerifyInit` per call (context allocation, provider fetch, parameter setup)
/// costs about a third of an RSA-2048 verification on OpenSSL 3.0. `openssl speed` reuses one
/// initialised context; this pool does the same safely for many threads: a context is checked
/// out by exactly one thread at a time (under a mutex held only for the pop/push), so OpenSSL
/// contexts are never shared concurrently. At most `maximumIdle` idle contexts per algorithm are
/// kept; extra ones are freed. Each pooled context belongs to this pool and is freed in `deinit`.
final class VerifyContextPool: @unchecked Sendable {
    /// Idle contexts kept per algorithm (about one per request thread).
    static let maximumIdle = 16

    /// An idle context; only ever touched by the one thread that checked it out.
    private struct Handle: @unchecked Sendable {
        let ctx: OpaquePointer
    }

    /// Idle contexts per algorithm, indexed by `slot(_:)` (an array index, not a hashed
    /// dictionary lookup, under the lock).
    private let idle = Locked<[[Handle]]>(Array(repeating: [], count: SignatureAlgorithm.allCases.count))

    deinit {
        idle.withLock { pools in
            for contexts in pools { for handle in contexts { EVP_PKEY_CTX_free(handle.ctx) } }
            pools.removeAll()
        }
    }

    /// Runs `body` with a context initialised for verifying `alg` with `pkey`.
    /// Returns `false` if no context could be prepared.
    func withContext(_ alg: SignatureAlgorithm, pkey: OpaquePointer,
                     _ body: (OpaquePointer) -> Int32) -> Bool {
        let slot = Self.slot(alg)
        let pooled = idle.withLock { pools in pools[slot].popLast() }
        guard let ctx = pooled?.ctx ?? Self.prepare(alg, pkey: pkey) else { return false }
        let rc = body(ctx)
        if rc < 0 {
            // An internal error (not a mere mismatch): do not reuse a context in an unknown state.
            EVP_PKEY_CTX_free(ctx)
            OpenSSLErrorQueue.clear()
            return false
        }
        let handle = Handle(ctx: ctx)
        let kept = idle.withLock { pools -> Bool in
            guard pools[slot].count < Self.maximumIdle else { return false }
            pools[slot].append(handle)
            return true
        }
        if !kept { EVP_PKEY_CTX_free(ctx) }
        if rc != 1 { OpenSSLErrorQueue.clear() }
        return rc == 1
    }

    /// The pool index of `alg`.
    private static func slot(_ alg: SignatureAlgorithm) -> Int {
        switch alg {
        case .rs256: return 0
        case .rs384: return 1
        case .rs512: return 2
        case .ps256: return 3
        case .ps384: return 4
        case .ps512: return 5
        case .es256: return 6
        case .es384: return 7
        case .es512: return 8
        case .eddsa: return 9
        }
    }

    /// A fresh verify context: signature digest set; for PS* the PSS padding with MGF1 over the
    /// same hash and salt length fixed to the hash length (RFC 7518 §3.5).
    private static func prepare(_ alg: SignatureAlgorithm, pkey: OpaquePointer) -> OpaquePointer? {
        guard let hash = alg.hashFunction, let ctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        var ok = EVP_PKEY_verify_init(ctx) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, hash.evpMD) == 1
        switch alg {
        case .rs256, .rs384, .rs512:
            ok = ok && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1
        case .ps256, .ps384, .ps512:
            ok = ok && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1
                && EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, hash.evpMD) == 1
        default:
            break
        }
        guard ok else {
            EVP_PKEY_CTX_free(ctx)
            OpenSSLErrorQueue.clear()
            return nil
        }
        return ctx
    }
}
