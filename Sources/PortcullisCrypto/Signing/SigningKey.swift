import COpenSSL

/// A private signing key: the single owner of one OpenSSL `EVP_PKEY`.
///
/// Used by the development issuer to mint JWTs and by tests to produce signed fixtures.
/// It never belongs on the gateway's verification path (that side only ever holds public keys).
///
/// Security invariants:
/// - The `EVP_PKEY` is created and freed here only (freed in `deinit`); it never escapes.
/// - Every failure path clears the OpenSSL error queue so a later call cannot read a stale error.
/// - An algorithm is only usable with its own key type (`RS256` needs RSA, `ES256` needs P-256,
///   `EdDSA` needs Ed25519); a mismatch is an error, never a silent fallback.
/// - The private key is never printed; `description` names only the key type.
///
/// `@unchecked Sendable`: the key is immutable after creation, and OpenSSL 3 allows concurrent
/// signing with one `EVP_PKEY` as long as each operation has its own `EVP_MD_CTX` (which `sign` does).
public final class SigningKey: @unchecked Sendable, CustomStringConvertible {
    /// The kind of key material.
    public enum KeyType: String, Sendable, CaseIterable {
        /// RSA (generated with 2048 bits; loaded keys must have at least 2048).
        case rsa
        /// ECDSA over NIST P-256 (`prime256v1`).
        case p256
        /// Ed25519 (EdDSA).
        case ed25519
    }

    /// The JWS algorithms this key can produce (RFC 7518 / RFC 8037 names as raw values).
    public enum Algorithm: String, Sendable, CaseIterable {
        /// RSASSA-PKCS1-v1_5 with SHA-256.
        case rs256 = "RS256"
        /// ECDSA P-256 with SHA-256; signatures are JOSE raw `r‖s` (64 bytes).
        case es256 = "ES256"
        /// Ed25519 signatures (64 bytes).
        case edDSA = "EdDSA"

        /// The only key type that may produce this algorithm.
        public var keyType: KeyType {
            switch self {
            case .rs256: return .rsa
            case .es256: return .p256
            case .edDSA: return .ed25519
            }
        }
    }

    /// The owned `EVP_PKEY *`.
    let pkey: OpaquePointer
    /// What kind of key this is.
    public let keyType: KeyType

    /// Takes ownership of `pkey` (freed in `deinit`).
    init(owning pkey: OpaquePointer, keyType: KeyType) {
        self.pkey = pkey
        self.keyType = keyType
    }

    deinit {
        EVP_PKEY_free(pkey)
    }

    /// The algorithm this key signs with by default (`RS256`, `ES256` or `EdDSA`).
    public var defaultAlgorithm: Algorithm {
        switch keyType {
        case .rsa: return .rs256
        case .p256: return .es256
        case .ed25519: return .edDSA
        }
    }

    /// Names the key type only; key material is never printed.
    public var description: String { "SigningKey(\(keyType.rawValue))" }

    /// Generates a fresh key. RSA keys have `rsaBits` bits (default 2048, minimum 2048).
    public static func generate(_ type: KeyType, rsaBits: Int = 2048) throws -> SigningKey {
        let name: String
        switch type {
        case .rsa: name = "RSA"
        case .p256: name = "EC"
        case .ed25519: name = "ED25519"
        }
        if type == .rsa && rsaBits < 2048 { throw SigningKeyError(.weakKey) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, name, nil) else {
            throw SigningKeyError.fromOpenSSL(.keyGenerationFailed)
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else { throw SigningKeyError.fromOpenSSL(.keyGenerationFailed) }
        switch type {
        case .rsa:
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(rsaBits)) == 1 else {
                throw SigningKeyError.fromOpenSSL(.keyGenerationFailed)
            }
        case .p256:
            guard EVP_PKEY_CTX_set_group_name(ctx, "prime256v1") == 1 else {
                throw SigningKeyError.fromOpenSSL(.keyGenerationFailed)
            }
        case .ed25519:
            break
        }
        var generated: OpaquePointer?
        guard EVP_PKEY_generate(ctx, &generated) == 1, let key = generated else {
            throw SigningKeyError.fromOpenSSL(.keyGenerationFailed)
        }
        return SigningKey(owning: key, keyType: type)
    }

    /// Signs `message` with `alg`.
    ///
    /// RS256 returns the PKCS#1 v1.5 signature (modulus length); ES256 returns the JOSE form,
    /// the fixed-width `r‖s` (32 + 32 bytes) converted from OpenSSL's DER output; EdDSA returns
    /// the 64-byte Ed25519 signature.
    /// - Throws: `SigningKeyError` `algorithm_key_mismatch` when `alg` does not fit the key type,
    ///   `sign_failed` when OpenSSL fails.
    public func sign(alg: Algorithm, message: [UInt8]) throws -> [UInt8] {
        guard alg.keyType == keyType else { throw SigningKeyError(.algorithmKeyMismatch) }
        guard let ctx = EVP_MD_CTX_new() else { throw SigningKeyError.fromOpenSSL(.signFailed) }
        defer { EVP_MD_CTX_free(ctx) }
        // Ed25519 is "pure" EdDSA: no pre-hash, so the digest must be NULL.
        let digest: OpaquePointer? = alg == .edDSA ? nil : EVP_sha256()
        guard EVP_DigestSignInit(ctx, nil, digest, nil, pkey) == 1 else {
            throw SigningKeyError.fromOpenSSL(.signFailed)
        }
        var length = 0
        let sized = message.withUnsafeBufferPointer { m in
            EVP_DigestSign(ctx, nil, &length, m.baseAddress, m.count)
        }
        guard sized == 1, length > 0 else { throw SigningKeyError.fromOpenSSL(.signFailed) }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = signature.withUnsafeMutableBufferPointer { s in
            message.withUnsafeBufferPointer { m in
                EVP_DigestSign(ctx, s.baseAddress, &length, m.baseAddress, m.count)
            }
        }
        guard signed == 1 else { throw SigningKeyError.fromOpenSSL(.signFailed) }
        signature.removeSubrange(length...)
        if alg == .es256 {
            guard let raw = ECDSASignature.raw(fromDER: signature, curve: .p256) else {
                throw SigningKeyError(.signFailed)
            }
            return raw
        }
        return signature
    }

    /// Verifies `signature` over `message` with this key's public part.
    ///
    /// ES256 expects the JOSE raw `r‖s` (exactly 64 bytes) and converts it to DER explicitly.
    /// Returns `false` for any malformed input, algorithm/key mismatch or bad signature.
    public func verify(alg: Algorithm, message: [UInt8], signature: [UInt8]) -> Bool {
        guard alg.keyType == keyType else { return false }
        var encoded = signature
        if alg == .es256 {
            guard let der = ECDSASignature.der(fromRaw: signature, curve: .p256) else { return false }
            encoded = der
        }
        guard let ctx = EVP_MD_CTX_new() else { ERR_clear_error(); return false }
        defer { EVP_MD_CTX_free(ctx) }
        let digest: OpaquePointer? = alg == .edDSA ? nil : EVP_sha256()
        guard EVP_DigestVerifyInit(ctx, nil, digest, nil, pkey) == 1 else { ERR_clear_error(); return false }
        let result = encoded.withUnsafeBufferPointer { s in
            message.withUnsafeBufferPointer { m in
                EVP_DigestVerify(ctx, s.baseAddress, s.count, m.baseAddress, m.count)
            }
        }
        if result != 1 { ERR_clear_error() }
        return result == 1
    }
}
