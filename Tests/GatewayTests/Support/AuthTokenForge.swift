import Foundation
import DevIssuer
import PortcullisCrypto

/// Hand-built compact JWS tokens for end-to-end attack tests: the header and claims are written as
/// JSON text exactly as given (so a test controls every byte), then signed with a real key, or not
/// signed at all, or signed with HMAC, whatever the attack needs.
enum AuthTokenForge {
    /// Unpadded base64url (RFC 7515 §2).
    static func b64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
    static func b64(_ text: String) -> String { b64(Array(text.utf8)) }

    /// `b64(header).b64(claims)`, the JWS signing input.
    static func signingInput(header: String, claims: String) -> String { b64(header) + "." + b64(claims) }

    /// A token signed with `key` (ES256 signatures are raw r‖s, as JOSE requires).
    static func signed(header: String, claims: String, key: SigningKey, alg: SigningKey.Algorithm) -> String {
        let input = signingInput(header: header, claims: claims)
        let signature = try! key.sign(alg: alg, message: Array(input.utf8))
        return input + "." + b64(signature)
    }

    /// A token whose signature segment is `signature` as given.
    static func withSignature(header: String, claims: String, signature: [UInt8]) -> String {
        signingInput(header: header, claims: claims) + "." + b64(signature)
    }

    /// A token "signed" with HMAC-SHA256 over the signing input with `secret`.
    static func hs256(header: String, claims: String, secret: [UInt8]) -> String {
        let input = Array(signingInput(header: header, claims: claims).utf8)
        let mac = secret.withUnsafeBytes { k in input.withUnsafeBytes { m in HMAC.authenticationCode(.sha256, key: k, message: m) } }
        return signingInput(header: header, claims: claims) + "." + b64(mac)
    }

    /// A JSON object from `(name, raw JSON value)` pairs, in order; a nil value omits the member.
    static func json(_ members: [(String, String?)]) -> String {
        "{" + members.compactMap { name, value in value.map { "\"\(name)\":\($0)" } }.joined(separator: ",") + "}"
    }

    /// A JSON string literal (test inputs are plain ASCII).
    static func str(_ s: String) -> String { "\"\(s)\"" }

    /// Claims of a token that issuer A would accept at `now` (exp now+600, iat now); each value can
    /// be overridden, and the claims named in `omit` are left out.
    static func claims(now: Int64, iss: String = AuthKeys.issuerA, aud: String = str(AuthKeys.audience),
                       sub: String = "forged-subject", clientID: String = "forge-client",
                       scope: String = "read:port_calls", exp: Int64? = nil, nbf: Int64? = nil, iat: Int64? = nil,
                       omit: Set<String> = [], extra: [(String, String?)] = []) -> String {
        let members: [(String, String?)] = [
            ("iss", str(iss)), ("aud", aud), ("sub", str(sub)), ("client_id", str(clientID)), ("scope", str(scope)),
            ("exp", String(exp ?? now + 600)), ("nbf", nbf.map { String($0) }), ("iat", String(iat ?? now)),
            ("jti", str(UUID().uuidString)),
        ]
        return json(members.map { omit.contains($0.0) ? ($0.0, nil) : $0 } + extra)
    }

    /// The header issuer A's forged RSA key signs with.
    static func rsaHeader(kid: String? = AuthKeys.forgeRSAKid, alg: String = "RS256", typ: String? = "at+jwt",
                          extra: [(String, String?)] = []) -> String {
        json([("alg", str(alg)), ("kid", kid.map(str)), ("typ", typ.map(str))] + extra)
    }

    /// A token of issuer A signed by its forged RSA key (accepted unless a parameter says otherwise).
    static func rsaToken(now: Int64, header: String? = nil, claims: String? = nil) -> String {
        signed(header: header ?? rsaHeader(), claims: claims ?? Self.claims(now: now), key: AuthKeys.forgeRSA, alg: .rs256)
    }
}

/// Keys and names shared by the auth end-to-end tests. Keys are generated once per test run.
enum AuthKeys {
    static let issuerA = "https://issuer-a.test"
    static let issuerB = "https://issuer-b.test"
    static let issuerDown = "https://issuer-down.test"
    static let audience = "portcullis-test"
    static let realm = "portcullis-test"

    static let forgeRSAKid = "forge-rsa"
    static let forgeECKid = "forge-ec"
    static let issuerBKid = "b-ec"

    /// Issuer A's extra RSA and P-256 keys (published in A's JWKS next to the development issuer's).
    static let forgeRSA = try! SigningKey.generate(.rsa)
    static let forgeEC = try! SigningKey.generate(.p256)
    /// Issuer B's only key.
    static let issuerBEC = try! SigningKey.generate(.p256)
    /// Keys no issuer publishes: what an attacker signs with.
    static let attackerRSA = try! SigningKey.generate(.rsa)

    /// The development issuer minting real tokens as issuer A (shared; never rotated).
    static let devIssuer = makeDevIssuer()

    static func makeDevIssuer() -> DevIssuer {
        try! DevIssuer(configuration: DevIssuerConfiguration(
            issuer: issuerA, audience: audience, user: DevUser(sub: "dev-user", name: "Dev User", email: "dev@example.test"),
            clients: []))
    }

    /// A JWK Set document from public JWKs.
    static func jwks(_ keys: [[String: String]]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: ["keys": keys], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The public JWKs of a development issuer's JWKS document.
    static func jwkList(of dev: DevIssuer) -> [[String: String]] {
        let object = try! JSONSerialization.jsonObject(with: Data(dev.jwksJSON)) as! [String: Any]
        return object["keys"] as! [[String: String]]
    }

    /// Issuer A's document: the development issuer's keys plus the forged RSA and P-256 keys.
    static func issuerADocument(dev: DevIssuer = devIssuer) -> String {
        jwks(jwkList(of: dev) + [forgeRSA.publicJWK(kid: forgeRSAKid, alg: .rs256), forgeEC.publicJWK(kid: forgeECKid, alg: .es256)])
    }

    static var issuerBDocument: String { jwks([issuerBEC.publicJWK(kid: issuerBKid, alg: .es256)]) }
}
