import Config
import JOSE
import Locks

/// The trusted issuers of one configuration, each beside the settings it was built from, and the
/// verified-token cache they share. A reload builds the next set from the previous one
/// (`GatewayPipeline(config:previous:)`): an issuer whose settings did not change keeps its runtime
/// (its JWKS cache and fetcher: no refetch storm across a fleet) and the tokens verified for it.
public struct IssuerRuntimes: Sendable {
    /// One issuer: its settings and its runtime.
    public struct Entry: Sendable {
        public let settings: IssuerSettings
        public let runtime: TrustedIssuerRuntime
        /// True when the runtime was carried over from the previous configuration.
        public let kept: Bool
    }

    /// In configuration order.
    public let entries: [Entry]
    /// The verified-token cache of this configuration.
    public let cache: VerifiedTokenCache<VerifiedCaller>
    /// `identity_headers` the cached callers' header lines were serialized with.
    let identityHeaders: [IdentityHeader]
    /// Shared by every configuration of one process (see `TokenCacheRelay`).
    let relay: TokenCacheRelay

    /// The JWKS fetchers, in configuration order (issuers with a shared secret have none).
    public var fetchers: [JWKSFetcher<JWKSet>] { entries.compactMap { $0.runtime.keys } }

    /// The previous runtime for `settings`, if it can be kept: same settings and keys from a JWKS
    /// source. An issuer with a shared secret is always rebuilt (its secret file or variable is read
    /// again), and so are the tokens cached for it.
    func reusable(for settings: IssuerSettings) -> TrustedIssuerRuntime? {
        guard let source = settings.keySource, !source.isSharedSecret else { return nil }
        return entries.first(where: { $0.settings == settings })?.runtime
    }
}

/// Where a JWKS fetcher reports the keys that left its issuer's set: the verified-token cache of the
/// current configuration. Fetchers outlive configurations (a reload keeps an unchanged issuer's
/// fetcher) while each configuration has its own cache, so fetchers call this relay, which a reload
/// points at the new cache before carrying the kept issuers' tokens over.
final class TokenCacheRelay: Sendable {
    private let cache: Locked<VerifiedTokenCache<VerifiedCaller>?> = Locked(nil)

    func point(at next: VerifiedTokenCache<VerifiedCaller>) { cache.withLock { $0 = next } }

    /// Drops the entries verified with any of `keyIDs` from the current cache.
    func invalidate(keyIDs: Set<String>) {
        _ = cache.withLock { $0 }?.invalidate(keyIDs: keyIDs)
    }
}
