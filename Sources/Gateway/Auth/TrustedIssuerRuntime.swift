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
