import Config
import PortcullisTLS
import IO
import JOSE
import Policy
import Telemetry
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Everything per-request decisions need, built from a validated configuration: the upstream list,
/// the compiled policy, the trusted issuers with their JWKS fetchers (started), the verified-token
/// cache and the authorizer. Shared by `serve` and `explain`, so both run the same code.
public struct GatewayPipeline: Sendable {
    public let upstreams: [UpstreamService]
    public let authorizer: PolicyAuthorizer
    /// Every JWKS fetcher of this configuration, in `issuers` order.
    public let fetchers: [JWKSFetcher<JWKSet>]
    /// The fetchers this pipeline created and started (on a reload: those of new or changed issuers).
    public let startedFetchers: [JWKSFetcher<JWKSet>]
    public let issuers: IssuerRuntimes
    public var issuerCount: Int { issuers.entries.count + introspectors.count }
    /// Introspection issuers (RFC 7662), in configuration order; rebuilt on every reload (they
    /// cache into this configuration's verified-token cache).
    public let introspectors: [TokenIntrospector]

    /// Builds the pipeline of `config`. With `previous` (a reload), issuers whose settings did not
    /// change keep their runtime and their cached tokens (see `IssuerRuntimes`); only new or changed
    /// issuers start fetching (and are waited for, up to `waitForKeysSeconds`).
    public init(config: PortcullisConfig, clock: any Clock, logger: Logger, metrics: Metrics, waitForKeysSeconds: Double,
                previous: IssuerRuntimes? = nil, introspectionCounters: IntrospectionCounters = IntrospectionCounters()) throws {
        let upstreamNames = config.upstreams.keys.sorted()
        var services: [UpstreamService] = []
        for name in upstreamNames {
            let u = config.upstreams[name]!
            var targets: [SocketAddress] = []
            for t in u.targets {
                guard let a = SocketAddress(host: t.host, port: t.port) else {
                    throw StartupError("upstreams.\(name).targets: cannot resolve host \"\(t.host)\"")
                }
                targets.append(a)
            }
            var s = UpstreamService(name: name, targets: targets)
            s.connectTimeoutMs = u.connectTimeoutMilliseconds
            s.responseTimeoutMs = u.responseTimeoutMilliseconds
            s.maxIdlePerTarget = u.maxIdlePerTarget
            s.failTimeoutSeconds = u.failTimeoutSeconds
            s.maxFails = u.maxFails
            s.hostNames = u.targets.map(\.host)
            if let tls = u.tls {
                do throws(TLSSetupError) { s.tls = try TLSClientContext(settings: tls) }
                catch { throw StartupError("upstreams.\(name).tls.\(error.description)") }
            }
            services.append(s)
        }
        upstreams = services

        let policy: AccessPolicy
        do throws(RouteTableError) {
            policy = AccessPolicy(routes: try RouteTable(routes: config.routes),
                                  scopes: ScopePolicy(aliases: config.scopeAliases, superuserScopes: Set(config.superuserScopes)),
                                  realm: config.realm, cors: config.cors)
        }
        catch { throw StartupError(error.description) }
        let upstreamIndex = policy.routes.routes.map { upstreamNames.firstIndex(of: $0.upstream) ?? 0 }

        let relay = previous?.relay ?? TokenCacheRelay()
        var entries: [IssuerRuntimes.Entry] = []
        var started: [JWKSFetcher<JWKSet>] = []
        for (i, settings) in config.issuers.enumerated() {
            // An issuer with introspection only has no JWT verification (its JWTs are refused as untrusted).
            guard let keySource = settings.keySource else { continue }
            if let kept = previous?.reusable(for: settings) {
                entries.append(IssuerRuntimes.Entry(settings: settings, runtime: kept, kept: true))
                continue
            }
            let runtime = try Self.makeIssuer(settings, keySource: keySource, index: i, relay: relay, logger: logger)
            entries.append(IssuerRuntimes.Entry(settings: settings, runtime: runtime, kept: false))
            if let f = runtime.keys { started.append(f) }
        }
        let runtimes = entries.map(\.runtime)
        fetchers = runtimes.compactMap(\.keys)
        startedFetchers = started

        // Each configuration has its own cache: requests still running under the previous one insert
        // into the previous cache, never into this one. Tokens of kept issuers are carried over when
        // their identity header lines are still right.
        let cache = VerifiedTokenCache<VerifiedCaller>(configuration: VerifiedTokenCacheConfiguration(
            maxEntries: config.tokenCache.maxEntries, ttl: Double(config.tokenCache.ttlSeconds)))
        relay.point(at: cache)
        if let previous, previous.identityHeaders == config.identityHeaders {
            let kept = Set(entries.filter(\.kept).map(\.settings.issuer))
            previous.cache.copyEntries(into: cache, now: Double(clock.unixSeconds())) { kept.contains($0.token.issuer) }
        }
        issuers = IssuerRuntimes(entries: entries, cache: cache, identityHeaders: config.identityHeaders, relay: relay)
        started.forEach { $0.start() }
        Self.waitForKeys(started, seconds: waitForKeysSeconds)

        let identity = config.identityHeaders.map { (header: $0.header, claim: $0.claim) }
        var introspectors: [TokenIntrospector] = []
        for (i, settings) in config.issuers.enumerated() {
            guard let introspection = settings.introspection else { continue }
            guard let secret = introspection.secret.load() else {
                throw StartupError("issuers[\(i)].introspection: the client secret is not readable")
            }
            introspectors.append(try TokenIntrospector(
                issuer: settings.issuer, settings: introspection, clientSecret: secret, audiences: settings.audiences ?? [],
                clockSkewSeconds: Int64(settings.clockSkewSeconds), cache: cache, identityHeaders: identity, clock: clock,
                counters: introspectionCounters))
        }
        self.introspectors = introspectors
        let pats = config.personalAccessTokens.map { PersonalAccessTokenTable(settings: $0, identityHeaders: identity) }
        let authenticator = TokenAuthenticator(issuers: runtimes, cache: cache, identityHeaders: identity, clock: clock,
                                               personalAccessTokens: pats, introspectors: introspectors)
        authorizer = try PolicyAuthorizer(policy: policy, upstreamIndexByRoute: upstreamIndex,
                                          identityHeaders: identity, authenticator: authenticator, dpop: config.dpop,
                                          dpopRequiredIssuers: Set(config.issuers.filter { $0.dpop == .required }.map(\.issuer)),
                                          requestScheme: config.tls == nil ? "http" : "https",
                                          certificateHeaders: ClientCertificateHeaders(config.tls?.clientCertificateHeaders ?? [], logger: logger),
                                          metrics: metrics, logger: logger)
    }

