import IO
import Telemetry
import Synchronization

/// State shared by every loop: immutable settings, the authorizer, and process-wide counters.
public final class GatewayShared: Sendable {
    public let settings: ProxySettings
    public let upstreams: [UpstreamService]
    public let authorizer: any RequestAuthorizer
    let activeConnections = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)
    /// Requests forwarded / answered locally (for tests and the shutdown log).
    let forwarded = Atomic<Int>(0)
    let answeredLocally = Atomic<Int>(0)

    /// One JSON line per request (`log.level` `debug` or `trace`); nil otherwise, so the hot path
    /// pays nothing for it.
    public let accessLog: Logger?

    public init(settings: ProxySettings, upstreams: [UpstreamService], authorizer: any RequestAuthorizer, accessLog: Logger? = nil) {
        self.settings = settings
        self.upstreams = upstreams
        self.authorizer = authorizer
        self.accessLog = accessLog
    }

    public var connectionCount: Int { activeConnections.load(ordering: .relaxed) }
    public var isDraining: Bool { draining.load(ordering: .relaxed) }
    public var forwardedCount: Int { forwarded.load(ordering: .relaxed) }
}
