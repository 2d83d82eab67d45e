/// An asymmetric JWS signature algorithm (RFC 7518 §3.3–3.5, RFC 8037 §3.1) that a
/// `PublicKey` can verify. Symmetric HS* algorithms are handled by `HMAC`, never by a public key.
public enum SignatureAlgorithm: Sendable, Hashable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-256 / SHA-384 / SHA-512.
    case rs256, rs384, rs512
    /// RSASSA-PSS with SHA-2, MGF1 with the same hash, salt length = hash length.
    case ps256, ps384, ps512
    /// ECDSA over P-256 / P-384 / P-521, signature in JOSE raw `r‖s` form.
    case es256, es384, es512
    /// Ed25519 (the JOSE `EdDSA` algorithm restricted to the Ed25519 curve).
    case eddsa

    /// The digest the signature is computed over; `nil` for EdDSA (pure Ed25519 hashes internally).
    public var hashFunction: HashFunction? {
        switch self {
        case .rs256, .ps256, .es256: return .sha256
        case .rs384, .ps384, .es384: return .sha384
        case .rs512, .ps512, .es512: return .sha512
        case .eddsa: return nil
        }
    }

    /// The curve an ECDSA algorithm is bound to (ES256 ↔ P-256, ES384 ↔ P-384, ES512 ↔ P-521).
    public var curve: EllipticCurve? {
        switch self {
        case .es256: return .p256
        case .es384: return .p384
        case .es512: return .p521
        default: return nil
        }
    }

    /// Whether a key of `kind` has the type (and curve) this algorithm requires. This check is
    /// what stops algorithm confusion at the crypto layer: an RSA key never verifies ES256.
    public func fits(_ kind: PublicKey.Kind) -> Bool {
        switch (self, kind) {
        case (.rs256, .rsa), (.rs384, .rsa), (.rs512, .rsa),
             (.ps256, .rsa), (.ps384, .rsa), (.ps512, .rsa):
            return true
        case (.es256, .ec(let c)), (.es384, .ec(let c)), (.es512, .ec(let c)):
            return c == curve
        case (.eddsa, .ed25519):
            return true
        default:
            return false
        }
    }
}
