import JOSE

/// What an RFC 7662 introspection response says about one token, checked with the same rules as a
/// JWT's claims. Pure: the answer's bytes and `now` in, a verdict out.
///
/// Security invariants: only `"active": true` (the JSON literal) is active; `exp`/`nbf` are checked
/// with the issuer's skew; `aud` must contain one of `audiences` when they are configured; an `iss`,
/// when present, must equal the issuer exactly. An answer that is not a JSON object is the server's
/// fault (503), never a 401 for a token that may be valid.
enum IntrospectionAnswer {
    /// The verdict.
    enum Verdict {
        /// Active and acceptable: the claims the gateway trusts (the whole answer object).
        case active(VerifiedToken)
        /// Inactive or unacceptable for this gateway.
        case rejected(TokenRejection)
        /// Not a JSON object: treated like an outage.
        case unusable
    }

    /// Largest answer body read.
    static let maxBodyBytes = 64 * 1024

    static func evaluate(_ body: [UInt8], issuer: String, audiences: [String], clockSkewSeconds: Int64, now: Int64) -> Verdict {
        guard body.count <= maxBodyBytes,
              let value = try? JSONParser.parse(body), let claims = value.objectValue else {
            return .unusable
        }
        guard case .bool(true)? = claims["active"] else {
            return .rejected(TokenRejection(.inactive, "token is not active"))
        }
        // A refresh token is never an access token, whatever the server says about it.
        if let type = claims["token_type"]?.stringValue, type.lowercased() == "refresh_token" {
            return .rejected(TokenRejection(.inactive, "token is not an access token"))
        }
        if let iss = claims["iss"] {
            guard iss.stringValue == issuer else { return .rejected(TokenRejection(.unknownIssuer, "introspected token names another issuer")) }
        }
        var expiresAt: Int64?
        if let exp = claims["exp"] {
            guard let seconds = exp.numberValue, seconds.isFinite, abs(seconds) < 1e15 else {
                return .rejected(TokenRejection.malformed(.invalidClaimType, "introspection exp is not a number"))
            }
            expiresAt = Int64(seconds)
            if now >= Int64(seconds) + clockSkewSeconds {
                return .rejected(TokenRejection(.expired, "token expired at \(Timestamp.rfc3339(Int64(seconds)))"))
            }
        }
        if let nbf = claims["nbf"]?.numberValue, nbf.isFinite, abs(nbf) < 1e15, now + clockSkewSeconds < Int64(nbf) {
            return .rejected(TokenRejection(.notYetValid, "token not valid before \(Timestamp.rfc3339(Int64(nbf)))"))
        }
        let aud = claims["aud"].flatMap { $0.stringValue.map { [$0] } ?? $0.stringArrayValue } ?? []
        if !audiences.isEmpty && !aud.contains(where: audiences.contains) {
            return .rejected(TokenRejection(.audienceMismatch, "token audience is not accepted"))
        }
        return .active(VerifiedToken(trustedClaims: claims, issuer: issuer, audiences: aud, expiresAt: expiresAt))
    }
}
