import PortcullisCrypto

/// The issuer's signing keys: one current RS256 and one current ES256 key, plus keys retired by
/// `rotate` that stay published (and accepted at userinfo/introspection) for a grace period.
///
/// Security invariants: a `kid` names exactly one key (the RFC 7638 thumbprint, distinct per key
/// generation); a key only ever signs with its own algorithm; only public members are published.
struct KeyRing {
    /// A key with its identifier and algorithm; `retiredAt` is set once it stops signing.
    struct PublishedKey {
        let kid: String
        let key: SigningKey
        let algorithm: AccessTokenAlgorithm
        var retiredAt: Int64?
    }

    /// Current and retired keys, oldest first.
    private(set) var keys: [PublishedKey]

    /// A ring holding exactly the two given keys as current.
    init(rs256: SigningKey, es256: SigningKey) throws {
        guard rs256.keyType == .rsa, es256.keyType == .p256 else {
            throw DevIssuerConfigurationError(.keyStorage, "rs256 key must be RSA and es256 key must be P-256")
        }
        keys = [PublishedKey(kid: rs256.jwkThumbprint(), key: rs256, algorithm: .rs256),
                PublishedKey(kid: es256.jwkThumbprint(), key: es256, algorithm: .es256)]
    }

    /// The key currently signing `algorithm` (there is always exactly one).
    func current(_ algorithm: AccessTokenAlgorithm) -> PublishedKey {
        guard let key = keys.last(where: { $0.algorithm == algorithm && $0.retiredAt == nil }) else {
            preconditionFailure("KeyRing lost its current \(algorithm.rawValue) key")
        }
        return key
    }

    /// The published key named `kid`, current or within its grace period.
    func key(kid: String) -> PublishedKey? {
        keys.first { $0.kid == kid }
    }

    /// Retires the current keys at `now` and makes `rs256`/`es256` current.
    mutating func rotate(to rs256: SigningKey, _ es256: SigningKey, now: Int64) {
        for index in keys.indices where keys[index].retiredAt == nil {
            keys[index].retiredAt = now
        }
        keys.append(PublishedKey(kid: rs256.jwkThumbprint(), key: rs256, algorithm: .rs256))
        keys.append(PublishedKey(kid: es256.jwkThumbprint(), key: es256, algorithm: .es256))
    }

    /// Drops retired keys whose grace period has ended (`retiredAt + grace <= now`).
    mutating func dropRetired(now: Int64, grace: Int64) {
        keys.removeAll { key in
            guard let retiredAt = key.retiredAt else { return false }
            return retiredAt + grace <= now
        }
    }

    /// The JWKS document (RFC 7517 §5): every published key's public JWK.
    var jwks: [UInt8] {
        let jwks = keys.map { $0.key.publicJWK(kid: $0.kid, alg: $0.algorithm.signingAlgorithm) }
        return JSONCoding.encode(["keys": jwks])
    }
}
