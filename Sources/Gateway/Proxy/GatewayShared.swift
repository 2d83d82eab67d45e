import IO
import Telemetry
import Locks
import Synchronization
import PortcullisTLS

/// State shared by every loop: the current runtime configuration (for readers off the request
/// path), the drain flags, and process-wide counters.
public final class GatewayShared: Sendable {
    private let runtime: Locked<RuntimeConfiguration>
    let activeConnections = Atomic<Int>(0)
    /// Set at SIGINT/SIGTERM: `/readyz` answers 503 and every response carries `Connection: close`.
    let draining = Atomic<Bool>(false)
    /// Set when the drain delay is over: no more accepts, idle keep-alive connections are closed.
    let closingIdle = Atomic<Bool>(false)
    /// Times accepting paused for lack of descriptors or memory (`Acceptor`): one per episode per loop.
    let acceptPauses = Atomic<Int>(0)

    /// The listener's certificates when it serves HTTPS (`tls`): every accepted connection gets a
    /// TLS session on the current identity (a reload swaps the identity, not this object); nil: plain HTTP.
    public let tls: TLSServerCertificates?

    /// Shared state starting with the configuration `initial`.
    public init(initial: RuntimeConfiguration, tls: TLSServerCertificates? = nil) {
        runtime = Locked(initial)
        self.tls = tls
    }

    /// Shared state starting with a configuration made of these parts (generation 0).
    public convenience init(settings: ProxySettings, upstreams: [UpstreamService], authorizer: any RequestAuthorizer,
                            accessLog: AccessLogSink? = nil, routeLabels: [String] = []) {
        self.init(initial: RuntimeConfiguration(settings: settings, upstreams: upstreams, authorizer: authorizer,
                                                accessLog: accessLog, routeLabels: routeLabels))
    }

    /// The configuration most recently installed. Requests do not read this (each loop holds its own
    /// copy, `LoopContext.runtime`); the admin endpoints, `accept` and reloads do.
    public var current: RuntimeConfiguration { runtime.withLock { $0 } }

    func setCurrent(_ configuration: RuntimeConfiguration) { runtime.withLock { $0 = configuration } }

    public var settings: ProxySettings { current.settings }
    public var connectionCount: Int { activeConnections.load(ordering: .relaxed) }
    /// True from SIGINT/SIGTERM on (see `draining`).
    public var isDraining: Bool { draining.load(ordering: .relaxed) }
    /// True once the drain delay is over (see `closingIdle`).
    public var isClosingIdle: Bool { closingIdle.load(ordering: .relaxed) }
    public var acceptPauseCount: Int { acceptPauses.load(ordering: .relaxed) }
}
