import Config
import IO
import JOSE
import Policy
import Telemetry
import PortcullisTLS
import FoundationEssentials
import Locks
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
/// API and development issuer. Built from a validated `PortcullisConfig`; `reload(config:)` applies a
/// new one while it runs (see `RunningGateway+Reload`), `shutdown` drains it.
public final class RunningGateway: @unchecked Sendable {
    /// What a reload replaces: the configuration and the pipeline built from it.
    struct Loaded {
        var config: PortcullisConfig
        var pipeline: GatewayPipeline
        var generation: Int
        /// The access log's sink (kept by a reload that leaves `access_log` unchanged).
        var accessLog: AccessLogSink?
    }

    public let group: EventLoopGroup
    public let server: GatewayServer
    public let metrics: Metrics
    /// `portcullis_introspection_requests_total{issuer,result}`, kept across reloads (also on the admin `/metrics`).
    public let introspectionCounters = IntrospectionCounters()
    public let logger: Logger
    /// Readiness, liveness and reload counters (the admin listener reports them).
    public let health: GatewayHealth
    let clock: any Clock
    let waitForKeysSeconds: Double
    /// Whether `log.level` lets the access log be written (it is written at `info`).
    let accessLogAllowed: Bool
    let loaded: Locked<Loaded>
    /// Serializes reloads (SIGHUP handlers, tests) without holding `loaded` while keys are fetched.
    let reloading = Locked<Void>()
    /// Updated by every reload besides the snapshot (see `ReloadParticipant`).
    let participants = Locked<[any ReloadParticipant]>([])
    public private(set) var demoServer: LocalServer?
    public private(set) var devIssuerServer: LocalServer?
    public private(set) var devIssuerService: DevIssuerService?
    public private(set) var adminServer: LocalServer?

    /// The gateway's bound port (it changes when a reload moves `listen`).
    public var port: UInt16 { server.port }
    /// The configuration in force.
    public var config: PortcullisConfig { loaded.withLock { $0.config } }
    /// The authorizer of the configuration in force.
    public var authorizer: PolicyAuthorizer { loaded.withLock { $0.pipeline.authorizer } }
    /// The JWKS fetchers of the configuration in force, in `issuers` order.
    public var fetchers: [JWKSFetcher<JWKSet>] { loaded.withLock { $0.pipeline.fetchers } }
    /// The listener's certificates when `tls` is configured (a reload swaps what they hold).
    public let certificates: TLSServerCertificates?
    /// The admin listener's certificates when `admin.tls` is configured.
    public private(set) var adminCertificates: TLSServerCertificates?

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
        self.clock = clock
        self.waitForKeysSeconds = waitForKeysSeconds
        accessLogAllowed = level <= .info
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

