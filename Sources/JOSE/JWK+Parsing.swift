import PortcullisCrypto
import TextCoding

extension JWK {
    /// Why one member of a JWK Set was not turned into a usable key.
    public enum SkipReason: String, Error, Sendable, Hashable {
        case notAnObject = "not_an_object"
        case missingKeyType = "missing_kty"
        case unsupportedKeyType = "unsupported_kty"
        /// `kty: oct`: shared secrets are never taken from a JWKS.
        case symmetricKey = "symmetric_key"
        /// `use` present and not `sig`.
        case notForSignature = "use_not_sig"
        /// `key_ops` present without `verify`.
        case operationsExcludeVerify = "key_ops_exclude_verify"
        /// `alg` present but not a JWS algorithm we verify (e.g. `RSA-OAEP`, `none`).
        case unsupportedAlgorithm = "unsupported_alg"
        /// `alg` present but does not fit the key type/curve (e.g. `ES256` on an RSA key).
        case algorithmKeyMismatch = "alg_key_mismatch"
        case unsupportedCurve = "unsupported_crv"
        /// A required member missing, not a string, or not strict base64url.
        case invalidMember = "invalid_member"
        /// The key carries private material (`d`, `p`, …): a leaked private key is not trusted.
        case privateKeyMaterial = "private_key_material"
        /// OpenSSL refused the public material (small modulus, off-curve point, …).
        case invalidKeyMaterial = "invalid_key_material"
    }

    /// Private-key members of RSA/EC/OKP JWKs (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2).
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth"]

    /// Builds a key from one JWK object, or says why it is not usable.
    public static func parse(_ value: JSONValue) -> Result<JWK, SkipReason> {
        guard let members = value.objectValue else { return .failure(.notAnObject) }
        guard let kty = members["kty"]?.stringValue else { return .failure(.missingKeyType) }
        if kty == "oct" { return .failure(.symmetricKey) }
        guard let keyType = KeyType(rawValue: kty) else { return .failure(.unsupportedKeyType) }
        if let use = members["use"] {
            guard use.stringValue == "sig" else { return .failure(.notForSignature) }
        }
        if let ops = members["key_ops"] {
            guard let list = ops.stringArrayValue, list.contains("verify") else { return .failure(.operationsExcludeVerify) }
        }
        var algorithm: JWSAlgorithm?
        if let alg = members["alg"] {
            guard let name = alg.stringValue, let known = JWSAlgorithm(rawValue: name), !known.isSymmetric else {
                return .failure(.unsupportedAlgorithm)
            }
            algorithm = known
        }
        if privateMembers.contains(where: { members[$0] != nil }) { return .failure(.privateKeyMaterial) }
        var keyID: String?
        if let kid = members["kid"] {
            guard let s = kid.stringValue else { return .failure(.invalidMember) }
            keyID = s
        }
        let key: PublicKey
        switch makeKey(keyType, members) {
        case .success(let k): key = k
        case .failure(let reason): return .failure(reason)
        }
        let jwk = JWK(keyID: keyID, algorithm: algorithm, publicKey: key)
        if let algorithm, !jwk.fits(algorithm) { return .failure(.algorithmKeyMismatch) }
        return .success(jwk)
    }

    private static func makeKey(_ type: KeyType, _ m: JSONObject) -> Result<PublicKey, SkipReason> {
        func bytes(_ name: String) -> [UInt8]? {
            m[name]?.stringValue.flatMap { Base64URL.decode($0) }
        }
        do {
            switch type {
            case .rsa:
                guard let n = bytes("n"), let e = bytes("e"), !n.isEmpty, !e.isEmpty else { return .failure(.invalidMember) }
                return .success(try PublicKey(rsaModulus: n, exponent: e))
            case .ec:
                guard let crv = m["crv"]?.stringValue else { return .failure(.invalidMember) }
                guard let curve = EllipticCurve(rawValue: crv) else { return .failure(.unsupportedCurve) }
                guard let x = bytes("x"), let y = bytes("y") else { return .failure(.invalidMember) }
                return .success(try PublicKey(curve: curve, x: x, y: y))
            case .okp:
                guard let crv = m["crv"]?.stringValue else { return .failure(.invalidMember) }
                guard crv == "Ed25519" else { return .failure(.unsupportedCurve) }
                guard let x = bytes("x") else { return .failure(.invalidMember) }
                return .success(try PublicKey(ed25519: x))
            }
        } catch {
            return .failure(.invalidKeyMaterial)
        }
    }
}
