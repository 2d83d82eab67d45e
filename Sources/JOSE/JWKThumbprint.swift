import PortcullisCrypto
import TextCoding

/// RFC 7638 JWK thumbprints: base64url(SHA-256) of the key's required members, in lexicographic
/// order, as compact JSON. DPoP binds a token to a key by this value (`cnf.jkt`, RFC 9449 §6.1).
public enum JWKThumbprint {
    /// The thumbprint of a public JWK object, or `nil` when a required member is missing or not a
    /// string, or `kty` is not `EC`, `RSA` or `OKP`.
    public static func sha256(of jwk: JSONObject) -> String? {
        let names: [String]
        switch jwk["kty"]?.stringValue {
        case "EC": names = ["crv", "kty", "x", "y"]
        case "RSA": names = ["e", "kty", "n"]
        case "OKP": names = ["crv", "kty", "x"]
        default: return nil
        }
        var json: [UInt8] = [UInt8(ascii: "{")]
        for (i, name) in names.enumerated() {
            guard let value = jwk[name]?.stringValue else { return nil }
            if i > 0 { json.append(UInt8(ascii: ",")) }
            JSONText.appendString(name, to: &json)
            json.append(UInt8(ascii: ":"))
            JSONText.appendString(value, to: &json)
        }
        json.append(UInt8(ascii: "}"))
        return Base64URL.encode(SHA256Digest(hashing: json).bytes)
    }
}