        let pipeline = try GatewayPipeline(config: config, clock: clock, logger: logger, metrics: metrics, waitForKeysSeconds: waitForKeysSeconds,
                                           introspectionCounters: introspectionCounters)
        let accessLog = try Self.accessLogSink(config, allowed: accessLogAllowed, previous: nil)
        loaded = Locked(Loaded(config: config, pipeline: pipeline, generation: 0, accessLog: accessLog))
        let runtime = Self.makeRuntime(config, pipeline, generation: 0, accessLog: accessLog)
        certificates = try config.tls.map { (tls) throws in try Self.loadCertificates(tls, what: "tls") }
        server = GatewayServer(shared: GatewayShared(initial: runtime, tls: certificates), group: group)
        server.logger = logger
        health = GatewayHealth(shared: server.shared, startedAtUnixSeconds: clock.unixSeconds())
        health.setIssuers(Self.issuerKeys(pipeline))
        guard let address = SocketAddress(host: config.listen.host, port: config.listen.port) else {
            throw StartupError("listen: cannot resolve \"\(config.listen.host)\"")
        }
        if let admin = config.admin {
            adminCertificates = try admin.tls.map { (tls) throws in try Self.loadCertificates(tls, what: "admin.tls") }
            let adminServer = LocalServer(service: AdminService(metrics: metrics, health: health, server: server,
                                                                introspection: introspectionCounters,
                                                                tlsExpiry: TLSExpirySource(gateway: certificates, admin: adminCertificates)),
                                          group: group,
                                          tls: adminCertificates)
            let port = try Self.listen(adminServer, admin.listen, what: "admin.listen")
            self.adminServer = adminServer
            logger.info("admin listening", [("listen", ListenAddress(host: admin.listen.host, port: port).description)])
        }
        let port: UInt16
        do { port = try server.start(listen: address) }
        catch { throw StartupError("listen: \(error.description)") }
        health.setListening(true)
        logger.info("gateway listening", [("listen", ListenAddress(host: config.listen.host, port: port).description),
                                          ("scheme", certificates == nil ? "http" : "https"),
                                          ("routes", String(pipeline.authorizer.policy.routes.routes.count)),
                                          ("issuers", String(pipeline.issuerCount)), ("loops", String(group.loops.count))])
        addReloadParticipant(CertificateReloadParticipant(gateway: self))   // also refuses a reload that adds tls
    }

    /// The request-path snapshot of `config` (see `RuntimeConfiguration`).
    static func makeRuntime(_ config: PortcullisConfig, _ pipeline: GatewayPipeline, generation: Int,
                            accessLog: AccessLogSink?) -> RuntimeConfiguration {
        var proxy = ProxySettings()
        proxy.httpLimits.maxRequestLineBytes = config.limits.maxRequestLineBytes
        proxy.httpLimits.maxHeaderBytes = config.limits.maxHeaderBytes
        proxy.httpLimits.maxHeaderCount = config.limits.maxHeaderCount
        proxy.httpLimits.maxBodyBytes = config.limits.maxBodyBytes
        proxy.maxConnections = config.limits.maxConnections
        proxy.headerReadTimeoutMs = config.timeouts.headerReadMilliseconds
        proxy.idleKeepAliveTimeoutMs = config.timeouts.idleKeepAliveMilliseconds
        return RuntimeConfiguration(generation: generation, settings: proxy, upstreams: pipeline.upstreams, authorizer: pipeline.authorizer,
                                    accessLog: accessLog, routeLabels: pipeline.authorizer.policy.routes.routes.map(\.label))
    }

    /// The access log's sink for `config`: none when disabled (or `log.level` is above info), the
    /// previous one when its settings did not change (same descriptor), else the path opened anew.
    static func accessLogSink(_ config: PortcullisConfig, allowed: Bool,
                              previous: (settings: AccessLogSettings, sink: AccessLogSink?)?) throws(StartupError) -> AccessLogSink? {
        guard allowed && config.accessLog.enabled else { return nil }
        if let previous, previous.settings == config.accessLog, let sink = previous.sink { return sink }
        return try AccessLogSink(path: config.accessLog.path)
    }

    /// Reopens the access-log file (`SIGUSR1`, after logrotate renamed it); logs the outcome.
    public func reopenAccessLog() {
        guard let sink = server.shared.current.accessLog, sink.path != "-" else { return }   // stdout: nothing to reopen
        sink.reopen { [logger] failure in
            if let failure { logger.error("access log not reopened", [("path", sink.path), ("error", failure)]) }
            else { logger.info("access log reopened", [("path", sink.path)]) }
        }
    }

    /// The issuers whose keys `/readyz` requires: those with a JWKS (a shared secret is always usable).
    static func issuerKeys(_ pipeline: GatewayPipeline) -> [(name: String, fetcher: JWKSFetcher<JWKSet>)] {
        pipeline.issuers.entries.compactMap { e in e.runtime.keys.map { (e.settings.issuer, $0) } }
    }

    /// Starts only the development issuer of `dev` (also used by `portcullis dev-issuer`).
    public static func startDevIssuer(_ dev: DevIssuerSettings, group: EventLoopGroup,
                                      clock: any Clock) throws -> (LocalServer, DevIssuerService) {
        let service = try DevIssuerBridge.makeService(
            issuer: dev.issuer, audience: dev.audience, accessTokenTTL: dev.accessTokenTTLSeconds,
            keysDirectory: dev.keysDirectory, user: (dev.user.sub, dev.user.name, dev.user.email),
            clients: dev.clients.map { DevClientSpec(id: $0.clientID, secret: $0.clientSecret, grantTypes: $0.grantTypes,
                                                     scopes: $0.scopes, redirectURIs: $0.redirectURIs, tokenFormat: $0.tokenFormat) },
            clock: clock)
        let server = LocalServer(service: service, group: group)
        try listen(server, dev.listen, what: "dev_issuer.listen")
        return (server, service)
    }

    @discardableResult
    private static func listen(_ server: LocalServer, _ address: ListenAddress, what: String) throws -> UInt16 {
        guard let a = SocketAddress(host: address.host, port: address.port) else {
            throw StartupError("\(what): cannot resolve \"\(address.host)\"")
        }
        do { return try server.start(listen: a) } catch { throw StartupError("\(what): \(error.description)") }
    }

}
