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
    public private(set) var adminServer: LocalServer?
    public let port: UInt16

    /// Starts everything. Order: development issuer and demo API first (so in-process issuers and
    /// upstreams answer from the first request), then key fetches, then the gateway listener.
    public init(config: PortcullisConfig, clock: any Clock = MonotonicClock(), waitForKeysSeconds: Double = 3) throws {
        let level: Telemetry.LogLevel
        switch config.log.level.rawValue {
        case "trace", "debug": level = .debug
        case "warning": level = .warning
        case "error", "critical": level = .error
        default: level = .info
        }
        logger = Logger(component: "gateway", minimumLevel: level)
        metrics = Metrics()
        group = EventLoopGroup(count: config.workers, clock: clock)

        if let dev = config.devIssuer {
            let (server, service) = try Self.startDevIssuer(dev, group: group, clock: clock)
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

        let pipeline = try GatewayPipeline(config: config, clock: clock, logger: logger, metrics: metrics, waitForKeysSeconds: waitForKeysSeconds)
        fetchers = pipeline.fetchers
        authorizer = pipeline.authorizer
        let services = pipeline.upstreams
        let policy = pipeline.authorizer.policy
        let runtimes = pipeline.issuerCount
        var proxy = ProxySettings()
        proxy.httpLimits.maxRequestLineBytes = config.limits.maxRequestLineBytes
        proxy.httpLimits.maxHeaderBytes = config.limits.maxHeaderBytes
        proxy.httpLimits.maxHeaderCount = config.limits.maxHeaderCount
        proxy.httpLimits.maxBodyBytes = config.limits.maxBodyBytes
        proxy.maxConnections = config.limits.maxConnections
        proxy.headerReadTimeoutMs = config.timeouts.headerReadMilliseconds
        proxy.idleKeepAliveTimeoutMs = config.timeouts.idleKeepAliveMilliseconds
        server = GatewayServer(shared: GatewayShared(settings: proxy, upstreams: services, authorizer: authorizer,
                                                         accessLog: level == .debug ? Logger(component: "access", minimumLevel: .debug) : nil), group: group)
        guard let address = SocketAddress(host: config.listen.host, port: config.listen.port) else {
            throw StartupError("listen: cannot resolve \"\(config.listen.host)\"")
        }
        if let admin = config.admin {
            let service = AdminService(metrics: metrics, shared: server.shared,
                                       issuers: zip(config.issuers.filter { !$0.keySource.isSharedSecret }, fetchers).map { ($0.issuer, $1) })
            let adminServer = LocalServer(service: service, group: group)
            try Self.listen(adminServer, admin.listen, what: "admin.listen")
            self.adminServer = adminServer
            logger.info("admin listening", [("listen", admin.listen.description)])
        }
        do { port = try server.start(listen: address) }
        catch { throw StartupError("listen: \(error.description)") }
        logger.info("gateway listening", [("listen", "\(config.listen.host):\(port)"), ("routes", String(policy.routes.routes.count)),
                                          ("issuers", String(runtimes)), ("loops", String(group.loops.count))])
    }

    /// Starts only the development issuer of `dev` (also used by `portcullis dev-issuer`).
    public static func startDevIssuer(_ dev: DevIssuerSettings, group: EventLoopGroup,
                                      clock: any Clock) throws -> (LocalServer, DevIssuerService) {
        let service = try DevIssuerBridge.makeService(
            issuer: dev.issuer, audience: dev.audience, accessTokenTTL: dev.accessTokenTTLSeconds,
            keysDirectory: dev.keysDirectory, user: (dev.user.sub, dev.user.name, dev.user.email),
            clients: dev.clients.map { DevClientSpec(id: $0.clientID, secret: $0.clientSecret, grantTypes: $0.grantTypes,
                                                     scopes: $0.scopes, redirectURIs: $0.redirectURIs) },
            clock: clock)
        let server = LocalServer(service: service, group: group)
        try listen(server, dev.listen, what: "dev_issuer.listen")
        return (server, service)
    }

    private static func listen(_ server: LocalServer, _ address: ListenAddress, what: String) throws {
        guard let a = SocketAddress(host: address.host, port: address.port) else {
            throw StartupError("\(what): cannot resolve \"\(address.host)\"")
        }
        do { try server.start(listen: a) } catch { throw StartupError("\(what): \(error.description)") }
    }

    /// Graceful stop: see `GatewayServer.shutdown`.
    public func shutdown(graceMs: Int, completion: @escaping @Sendable (Int) -> Void) {
        fetchers.forEach { $0.stop() }
        demoServer?.stop()
        devIssuerServer?.stop()
        adminServer?.stop()
        server.shutdown(graceMs: graceMs, completion: completion)
    }
}
