import PortcullisCrypto
import Locks

/// The development OAuth 2.0 authorization server: a pure request → response handler.
///
/// The I/O layer reads a request fully, calls `handle(_:now:)` and writes the response back.
/// No sockets, no Dispatch, no wall clock: `now` (Unix seconds) is always passed in.
/// Thread-safe: all state sits behind one `Locked`, so concurrent `handle` calls serialize.
///
/// Endpoints: discovery, JWKS, token (client credentials, authorization code + PKCE S256,
/// rotating refresh tokens, device code), device authorization and verification page,
/// authorize, revoke, introspect and userinfo.
public final class DevIssuer: Sendable {
    /// The configuration the issuer was started with.
    public let configuration: DevIssuerConfiguration
    private let core: Locked<IssuerCore>

    /// Validates `configuration` and loads (from `keysDirectory`) or generates the RS256 and
    /// ES256 signing keys.
    /// - Throws: `DevIssuerConfigurationError` or `SigningKeyError`.
    public init(configuration: DevIssuerConfiguration) throws {
        try configuration.validate()
        let keys = try configuration.keysDirectory.map(KeyStore.loadOrCreate(directory:)) ?? KeyStore.generate()
        self.configuration = configuration
        self.core = Locked(IssuerCore(configuration: configuration,
                                     keyRing: try KeyRing(rs256: keys.rs256, es256: keys.es256)))
    }

    /// Answers one request as of `now` (Unix seconds).
    public func handle(_ request: DevRequest, now: Int64) -> DevResponse {
        core.withLock { $0.handle(request, now: now) }
    }

    /// Generates new RS256 and ES256 keys, which sign from now on. The previous public keys stay
    /// in the JWKS (and verifiable here) for `keyRotationGracePeriod` seconds after `now`, then drop.
    /// New keys are kept in memory only; `keysDirectory` keeps the keys loaded at start.
    /// - Throws: `SigningKeyError` if key generation fails (the ring is then unchanged).
    public func rotateKeys(now: Int64) throws {
        let keys = try KeyStore.generate()
        core.withLock { core in
            core.housekeeping(now: now)
            core.keyRing.rotate(to: keys.rs256, keys.es256, now: now)
        }
    }

    /// Mints an access token directly, bypassing the endpoints (for tests and `loadtest`).
    /// The token is not tracked by any family; it can still be revoked by `jti`.
    /// With `dpopThumbprint` the token is DPoP-bound (`cnf.jkt`, RFC 9449 §6.1).
    public func mintAccessToken(clientID: String, subject: String, scopes: [String], now: Int64,
                                expiresIn: Int64 = 3600, alg: AccessTokenAlgorithm = .rs256, dpopThumbprint: String? = nil) throws -> String {
        try core.withLock { core in
            try core.mintAccessToken(clientID: clientID, subject: subject, scopes: scopes, now: now,
                                     expiresIn: expiresIn, algorithm: alg, confirmation: dpopThumbprint).token
        }
    }

    /// The JWKS document as of the last `handle`/`rotateKeys` call (retired keys are dropped
    /// when a call with a later `now` finds their grace period over).
    public var jwksJSON: [UInt8] {
        core.withLock { $0.keyRing.jwks }
    }

    /// The published keys with their `kid`s, for tests that verify minted tokens. Internal on
    /// purpose: these objects hold private keys and must not leave the module.
    var publishedKeys: [(kid: String, algorithm: AccessTokenAlgorithm, key: SigningKey)] {
        core.withLock { core in core.keyRing.keys.map { ($0.kid, $0.algorithm, $0.key) } }
    }
}
