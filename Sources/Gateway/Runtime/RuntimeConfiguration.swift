/// One immutable configuration of the request path: what a request needs from the configuration
/// file, built once per load (start-up or SIGHUP) and never changed afterwards.
///
/// The reload seam: each event loop holds the current snapshot (`LoopRuntime`), and a connection
/// takes it when a request begins and keeps it until that request's response is complete, so an
/// in-flight request finishes under the configuration it started with and a keep-alive connection
/// follows a new one from its next request. A reload builds a new snapshot and installs it on every
/// loop (`GatewayServer.install`); nothing in a snapshot is mutated after it is built.
///
/// Request-path features reload with it when they are built from the configuration inside it: CORS
/// (in the authorizer's policy) and personal access tokens (the authenticator's table, whose file is
/// read again) already are. A new one: add a stored property, build it in
/// `RunningGateway.makeRuntime`. State outside the request path (TLS certificates in a swappable
/// server context, log files) registers a `ReloadParticipant` instead.
public final class RuntimeConfiguration: Sendable {
    /// 0 for the configuration the gateway started with, +1 per successful reload.
    public let generation: Int
    /// Client-side limits and timeouts (`limits`, `timeouts`).
    public let settings: ProxySettings
    /// Upstream services, in the order `ForwardPlan.upstream` indexes.
    public let upstreams: [UpstreamService]
    /// Routing, token checks and scope decisions (routes, scopes, aliases, issuers, identity headers,
    /// token cache).
    public let authorizer: any RequestAuthorizer
    /// Where the access log goes (one JSON line per request); nil when it is off, so the hot path
    /// pays nothing for it.
    public let accessLog: AccessLogSink?
    /// The `route` label of each route (metrics, access log): its `name`, else its index.
    public let routeLabels: [String]

    /// A snapshot; `generation` is assigned by whoever installs it.
    public init(generation: Int = 0, settings: ProxySettings, upstreams: [UpstreamService],
                authorizer: any RequestAuthorizer, accessLog: AccessLogSink? = nil, routeLabels: [String] = []) {
        self.generation = generation
        self.settings = settings
        self.upstreams = upstreams
        self.authorizer = authorizer
        self.accessLog = accessLog
        self.routeLabels = routeLabels
    }

    /// The `route` label of route `index`: its name, else its index; `none` for -1 (no route matched).
    func routeLabel(_ index: Int) -> String {
        index >= 0 ? (index < routeLabels.count ? routeLabels[index] : String(index)) : "none"
    }
}
