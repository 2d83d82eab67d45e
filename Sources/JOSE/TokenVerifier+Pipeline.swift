/// An issuer's configuration together with the key set currently trusted for it.
public struct TrustedIssuer: Sendable {
    public let configuration: IssuerConfiguration
    public let keys: JWKSet

    public init(configuration: IssuerConfiguration, keys: JWKSet) {
        self.configuration = configuration
        self.keys = keys
    }
}

extension TokenVerifier {
    /// All four steps with the keys at hand and no JWKS refresh: parse, look up the issuer by
    /// exact `iss`, select the key, verify. For tools, tests, and issuers with static keys; the
    /// gateway drives the steps itself so an unknown `kid` can trigger one refresh.
    public func verify(_ token: [UInt8], now: Int64,
                       issuer lookup: (String) -> TrustedIssuer?) throws(TokenRejection) -> VerifiedToken {
        let parsed = try parse(token)
        guard let iss = parsed.issuer, let trusted = lookup(iss) else {
            throw TokenRejection(.unknownIssuer, "token issuer is not trusted")
        }
        switch trusted.configuration.selectKey(for: parsed.header, in: trusted.keys) {
        case .key(let key):
            return try verify(parsed, key: key, issuer: trusted.configuration, now: now)
        case .unknownKey:
            throw TokenRejection(.unknownKey, "unknown signing key")
        case .rejected(let rejection):
            throw rejection
        }
    }
}
