import JOSE

/// One trusted issuer at run time: its verification rules and where its keys come from.
public struct TrustedIssuerRuntime: Sendable {
    public let configuration: IssuerConfiguration
    /// The JWKS cache and fetcher; `nil` for an issuer verified with a shared secret (HS*).
    public let keys: JWKSFetcher<JWKSet>?

    public init(configuration: IssuerConfiguration, keys: JWKSFetcher<JWKSet>?) {
        self.configuration = configuration
        self.keys = keys
    }
}

extension JWKSet: JWKSKeySet {
    public func hasKey(id: String) -> Bool { !keys(withID: id).isEmpty }
    public var keyIDs: Set<String> { Set(keys.compactMap(\.keyID)) }
    public var keyCount: Int { keys.count }
}
