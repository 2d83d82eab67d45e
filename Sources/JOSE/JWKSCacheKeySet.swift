/// What the JWKS cache needs to know about a parsed key set.
///
/// The cache is generic over the key-set type so that it stays independent of JWK parsing;
/// the verifier's `JWKSet` conforms to this protocol.
public protocol JWKSKeySet: Sendable {
    /// Whether the set holds a key with this `kid`.
    func hasKey(id: String) -> Bool
    /// The `kid`s of every key in the set (keys without a `kid` are not listed).
    var keyIDs: Set<String> { get }
    /// What a key leaving the set invalidates in the verified-token cache: one ID per key, for
    /// keys with and without a `kid` (`JWK.invalidationID`). Defaults to `keyIDs`.
    var invalidationIDs: Set<String> { get }
    /// Number of usable keys in the set, with or without a `kid`. A set with no key is treated
    /// as a failed fetch so that the last good keys are kept.
    var keyCount: Int { get }
}

extension JWKSKeySet {
    public var invalidationIDs: Set<String> { keyIDs }
}
