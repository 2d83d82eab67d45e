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

extension IssuerCore {
    /// Mints an RFC 9068 access token: header `{alg, kid, typ: "at+jwt"}`, claims `iss`, `sub`,
    /// `aud`, `exp`, `iat`, `jti` (128 random bits), `client_id` and `scope` (space-separated,
    /// omitted when empty). Returns the compact JWS and its `jti`.
    func mintAccessToken(clientID: String, subject: String, scopes: [String], now: Int64,
                         expiresIn: Int64, algorithm: AccessTokenAlgorithm) throws -> (token: String, jti: String) {
        let key = keyRing.current(algorithm)
        let jti = Self.randomToken(bytes: 16)
        var claims: [String: Any] = [
            "iss": configuration.issuer, "sub": subject, "aud": configuration.audience,
            "exp": Int(now + expiresIn), "iat": Int(now), "jti": jti, "client_id": clientID,
        ]
        if !scopes.isEmpty { claims["scope"] = scopes.joined(separator: " ") }
        let header: [String: Any] = ["alg": algorithm.rawValue, "kid": key.kid, "typ": "at+jwt"]
        let signingInput = Base64URL.encode(JSONCoding.encode(header)) + "." + Base64URL.encode(JSONCoding.encode(claims))
        let signature = try key.key.sign(alg: algorithm.signingAlgorithm, message: Array(signingInput.utf8))
        return (signingInput + "." + Base64URL.encode(signature), jti)
    }

    /// Verifies an access token against this issuer's own published keys.
    ///
    /// Security invariants: `typ` must be `at+jwt`; `alg` must be RS256 or ES256 *and* equal the
    /// algorithm of the one key `kid` names (no "try every key"); the signature covers the
    /// original bytes of the first two segments; `iss` must be this issuer, `exp` in the future
    /// and the `jti` not revoked. Any failure returns nil (the caller answers `invalid_token`).
    func verifyAccessToken(_ token: String, now: Int64) -> VerifiedAccessToken? {
        let bytes = Array(token.utf8)
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2, token.utf8.count <= 8192 else { return nil }
        guard let headerBytes = Base64URL.decode(bytes[..<dots[0]]),
              let header = JSONCoding.decodeObject(headerBytes),
              header["typ"] as? String == "at+jwt",
              let algName = header["alg"] as? String, let algorithm = AccessTokenAlgorithm(rawValue: algName),
              let kid = header["kid"] as? String, let published = keyRing.key(kid: kid),
              published.algorithm == algorithm,
              let signature = Base64URL.decode(bytes[(dots[1] + 1)...]),
              published.key.verify(alg: algorithm.signingAlgorithm, message: Array(bytes[..<dots[1]]),
                                   signature: signature),
              let claimBytes = Base64URL.decode(bytes[(dots[0] + 1)..<dots[1]]),
              let claims = JSONCoding.decodeObject(claimBytes),
              claims["iss"] as? String == configuration.issuer,
              let exp = JSONCoding.integer(claims["exp"]), exp > now,
              let jti = claims["jti"] as? String, revokedAccessTokens[jti] == nil,
              let subject = claims["sub"] as? String,
              let clientID = claims["client_id"] as? String
        else { return nil }
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
