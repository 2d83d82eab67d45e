import Foundation
import PortcullisCrypto
import TextCoding

/// A client's DPoP key and the proofs it signs (RFC 9449 §4.2), for the DPoP tests.
/// Example header: `{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"…","y":"…"}}`,
/// claims: `{"htm":"GET","htu":"http://gateway.test/v1/port-calls/1","iat":…,"jti":"…","ath":"…"}`.
struct DPoPKey {
    let key: SigningKey
    let algorithm: SigningKey.Algorithm
    /// The public JWK members that go into a proof header.
    var jwk: [String: String]
    /// RFC 7638 thumbprint: the `cnf.jkt` of tokens bound to this key.
    var thumbprint: String { key.jwkThumbprint() }

    static func generate(_ type: SigningKey.KeyType = .p256) throws -> DPoPKey {
        let key = try SigningKey.generate(type)
        var jwk = key.publicJWK(kid: "x", alg: key.defaultAlgorithm)
        for drop in ["use", "alg", "kid"] { jwk[drop] = nil }
        return DPoPKey(key: key, algorithm: key.defaultAlgorithm, jwk: jwk)
    }

    /// A proof for `method` `url`; `token` sets `ath`. Every part can be overridden to forge attacks.
    func proof(_ method: String, _ url: String, token: String?, iat: Int64, jti: String = UUID().uuidString,
               nonce: String? = nil, typ: String = "dpop+jwt", headerJWK: [String: String]? = nil,
               ath: String? = nil) throws -> String {
        let jwkJSON = "{" + (headerJWK ?? jwk).sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
        let header = "{\"typ\":\"\(typ)\",\"alg\":\"\(algorithm.rawValue)\",\"jwk\":\(jwkJSON)}"
        var claims = "{\"htm\":\"\(method)\",\"htu\":\"\(url)\",\"iat\":\(iat),\"jti\":\"\(jti)\""
        if let token { claims += ",\"ath\":\"\(ath ?? Base64URL.encode(SHA256Digest(hashing: Array(token.utf8)).bytes))\"" }
        if let nonce { claims += ",\"nonce\":\"\(nonce)\"" }
        claims += "}"
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let signature = try key.sign(alg: algorithm, message: Array(input.utf8))
        return input + "." + Base64URL.encode(signature)
    }
}
