import COpenSSL
import TextCoding

extension SigningKey {
    /// The public half as a JWK (RFC 7517): `kty` plus `n`/`e` (RSA), `crv`/`x`/`y` (EC) or
    /// `crv`/`x` (OKP), all base64url without padding, with `use: "sig"`, `alg` and `kid`.
    ///
    /// Never contains private members (`d`, `p`, `q`, ...).
    public func publicJWK(kid: String, alg: Algorithm) -> [String: String] {
        var jwk = publicMembers()
        jwk["use"] = "sig"
        jwk["alg"] = alg.rawValue
        jwk["kid"] = kid
        return jwk
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url): stable for a key, distinct between keys.
    /// A good `kid`.
    public func jwkThumbprint() -> String {
        let members = publicMembers()
        // RFC 7638 §3.2: only the required members, lexicographic order, no whitespace.
        let required: [String]
        switch keyType {
        case .rsa: required = ["e", "kty", "n"]
        case .p256: required = ["crv", "kty", "x", "y"]
        case .ed25519: required = ["crv", "kty", "x"]
        }
        var json = "{"
        for (index, name) in required.enumerated() {
            if index > 0 { json += "," }
            json += "\"\(name)\":\"\(members[name] ?? "")\""
        }
        json += "}"
        return Base64URL.encode(SHA256Digest(hashing: Array(json.utf8)).bytes)
    }

    /// The required public JWK members for this key type.
    func publicMembers() -> [String: String] {
        switch keyType {
        case .rsa:
            return ["kty": "RSA",
                    "n": Base64URL.encode(bigNumberParameter("n", width: nil)),
                    "e": Base64URL.encode(bigNumberParameter("e", width: nil))]
        case .p256:
            return ["kty": "EC", "crv": "P-256",
                    "x": Base64URL.encode(bigNumberParameter("qx", width: 32)),
                    "y": Base64URL.encode(bigNumberParameter("qy", width: 32))]
        case .ed25519:
            var raw = [UInt8](repeating: 0, count: 32)
            var length = raw.count
            if EVP_PKEY_get_raw_public_key(pkey, &raw, &length) != 1 {
                ERR_clear_error()
                length = 0
            }
            return ["kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(Array(raw.prefix(length)))]
        }
    }

    /// A big-endian integer parameter of the key, minimal length or left-padded to `width`.
    /// Empty on failure (which cannot happen for a key this class generated or validated).
    private func bigNumberParameter(_ name: String, width: Int?) -> [UInt8] {
        var bn: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pkey, name, &bn) == 1, let number = bn else {
            ERR_clear_error()
            return []
        }
        defer { BN_free(number) }
        let length = width ?? (Int(BN_num_bits(number)) + 7) / 8
        var out = [UInt8](repeating: 0, count: length)
        let written = out.withUnsafeMutableBufferPointer { BN_bn2binpad(number, $0.baseAddress, Int32(length)) }
        guard written == Int32(length) else { ERR_clear_error(); return [] }
        return out
    }
}
