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
            guard case .rsa(let bits) = kind, signature.count == (bits + 7) / 8 else { return false }
            return verifyDigest(alg, input: signingInput, signature: signature)
        case .es256, .es384, .es512:
            guard let curve = alg.curve else { return false }
            return ECDSASignature.withDER(raw: signature, curve: curve) { der in
                verifyDigest(alg, input: signingInput, signature: der)
            } ?? false
        case .eddsa:
            guard signature.count == 64 else { return false }
            return verifyEd25519(input: signingInput, signature: signature)
        }
    }

    /// Convenience for byte arrays (tests, tools).
    public func verify(_ alg: SignatureAlgorithm, signingInput: [UInt8], signature: [UInt8]) -> Bool {
        signingInput.withUnsafeBytes { input in
            signature.withUnsafeBytes { verify(alg, signingInput: input, signature: $0) }
        }
    }

    /// Hashes the input (a pooled digest context, see `DigestContextPool`, into a stack buffer) and verifies the digest with a
    /// pooled, pre-initialised context (see `VerifyContextPool`).
    private func verifyDigest(_ alg: SignatureAlgorithm, input: UnsafeRawBufferPointer,
                              signature: UnsafeRawBufferPointer) -> Bool {
        guard let hash = alg.hashFunction else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { digest in
            let data = input.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(digest.baseAddress!)
            if !DigestContextPool.pool(for: hash).digest(UnsafeRawPointer(data), input.count, into: digest.baseAddress!) {
                switch hash {
                case .sha256: _ = SHA256(data, input.count, digest.baseAddress)
                case .sha384: _ = SHA384(data, input.count, digest.baseAddress)
                case .sha512: _ = SHA512(data, input.count, digest.baseAddress)
                }
            }
            let sig = signature.baseAddress!.assumingMemoryBound(to: UInt8.self)
            return contexts.withContext(alg, pkey: pkey) { ctx in
                EVP_PKEY_verify(ctx, sig, signature.count, digest.baseAddress, hash.digestLength)
            }
        }
    }

    /// Pure Ed25519 (RFC 8032) through one-shot `EVP_DigestVerify`; its setup cost is small next
    /// to the curve arithmetic, so no pooling.
    private func verifyEd25519(input: UnsafeRawBufferPointer, signature: UnsafeRawBufferPointer) -> Bool {
        guard let ctx = EVP_MD_CTX_new() else {
            OpenSSLErrorQueue.clear()
            return false
        }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1 else {
            OpenSSLErrorQueue.clear()
            return false
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
