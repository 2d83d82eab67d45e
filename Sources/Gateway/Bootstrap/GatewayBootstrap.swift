import Config
import IO
import JOSE
import Policy
import Telemetry
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// A configuration that cannot be started (bad address, unreadable secret, port in use), with a safe
/// message that names what is wrong.
public struct StartupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A running Portcullis: the gateway, its issuers' key caches and, when configured, the in-process demo
/// API and development issuer. Built from a validated `PortcullisConfig`.
public final class RunningGateway: @unchecked Sendable {
    public let group: EventLoopGroup
    public let server: GatewayServer
    public let authorizer: PolicyAuthorizer
    public let fetchers: [JWKSFetcher<JWKSet>]
    public let metrics: Metrics
    public let logger: Logger
    public private(set) var demoServer: LocalServer?
    public private(set) var devIssuerServer: LocalServer?
    public private(set) var devIssuerService: DevIssuerService?
    public let port: UInt16

    /// Starts everything. Order: development issuer and demo API first (so in-process issuers and
    /// upstreams answer from the first request), then key fetches, then the gateway listener.
    public init(config: PortcullisConfig, clock: any Clock = MonotonicClock(), waitForKeysSeconds: Double = 3) throws {
        let level = Telemetry.LogLevel(name: config.log.level.rawValue) ?? .info
        logger = Logger(component: "gateway", minimumLevel: level)
        metrics = Metrics()
        group = EventLoopGroup(count: config.workers, clock: clock)

        if let dev = config.devIssuer {
            let service = try DevIssuerBridge.makeService(
                issuer: dev.issuer, audience: dev.audience, accessTokenTTL: dev.accessTokenTTLSeconds,
                keysDirectory: dev.keysDirectory, user: (dev.user.sub, dev.user.name, dev.user.email),
                clients: dev.clients.map { DevClientSpec(id: $0.clientID, secret: $0.clientSecret, grantTypes: $0.grantTypes,
                                                         scopes: $0.scopes, redirectURIs: $0.redirectURIs) },
                clock: clock)
            let server = LocalServer(service: service, group: group)
            try Self.listen(server, dev.listen, what: "dev_issuer.listen")
            devIssuerServer = server
            devIssuerService = service
            logger.info("development issuer listening", [("listen", dev.listen.description), ("issuer", dev.issuer)])
        }
        if let demo = config.demoAPI {
            let server = LocalServer(service: DemoAPI(), group: group)
            try Self.listen(server, demo.listen, what: "demo_api.listen")
            demoServer = server
            logger.info("demo API listening", [("listen", demo.listen.description)])
        }

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
            services.append(s)
        }

        let policy: AccessPolicy
        do throws(RouteTableError) {
            policy = AccessPolicy(routes: try RouteTable(routes: config.routes),
                                  scopes: ScopePolicy(aliases: config.scopeAliases, superuserScopes: Set(config.superuserScopes)),
                                  realm: config.realm)
        }
        catch { throw StartupError(error.description) }
        let upstreamIndex = policy.routes.routes.map { upstreamNames.firstIndex(of: $0.upstream) ?? 0 }

        let cache = VerifiedTokenCache<VerifiedToken>(configuration: VerifiedTokenCacheConfiguration(
            maxEntries: config.tokenCache.maxEntries, ttl: Double(config.tokenCache.ttlSeconds)))
        var runtimes: [TrustedIssuerRuntime] = []
        var fetchers: [JWKSFetcher<JWKSet>] = []
        let logger = self.logger
        for (i, settings) in config.issuers.enumerated() {
            let runtime = try Self.makeIssuer(settings, index: i, cache: cache, logger: logger)
            runtimes.append(runtime)
            if let f = runtime.keys { fetchers.append(f) }
        }
        self.fetchers = fetchers
        fetchers.forEach { $0.start() }
        Self.waitForKeys(fetchers, seconds: waitForKeysSeconds)

        let authenticator = TokenAuthenticator(issuers: runtimes, cache: cache, clock: clock)
        authorizer = PolicyAuthorizer(policy: policy, upstreamIndexByRoute: upstreamIndex,
                                      identityHeaders: config.identityHeaders.map { ($0.header, $0.claim) },
                                      authenticator: authenticator, metrics: metrics, logger: logger)
        var proxy = ProxySettings()
        proxy.httpLimits.maxRequestLineBytes = config.limits.maxRequestLineBytes
        proxy.httpLimits.maxHeaderBytes = config.limits.maxHeaderBytes
        proxy.httpLimits.maxHeaderCount = config.limits.maxHeaderCount
        proxy.httpLimits.maxBodyBytes = config.limits.maxBodyBytes
        proxy.maxConnections = config.limits.maxConnections
        proxy.headerReadTimeoutMs = config.timeouts.headerReadMilliseconds
        proxy.idleKeepAliveTimeoutMs = config.timeouts.idleKeepAliveMilliseconds
        server = GatewayServer(shared: GatewayShared(settings: proxy, upstreams: services, authorizer: authorizer), group: group)
        guard let address = SocketAddress(host: config.listen.host, port: config.listen.port) else {
            throw StartupError("listen: cannot resolve \"\(config.listen.host)\"")
        }
        do { port = try server.start(listen: address) }
        catch { throw StartupError("listen: \(error.description)") }
        logger.info("gateway listening", [("listen", "\(config.listen.host):\(port)"), ("routes", String(policy.routes.routes.count)),
                                          ("issuers", String(runtimes.count)), ("loops", String(group.loops.count))])
    }

    private static func listen(_ server: LocalServer, _ address: ListenAddress, what: String) throws {
        guard let a = SocketAddress(host: address.host, port: address.port) else {
            throw StartupError("\(what): cannot resolve \"\(address.host)\"")
        }
        do { try server.start(listen: a) } catch { throw StartupError("\(what): \(error.description)") }
    }

    private static func makeIssuer(_ s: IssuerSettings, index: Int, cache: VerifiedTokenCache<VerifiedToken>,
                                   logger: Logger) throws -> TrustedIssuerRuntime {
        let path = "issuers[\(index)]"
        var secret: [UInt8]?
        var source: JWKSSource?
        switch s.keySource {
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
                default: logger.info(event.message, fields)
                }
            },
            onKeysChanged: { removed in _ = cache.invalidate(keyIDs: removed) })
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

    /// Graceful stop: see `GatewayServer.shutdown`.
    public func shutdown(graceMs: Int, completion: @escaping @Sendable (Int) -> Void) {
        fetchers.forEach { $0.stop() }
        demoServer?.stop()
        devIssuerServer?.stop()
        server.shutdown(graceMs: graceMs, completion: completion)
    }
}