    private static func makeIssuer(_ s: IssuerSettings, keySource: KeySource, index: Int, relay: TokenCacheRelay,
                                   logger: Logger) throws -> TrustedIssuerRuntime {
        let path = "issuers[\(index)]"
        var secret: [UInt8]?
        var source: JWKSSource?
        switch keySource {
        case .jwksURI(let uri):
            guard let url = URL(string: uri) else { throw StartupError("\(path).jwks_uri: not a URL") }
            source = .url(url)
        case .discovery: source = .discovery(issuer: s.issuer)
        case .jwksFile(let file): source = .file(path: file)
        case .inlineJWKS(let bytes): source = .inline(bytes)
        case .hmacSecretFile(let file):
            guard let data = FileManager.default.contents(atPath: file) else {
                throw StartupError("\(path).hmac_secret_file: cannot read \(file)")
            }
            secret = Array(data)
        case .hmacSecretEnvironment(let name):
            guard let value = getenv(name) else { throw StartupError("\(path).hmac_secret_env: $\(name) is not set") }
            secret = Array(String(decoding: UnsafeRawBufferPointer(start: value, count: strlen(value)), as: UTF8.self).utf8)
        }
        let configuration: IssuerConfiguration
        do {
            configuration = try IssuerConfiguration(
                issuer: s.issuer, audiences: s.audiences ?? [],
                allowedAlgorithms: Set(s.algorithms.compactMap(JWSAlgorithm.init(rawValue:))),
                clockSkewSeconds: Int64(s.clockSkewSeconds), requireExpiration: s.requireExp,
                requiredClaims: s.requiredClaims, requiredType: s.requireTyp, sharedSecret: secret)
        } catch {
            throw StartupError("\(path): \(error.description)")
        }
        guard let source else { return TrustedIssuerRuntime(configuration: configuration, keys: nil) }
        let r = s.jwksRefresh
        let policy = JWKSCachePolicy(defaultTTL: Double(r.defaultSeconds), minTTL: Double(r.minSeconds), maxTTL: Double(r.maxSeconds),
                                     unknownKeyRefreshInterval: Double(r.unknownKidMinIntervalSeconds),
                                     maxStaleness: Double(r.maxStaleSeconds), fetchTimeout: Double(r.timeoutMilliseconds) / 1000)
        let issuerName = s.issuer
        let fetcher = JWKSFetcher<JWKSet>(
            label: issuerName, source: source, policy: policy,
            parse: { bytes in try JWKSet(json: bytes) },
            log: { event in
                let fields = [("issuer", issuerName), ("code", event.code)]
                switch event.level {
                case .error: logger.error(event.message, fields)
                case .warning: logger.warning(event.message, fields)
                case .info: logger.info(event.message, fields)
                case .debug: logger.debug(event.message, fields)
                }
            },
            onKeysChanged: { removed in relay.invalidate(keyIDs: removed) })
        return TrustedIssuerRuntime(configuration: configuration, keys: fetcher)
    }

    /// Gives the first key fetches a moment, so the first token requests do not meet a 503.
    private static func waitForKeys(_ fetchers: [JWKSFetcher<JWKSet>], seconds: Double) {
        var waited = 0.0
        while waited < seconds && fetchers.contains(where: { $0.health.lastSuccessAt == nil }) {
            usleep(20_000)
            waited += 0.02
        }
    }

}
