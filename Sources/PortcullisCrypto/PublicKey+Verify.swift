import COpenSSL

extension PublicKey {
    /// Verifies `signature` over `signingInput` with `alg`.
    ///
    /// - RS*: PKCS#1 v1.5; the signature must be exactly the modulus length.
    /// - PS*: PSS, MGF1 with the same hash, salt length fixed to the hash length (RFC 7518 §3.5).
    /// - ES*: JOSE raw `r‖s` only (see `ECDSASignature`); DER input is rejected.
    /// - EdDSA: pure Ed25519.
    ///
    /// Returns `false` (never throws, never traps) for any mismatch: an algorithm that does not
    /// fit this key's type or curve, a malformed signature, or a failed check. The OpenSSL error
    /// queue is cleared on every failure path. Safe to call concurrently on one key.
    public func verify(_ alg: SignatureAlgorithm, signingInput: UnsafeRawBufferPointer,
                       signature: UnsafeRawBufferPointer) -> Bool {
        guard alg.fits(kind), signature.count > 0 else { return false }
        switch alg {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512:
            guard case .rsa(let bits) = kind, signature.count == (bits + 7) / 8,
                  let hash = alg.hashFunction else { return false }
            let pss = alg == .ps256 || alg == .ps384 || alg == .ps512
            return digestVerify(md: hash.evpMD, pss: pss, input: signingInput, signature: signature)
        case .es256, .es384, .es512:
            guard let curve = alg.curve, let hash = alg.hashFunction else { return false }
            let md = hash.evpMD
            return ECDSASignature.withDER(raw: signature, curve: curve) { der in
                digestVerify(md: md, pss: false, input: signingInput, signature: der)
            } ?? false
        case .eddsa:
            guard signature.count == 64 else { return false }
            return digestVerify(md: nil, pss: false, input: signingInput, signature: signature)
        }
    }

    /// Convenience for byte arrays (tests, tools).
    public func verify(_ alg: SignatureAlgorithm, signingInput: [UInt8], signature: [UInt8]) -> Bool {
        signingInput.withUnsafeBytes { input in
            signature.withUnsafeBytes { verify(alg, signingInput: input, signature: $0) }
        }
    }

    /// One-shot `EVP_DigestVerify` with a per-call context (contexts are not shareable; the key is).
    private func digestVerify(md: OpaquePointer?, pss: Bool, input: UnsafeRawBufferPointer,
                              signature: UnsafeRawBufferPointer) -> Bool {
        guard let ctx = EVP_MD_CTX_new() else {
            OpenSSLErrorQueue.clear()
            return false
        }
        defer { EVP_MD_CTX_free(ctx) }
        var pctx: OpaquePointer? = nil
        guard EVP_DigestVerifyInit(ctx, &pctx, md, nil, pkey) == 1 else {
            OpenSSLErrorQueue.clear()
            return false
        }
        if pss {
            guard EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1,
                  EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1 else {
                OpenSSLErrorQueue.clear()
                return false
            }
        }
        let sig = signature.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let data = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard EVP_DigestVerify(ctx, sig, signature.count, data, input.count) == 1 else {
            OpenSSLErrorQueue.clear()
            return false
        }
        return true
    }
}
