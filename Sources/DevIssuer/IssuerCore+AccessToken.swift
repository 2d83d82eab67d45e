import JOSE
import PortcullisCrypto
import TextCoding

/// An access token this issuer signed, after signature and claim checks.
struct VerifiedAccessToken {
    let claims: [String: Any]
    let jti: String
    let subject: String
    let clientID: String
    let expiresAt: Int64
}

/// An opaque access token's record, stored under the token's digest.
struct OpaqueAccessToken {
    let jti: String
    let subject: String
    let clientID: String
    let scopes: [String]
    let issuedAt: Int64
    let expiresAt: Int64
    /// `cnf.jkt` of a DPoP-bound token.
    let confirmation: String?
}

extension IssuerCore {
    /// Prefix of opaque access tokens (recognizable by secret scanners; never two `.`, so resource
    /// servers tell them from JWTs).
    static let opaqueTokenPrefix = "dev_at_"
    /// Most opaque access tokens remembered; the next one is refused (`server_error`) until
    /// housekeeping drops expired ones.
    static let maxOpaqueAccessTokens = 100_000

    /// Mints an access token in `format`: a JWT (`mintAccessToken`) or an opaque one remembered by
    /// digest with the same claims.
    mutating func mintAccessToken(format: AccessTokenFormat, clientID: String, subject: String, scopes: [String], now: Int64,
                                  expiresIn: Int64, algorithm: AccessTokenAlgorithm, confirmation: String? = nil) throws -> (token: String, jti: String) {
        guard format == .opaque else {
            return try mintAccessToken(clientID: clientID, subject: subject, scopes: scopes, now: now, expiresIn: expiresIn,
                                       algorithm: algorithm, confirmation: confirmation)
        }
        guard opaqueAccessTokens.count < Self.maxOpaqueAccessTokens else {
            throw OAuthError(.serverError, "Too many opaque access tokens outstanding.")
        }
        let token = Self.opaqueTokenPrefix + Self.randomToken()
        let jti = Self.randomToken(bytes: 16)
        opaqueAccessTokens[Self.digest(token)] = OpaqueAccessToken(jti: jti, subject: subject, clientID: clientID, scopes: scopes,
                                                                   issuedAt: now, expiresAt: now + expiresIn, confirmation: confirmation)
        return (token, jti)
    }

    /// Mints an RFC 9068 access token: header `{alg, kid, typ: "at+jwt"}`, claims `iss`, `sub`,
    /// `aud`, `exp`, `iat`, `jti` (128 random bits), `client_id` and `scope` (space-separated,
    /// omitted when empty). Returns the compact JWS and its `jti`.
    ///
    /// With `confirmation` (a DPoP key thumbprint) the token carries `cnf.jkt` (RFC 9449 §6.1).
    func mintAccessToken(clientID: String, subject: String, scopes: [String], now: Int64,
                         expiresIn: Int64, algorithm: AccessTokenAlgorithm, confirmation: String? = nil) throws -> (token: String, jti: String) {
        let key = keyRing.current(algorithm)
        let jti = Self.randomToken(bytes: 16)
        var claims: [String: Any] = [
            "iss": configuration.issuer, "sub": subject, "aud": configuration.audience,
            "exp": Int(now + expiresIn), "iat": Int(now), "jti": jti, "client_id": clientID,
        ]
        if !scopes.isEmpty { claims["scope"] = scopes.joined(separator: " ") }
        if let confirmation { claims["cnf"] = ["jkt": confirmation] }
        let header: [String: Any] = ["alg": algorithm.rawValue, "kid": key.kid, "typ": "at+jwt"]
        let signingInput = Base64URL.encode(JSONCoding.encode(header)) + "." + Base64URL.encode(JSONCoding.encode(claims))
        let signature = try key.key.sign(alg: algorithm.signingAlgorithm, message: Array(signingInput.utf8))
        return (signingInput + "." + Base64URL.encode(signature), jti)
    }

    /// Verifies an access token against this issuer's own published keys with the gateway's
    /// verifier (JOSE's `TokenVerifier`: one token parser, one JSON parser, one verification path).
    ///
    /// Security invariants: `typ` must be `at+jwt`; `alg` must be RS256 or ES256 and fit the one
    /// key its `kid` names (a `kid` is required; no "try every key"); the signature covers the
    /// original bytes of the first two segments; `iss` must be this issuer, `aud` its audience,
    /// `exp` in the future (no leeway) and the `jti` not revoked. Any failure returns nil (the
    /// caller answers `invalid_token`).
    func verifyAccessToken(_ token: String, now: Int64) -> VerifiedAccessToken? {
        if let opaque = opaqueAccessTokens[Self.digest(token)] {
            guard now < opaque.expiresAt, revokedAccessTokens[opaque.jti] == nil else { return nil }
            var claims: [String: Any] = ["iss": configuration.issuer, "sub": opaque.subject, "aud": configuration.audience,
                                        "exp": Int(opaque.expiresAt), "iat": Int(opaque.issuedAt), "jti": opaque.jti,
                                        "client_id": opaque.clientID]
            if !opaque.scopes.isEmpty { claims["scope"] = opaque.scopes.joined(separator: " ") }
            if let jkt = opaque.confirmation { claims["cnf"] = ["jkt": jkt] }
            return VerifiedAccessToken(claims: claims, jti: opaque.jti, subject: opaque.subject, clientID: opaque.clientID,
                                       expiresAt: opaque.expiresAt)
        }
        let verifier = TokenVerifier()
        guard let parsed = try? verifier.parse(Array(token.utf8)), parsed.header.keyID != nil,
              let keySet = try? JWKSet(json: keyRing.jwks),
              let issuer = try? IssuerConfiguration(issuer: configuration.issuer, audiences: [configuration.audience],
                                                    allowedAlgorithms: [.rs256, .es256], clockSkewSeconds: 0,
                                                    requiredType: "at+jwt"),
              case .key(let key) = issuer.selectKey(for: parsed.header, in: keySet),
              let verified = try? verifier.verify(parsed, key: key, issuer: issuer, now: now),
              let jti = verified.stringClaim("jti"), revokedAccessTokens[jti] == nil,
              let subject = verified.subject, let clientID = verified.stringClaim("client_id"),
              let exp = verified.expiresAt
        else { return nil }
        var claims: [String: Any] = [:]
        for (name, value) in verified.claims.object { claims[name] = JSONCoding.foundationValue(value) }
        return VerifiedAccessToken(claims: claims, jti: jti, subject: subject, clientID: clientID, expiresAt: exp)
    }
}

extension AccessTokenAlgorithm {
    /// The matching `SigningKey` algorithm.
    var signingAlgorithm: SigningKey.Algorithm {
        switch self {
        case .rs256: return .rs256
        case .es256: return .es256
        }
    }
}
