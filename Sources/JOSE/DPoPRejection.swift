/// Why a DPoP proof (RFC 9449) was refused: one code per cause (the log field and metric label),
/// a safe description for `error_description` (never proof or token bytes).
public struct DPoPRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cause.
    public enum Code: String, Sendable, CaseIterable {
        /// No `DPoP` field with a DPoP-scheme token, or more than one.
        case missingProof = "dpop_proof_missing"
        case multipleProofs = "dpop_proof_multiple"
        /// Not a compact JWS with JSON header and claims.
        case malformed = "dpop_proof_malformed"
        /// `typ` is not `dpop+jwt`.
        case type = "dpop_proof_typ"
        /// `alg` is `none`, symmetric, unknown or not allowed.
        case algorithm = "dpop_proof_alg"
        /// No usable public `jwk` in the header (absent, private members, unusable material, not fitting `alg`).
        case key = "dpop_proof_jwk"
        /// The signature does not verify with the header's `jwk`.
        case signature = "dpop_proof_signature"
        /// `htm` is not the request method.
        case method = "dpop_proof_htm"
        /// `htu` is not the request URI.
        case uri = "dpop_proof_htu"
        /// `iat` missing, too old or in the future.
        case issuedAt = "dpop_proof_iat"
        /// `jti` missing or unusable.
        case identifier = "dpop_proof_jti"
        /// The `jti` was seen within the proof lifetime.
        case replay = "dpop_proof_replay"
        /// `ath` is not the hash of the presented access token.
        case tokenHash = "dpop_proof_ath"
        /// The proof key's thumbprint is not the token's `cnf.jkt` (a proof signed with another key).
        case keyBinding = "dpop_proof_key_mismatch"
        /// `nonce` missing or not a valid server nonce (answered with `use_dpop_nonce`).
        case nonce = "dpop_nonce"
    }

    /// The cause.
    public let code: Code
    /// Safe human text.
    public let description: String

    /// A rejection.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
