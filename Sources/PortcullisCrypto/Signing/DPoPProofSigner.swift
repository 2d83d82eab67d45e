import TextCoding

/// Signs DPoP proofs (RFC 9449 §4.2) with a client key: for `portcullis dpop proof` (the README's
/// curl quick start), `bench dpop`, `loadtest --dpop` and tests. The header carries only the public `jwk` members.
public struct DPoPProofSigner: Sendable {
    public let key: SigningKey
    /// The public JWK members placed in every proof header.
    public let jwkJSON: String

    public init(key: SigningKey) {
        self.key = key
        var jwk = key.publicJWK(kid: "x", alg: key.defaultAlgorithm)
        for drop in ["use", "alg", "kid"] { jwk[drop] = nil }
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (i, (name, value)) in jwk.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONText.appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        jwkJSON = String(decoding: out, as: UTF8.self)
    }

    /// The RFC 7638 thumbprint: the `cnf.jkt` of tokens bound to this key.
    public var thumbprint: String { key.jwkThumbprint() }

    /// A proof for `method` `url` at `now` (`jti` random); `accessToken` adds `ath`, `nonce` a server nonce.
    public func proof(method: String, url: String, accessToken: String?, nonce: String? = nil, now: Int64) throws -> String {
        var header: [UInt8] = Array("{\"typ\":\"dpop+jwt\",\"alg\":".utf8)
        JSONText.appendString(key.defaultAlgorithm.rawValue, to: &header)
        header += Array(",\"jwk\":\(jwkJSON)}".utf8)
        var claims: [UInt8] = Array("{\"htm\":".utf8)
        JSONText.appendString(method, to: &claims)
        claims += Array(",\"htu\":".utf8)
        JSONText.appendString(url, to: &claims)
        claims += Array(",\"iat\":\(now),\"jti\":\"\(Base64URL.encode(SecureRandom.bytes(16)))\"".utf8)
        if let accessToken {
            claims += Array(",\"ath\":\"\(Base64URL.encode(SHA256Digest(hashing: Array(accessToken.utf8)).bytes))\"".utf8)
        }
        if let nonce {
            claims += Array(",\"nonce\":".utf8)
            JSONText.appendString(nonce, to: &claims)
        }
        claims.append(UInt8(ascii: "}"))
        let input = Base64URL.encode(header) + "." + Base64URL.encode(claims)
        return input + "." + Base64URL.encode(try key.sign(alg: key.defaultAlgorithm, message: Array(input.utf8)))
    }
}

