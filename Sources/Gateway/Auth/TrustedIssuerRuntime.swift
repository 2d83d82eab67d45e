import JOSE

/// One trusted issuer at run time: its verification rules and where its keys come from.
/// A class, not a struct: the authenticator looks one up per token, and a reference is one retain
/// where a copy of the configuration retained each of its fields.
public final class TrustedIssuerRuntime: Sendable {
    public let configuration: IssuerConfiguration
    /// The JWKS cache and fetcher; `nil` for an issuer verified with a shared secret (HS*).
    public let keys: JWKSFetcher<JWKSet>?

    public init(configuration: IssuerConfiguration, keys: JWKSFetcher<JWKSet>?) {
        self.configuration = configuration
        self.keys = keys
    }
}
