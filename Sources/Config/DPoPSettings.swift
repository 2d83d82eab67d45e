/// Whether an issuer's tokens must be DPoP-bound (`issuers[].dpop`, RFC 9449).
public enum DPoPMode: String, Sendable, Equatable, CaseIterable {
    /// Bound tokens (`cnf.jkt`) need a valid proof; unbound tokens work as Bearer (the default).
    case allowed
    /// Every token of the issuer must be bound and come with a valid proof.
    case required
}

/// Gateway-wide DPoP proof rules (the top-level `dpop` object).
public struct DPoPSettings: Sendable, Equatable {
    /// How old a proof's `iat` may be, and how long its `jti` is remembered
    /// (`proof_max_age_seconds`, default 300).
    public var proofMaxAgeSeconds: Int
    /// Proof `jti`s remembered at most (`replay_cache_entries`, default 100000); the oldest go first.
    public var replayCacheEntries: Int
    /// The key of stateless server nonces (`nonce_secret_env` / `nonce_secret_file`, optional):
    /// when set, every proof must carry a nonce this gateway (or any replica with the same key) issued.
    public var nonceSecret: NonceSecret?
    /// How long a nonce stays valid: it is accepted in its window and the next (`nonce_window_seconds`, default 300).
    public var nonceWindowSeconds: Int

    /// Where the nonce key comes from.
    public enum NonceSecret: Sendable, Equatable {
        case environment(name: String)
        case file(path: String)
    }

    /// Creates settings with the documented defaults.
    public init(proofMaxAgeSeconds: Int = 300, replayCacheEntries: Int = 100_000, nonceSecret: NonceSecret? = nil,
                nonceWindowSeconds: Int = 300) {
        self.proofMaxAgeSeconds = proofMaxAgeSeconds
        self.replayCacheEntries = replayCacheEntries
        self.nonceSecret = nonceSecret
        self.nonceWindowSeconds = nonceWindowSeconds
    }
}
