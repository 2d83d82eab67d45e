/// The key a token will be verified with: a JWK from the issuer's JWKS, or the issuer's
/// configured shared secret (HS* only).
public enum VerificationKey: Sendable {
    case jwk(JWK)
    case sharedSecret(SharedSecret)

    /// The `kid` of a JWK key, for `VerifiedToken.keyID`.
    public var keyID: String? {
        if case .jwk(let k) = self { return k.keyID }
        return nil
    }

    /// `JWK.invalidationID` of a JWK key (what cache entries verified with it are filed under);
    /// nil for a shared secret, which never leaves a JWKS.
    public var invalidationID: String? {
        if case .jwk(let k) = self { return k.invalidationID }
        return nil
    }
}

/// Outcome of step 3 (key selection).
public enum KeySelection: Sendable {
    /// Exactly one key fits: verify with it.
    case key(VerificationKey)
    /// No key with this `kid` (or, when `keyID` is `nil`, no key at all fits the algorithm).
    /// The gateway may refresh the issuer's JWKS once (coalesced, rate-limited) and select again;
    /// if it is still unknown, reject with `TokenRejection.unknownKey`.
    case unknownKey(keyID: String?)
    /// A definitive rejection (algorithm not allowed, key/alg mismatch, ambiguous key).
    case rejected(TokenRejection)
}

extension IssuerConfiguration {
    /// Step 3: chooses the one key that may verify a token with `header`.
    ///
    /// Security invariants: the algorithm must be in this issuer's allow-list; HS* only ever uses
    /// the configured secret (never a JWKS key, so an RSA public key can never become an HMAC
    /// secret); a `kid` picks exactly one key whose type/curve/own `alg` fit; without a `kid`, the
    /// token is accepted only if exactly one key fits — never "try every key".
    public func selectKey(for header: JOSEHeader, in keySet: JWKSet) -> KeySelection {
        let alg = header.algorithm
        guard allowedAlgorithmMask & alg.bit != 0 else {
            return .rejected(TokenRejection(.algorithmNotAllowed, "algorithm \(alg.rawValue) is not allowed for this issuer"))
        }
        if alg.isSymmetric {
            guard let sharedSecret else {
                return .rejected(TokenRejection(.algorithmNotAllowed, "algorithm \(alg.rawValue) is not allowed for this issuer"))
            }
            return .key(.sharedSecret(sharedSecret))
        }
        // One pass over the set, no intermediate arrays: how many keys carry the `kid` (all keys
        // when the token has none), how many of those fit `alg`, and the first that fits.
        let kid = header.keyID
        var candidates = 0, fittingCount = 0
        var fitting: JWK?
        for key in keySet.keys {
            if let kid { guard key.keyID?.hasSameBytes(as: kid) ?? false else { continue } }
            candidates += 1
            if key.fits(alg) {
                fittingCount += 1
                if fitting == nil { fitting = key }
            }
        }
        if let kid {
            if candidates == 0 { return .unknownKey(keyID: kid) }
            guard let key = fitting else {
                return .rejected(TokenRejection(.keyAlgorithmMismatch, "signing key does not fit algorithm \(alg.rawValue)"))
            }
            if fittingCount > 1 {
                return .rejected(TokenRejection(.ambiguousKey, "several keys share the token's kid"))
            }
            return .key(.jwk(key))
        }
        guard let key = fitting else { return .unknownKey(keyID: nil) }
        if fittingCount > 1 {
            return .rejected(TokenRejection(.ambiguousKey, "token has no kid and several keys fit \(alg.rawValue)"))
        }
        return .key(.jwk(key))
    }
}
