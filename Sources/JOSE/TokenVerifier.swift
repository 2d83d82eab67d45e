import PortcullisCrypto

/// Steps 1 and 4 of verification (the gateway does 2, issuer lookup, and drives 3, key
/// selection via `IssuerConfiguration.selectKey`, because an unknown `kid` may need a JWKS
/// refresh in between). Pure: no clock (`now` is a parameter), no I/O; safe to share.
public struct TokenVerifier: Sendable {
    /// The strict parser used by `parse`.
    public let parser: TokenParser

    /// A verifier with the given parse limits.
    public init(limits: TokenLimits = TokenLimits()) {
        parser = TokenParser(limits: limits)
    }

    /// Step 1: strict parse, no cryptography.
    public func parse(_ token: UnsafeRawBufferPointer) throws(TokenRejection) -> ParsedToken {
        try parser.parse(token)
    }

    /// Step 1 for a byte array.
    public func parse(_ token: [UInt8]) throws(TokenRejection) -> ParsedToken {
        try parser.parse(token)
    }

    /// Step 4: checks header rules, the signature with `key`, then the claims at `now`
    /// (seconds since the epoch). Order: cheap header rules (`crit`, `typ`, alg/key fit),
    /// then the signature, and only then claims, so unauthenticated claim contents never
    /// influence the outcome beyond "bad signature".
    public func verify(_ token: ParsedToken, key: VerificationKey, issuer: IssuerConfiguration,
                       now: Int64) throws(TokenRejection) -> VerifiedToken {
        let header = token.header
        if header.critical != nil {
            // No JWS extension is understood, so any `crit` entry is unsupported (RFC 7515 §4.1.11).
            throw TokenRejection(.unsupportedCritical, "token requires an unsupported critical header extension")
        }
        if let required = issuer.requiredType, !Self.typeMatches(header.type, required: required) {
            throw TokenRejection(.typMismatch, "token type is not \(required)")
        }
        guard issuer.allowedAlgorithms.contains(header.algorithm) else {
            throw TokenRejection(.algorithmNotAllowed, "algorithm \(header.algorithm.rawValue) is not allowed for this issuer")
        }
        guard try verifySignature(token, key: key) else {
            throw TokenRejection(.badSignature, "signature verification failed")
        }
        return try ClaimsValidator(issuer: issuer, now: now).validate(token, keyID: key.keyID)
    }

    /// Signature check with the alg/key fit re-checked here (defense in depth: a caller that
    /// skipped `selectKey` still cannot verify HS256 with an RSA key or ES256 with a P-384 key).
    func verifySignature(_ token: ParsedToken, key: VerificationKey) throws(TokenRejection) -> Bool {
        let alg = token.header.algorithm
        switch key {
        case .jwk(let jwk):
            guard jwk.fits(alg), let signatureAlgorithm = alg.signatureAlgorithm else {
                throw TokenRejection(.keyAlgorithmMismatch, "signing key does not fit algorithm \(alg.rawValue)")
            }
            return token.withSigningInputAndSignature { input, signature in
                jwk.publicKey.verify(signatureAlgorithm, signingInput: input, signature: signature)
            }
        case .sharedSecret(let secret):
            guard let hash = alg.hmacHash else {
                throw TokenRejection(.keyAlgorithmMismatch, "a shared secret only verifies HS* algorithms")
            }
            return token.withSigningInputAndSignature { input, tag in
                secret.bytes.withUnsafeBytes { HMAC.isValid(tag, hash: hash, key: $0, message: input) }
            }
        }
    }

    /// `typ` equals `required` ignoring ASCII case, or equals `application/<required>`
    /// (RFC 7515 §4.1.9: the `application/` prefix may be omitted).
    static func typeMatches(_ type: String?, required: String) -> Bool {
        guard let type else { return false }
        // Both strings read in place (no copies); `Array` only for a non-contiguous string.
        let fast = type.utf8.withContiguousStorageIfAvailable { tb in
            required.utf8.withContiguousStorageIfAvailable { rb in typeMatches(tb, required: rb) }
        }
        if let result = fast ?? nil { return result }
        return Array(type.utf8).withUnsafeBufferPointer { tb in
            Array(required.utf8).withUnsafeBufferPointer { rb in typeMatches(tb, required: rb) }
        }
    }

    private static func typeMatches(_ tb: UnsafeBufferPointer<UInt8>, required rb: UnsafeBufferPointer<UInt8>) -> Bool {
        if asciiCaseInsensitiveEqual(tb, rb) { return true }
        let prefix: StaticString = "application/"
        let p = prefix.utf8CodeUnitCount
        guard tb.count == p + rb.count else { return false }
        let head = UnsafeBufferPointer(start: prefix.utf8Start, count: p)
        return asciiCaseInsensitiveEqual(UnsafeBufferPointer(rebasing: tb[0..<p]), head)
            && asciiCaseInsensitiveEqual(UnsafeBufferPointer(rebasing: tb[p...]), rb)
    }

    /// Byte equality folding only ASCII letters (what `lowercased()` did for the ASCII media
    /// types `typ` carries, without allocating two strings per token).
    private static func asciiCaseInsensitiveEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count {
            var x = a[k], y = b[k]
            if x >= 0x41 && x <= 0x5a { x |= 0x20 }
            if y >= 0x41 && y <= 0x5a { y |= 0x20 }
            if x != y { return false }
        }
        return true
    }
}
