import PortcullisCrypto

/// One usable signature-verification key from a JWK Set (RFC 7517).
///
/// Only keys that passed every check in `JWK.parse` exist as values of this type: a supported
/// `kty`/`crv`, public material that OpenSSL accepted (RSA ≥ 2048 bits, EC point on the curve,
/// Ed25519 of 32 bytes), `use` absent or `sig`, `key_ops` absent or containing `verify`, and an
/// `alg` (when present) that is a known JWS algorithm fitting the key.
///
/// A final class of constants: key selection hands one reference per verification to the
/// verifier instead of copying three reference-counted fields.
public final class JWK: Sendable {
    /// The JWK key type (`kty`). Symmetric `oct` keys are never turned into `JWK`s.
    public enum KeyType: String, Sendable, Hashable {
        case rsa = "RSA"
        case ec = "EC"
        case okp = "OKP"
    }

    /// `kid`, if present.
    public let keyID: String?
    /// The key's own `alg`, if present: when set, a token's header `alg` must equal it.
    public let algorithm: JWSAlgorithm?
    /// `kty`.
    public let keyType: KeyType
    /// The OpenSSL-backed key.
    public let publicKey: PublicKey
    /// What the verified-token cache remembers about the key that verified an entry, and what a
    /// key leaving the JWKS invalidates: the `kid` (or nothing) plus the key's fingerprint. So a
    /// key without a `kid`, or a `kid` re-published with new material, is still told apart.
    public let invalidationID: String

    /// Creates a JWK directly from a key (tests, tools, inline configuration).
    public init(keyID: String?, algorithm: JWSAlgorithm?, publicKey: PublicKey) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.invalidationID = (keyID ?? "") + "#sha256:" + publicKey.fingerprint
        switch publicKey.kind {
        case .rsa: keyType = .rsa
        case .ec: keyType = .ec
        case .ed25519: keyType = .okp
        }
    }

    /// Whether this key may verify a token whose header says `alg`: the key type and curve must
    /// fit the algorithm, and the key's own `alg` must equal it when present. HS* never fits a
    /// JWK (shared secrets come only from issuer configuration). This is the algorithm-confusion
    /// guard: an RSA key can never verify HS256 or ES256.
    public func fits(_ alg: JWSAlgorithm) -> Bool {
        guard let signatureAlgorithm = alg.signatureAlgorithm,
              signatureAlgorithm.fits(publicKey.kind) else { return false }
        if let own = algorithm, own != alg { return false }
        return true
    }
}
