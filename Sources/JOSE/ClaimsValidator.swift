/// Registered-claim checks (RFC 7519 §4.1) at an injected instant, with the issuer's skew.
struct ClaimsValidator {
    let issuer: IssuerConfiguration
    let now: Int64

    func validate(_ token: ParsedToken, keyID: String?) throws(TokenRejection) -> VerifiedToken {
        let claims = token.claims
        // Byte-for-byte, in place: Swift `==` on String is canonical equivalence, too loose for
        // identifiers. The verified token then carries the configured string (the same bytes).
        guard let issMatches = claims.string(.iss, equals: issuer.issuer) else {
            throw TokenRejection(.missingClaim, "missing required claim iss")
        }
        guard issMatches else {
            if claims[.iss]?.stringValue == nil { throw .malformed(.invalidClaimType, "iss is not a string") }
            throw TokenRejection(.unknownIssuer, "token issuer is not trusted")
        }
        let skew = issuer.clockSkewSeconds
        let exp = try numericDate(claims, .exp)
        if let exp {
            if now - skew >= exp { throw TokenRejection(.expired, "token expired at \(Timestamp.rfc3339(exp))") }
        } else if issuer.requireExpiration {
            throw TokenRejection(.missingClaim, "missing required claim exp")
        }
        if let nbf = try numericDate(claims, .nbf), now + skew < nbf {
            throw TokenRejection(.notYetValid, "token not valid before \(Timestamp.rfc3339(nbf))")
        }
        if let iat = try numericDate(claims, .iat), now + skew < iat {
            throw TokenRejection(.issuedInFuture, "token issued in the future (\(Timestamp.rfc3339(iat)))")
        }
        try checkAudience(claims)
        for name in issuer.requiredClaims {
            guard let v = claims[name], v != .null else { throw TokenRejection(.missingClaim, "missing required claim \(name)") }
        }
        return VerifiedToken(claims: claims, issuer: issuer.issuer, audiences: nil, expiresAt: exp,
                             keyID: keyID, algorithm: token.header.algorithm)
    }

    /// A NumericDate (possibly fractional, RFC 7519 §2) floored to whole seconds.
    private func numericDate(_ claims: ClaimSet, _ name: KnownName) throws(TokenRejection) -> Int64? {
        guard let v = claims[name] else { return nil }
        guard let n = v.numberValue, n > -1e15, n < 1e15 else {
            throw .malformed(.invalidClaimType, "\(name.name) is not a NumericDate")
        }
        // Floor without libm (this module links nothing but the stdlib and PortcullisCrypto).
        let truncated = Int64(n)
        return Double(truncated) > n ? truncated - 1 : truncated
    }

    /// `aud` must be a string or an array of strings; when the issuer lists audiences, one of the
    /// token's must be among them (byte for byte). Read in place: no list is built.
    private func checkAudience(_ claims: ClaimSet) throws(TokenRejection) {
        let aud = claims[.aud]
        var count = 0, accepted = false
        switch aud {
        case nil:
            break
        case .string(let s)?:
            count = 1
            accepted = issuer.audiences.contains { $0.hasSameBytes(as: s) }
        case .array(let elements)?:
            for element in elements {
                guard case .string(let s) = element else { throw Self.audienceNotStrings }
                count += 1
                if !accepted { accepted = issuer.audiences.contains { $0.hasSameBytes(as: s) } }
            }
        default:
            throw Self.audienceNotStrings
        }
        guard issuer.audiences.isEmpty || accepted else {
            throw TokenRejection(.audienceMismatch, count == 0 ? "token has no audience" : "audience mismatch")
        }
    }

    private static let audienceNotStrings = TokenRejection.malformed(.invalidClaimType, "aud is not a string or array of strings")

    /// `aud` as a list (a single string becomes one element); `[]` when absent or not strings.
    static func audiences(_ claims: ClaimSet) -> [String] {
        guard let aud = claims[.aud] else { return [] }
        if let s = aud.stringValue { return [s] }
        return aud.stringArrayValue ?? []
    }
}
