import COpenSSL

/// A verified-shape public key: the single owner of one OpenSSL `EVP_PKEY`.
///
/// Thread safety: the `EVP_PKEY` is fully built and checked in `init` and never mutated
/// afterwards (OpenSSL 3 documents an `EVP_PKEY` as safe for concurrent read-only use). The only
/// mutable state is `contexts`, a mutex-guarded pool that hands each verification its own
/// `EVP_PKEY_CTX` exclusively. So one `PublicKey` may verify on many threads at once, which is
/// why the `@unchecked Sendable` conformance is sound.
public final class PublicKey: @unchecked Sendable {
    /// The key type with the property an algorithm must match.
    public enum Kind: Sendable, Hashable {
        /// RSA with its modulus size in bits.
        case rsa(bits: Int)
        /// ECDSA on a NIST curve.
        case ec(EllipticCurve)
        /// Ed25519.
        case ed25519
    }

    /// Smallest RSA modulus accepted (RFC 7518 §3.3 requires 2048 bits).
    public static let minimumRSABits = 2048
    /// Largest RSA modulus accepted: bounds the cost an attacker-chosen JWKS can impose.
    public static let maximumRSABits = 16384

    /// The key type (and size or curve).
    public let kind: Kind
    let pkey: OpaquePointer
    /// Prepared verify contexts (declared before `deinit` frees `pkey`; each holds its own
    /// reference to the key, so teardown order is safe).
    let contexts = VerifyContextPool()

    /// Takes ownership of `pkey` (freed in `deinit`).
    init(owning pkey: OpaquePointer, kind: Kind) {
        self.pkey = pkey
        self.kind = kind
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// Loads a PEM `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo) of type RSA (≥ 2048 bits),
    /// EC on P-256/P-384/P-521, or Ed25519. Intended for tests and tools.
    public convenience init(pem: String) throws(PublicKeyError) {
        var text = pem
        let loaded: OpaquePointer? = text.withUTF8 { buf -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buf.baseAddress, Int32(buf.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let pkey = loaded else {
            OpenSSLErrorQueue.clear()
            throw PublicKeyError(.unsupportedKey, "not a PEM SubjectPublicKeyInfo")
        }
        let kind: Kind
        do {
            kind = try Self.classify(pkey)
        } catch {
            EVP_PKEY_free(pkey)
            OpenSSLErrorQueue.clear()
            throw error
        }
        self.init(owning: pkey, kind: kind)
    }

    private static func classify(_ pkey: OpaquePointer) throws(PublicKeyError) -> Kind {
        if EVP_PKEY_is_a(pkey, "RSA") == 1 {
            let bits = Int(EVP_PKEY_get_bits(pkey))
            guard bits >= minimumRSABits, bits <= maximumRSABits else {
                throw PublicKeyError(.rsaModulusSize, "RSA modulus of \(bits) bits is outside 2048...16384")
            }
            return .rsa(bits: bits)
        }
        if EVP_PKEY_is_a(pkey, "ED25519") == 1 {
            return .ed25519
        }
        if EVP_PKEY_is_a(pkey, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_utf8_string_param(pkey, "group", &name, name.count, &length) == 1,
                  let curve = EllipticCurve(openSSLGroupName: String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)) else {
                throw PublicKeyError(.unsupportedKey, "EC key on an unsupported curve")
            }
            return .ec(curve)
        }
        throw PublicKeyError(.unsupportedKey, "unsupported public key type")
    }
}
