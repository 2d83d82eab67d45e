import Policy
import PortcullisTLS

/// The validated Portcullis configuration: every value has been checked at load time
/// (types, ranges, cross-references), so consumers never re-validate.
///
/// Produced by ``ConfigLoader``; all defaults are documented on the fields and in `config/README.md`.
public struct PortcullisConfig: Sendable {
    /// Gateway listen address (`listen`, required), e.g. `127.0.0.1:8080`.
    public var listen: ListenAddress
    /// Worker queues (`workers`, default 0 = one per core).
    public var workers: Int
    /// Upstreams by name (`upstreams`, required, at least one).
    public var upstreams: [String: UpstreamSettings]
    /// Routes in file order (`routes`, required, at least one); first match wins.
    public var routes: [RouteSpec]
    /// Trusted token issuers (`issuers`, default none; then only public routes can succeed).
    public var issuers: [IssuerSettings]
    /// Token scope name -> canonical scope name (`scope_aliases`, default `{}`).
    public var scopeAliases: [String: String]
    /// Scopes that satisfy every requirement (`superuser_scopes`, default `["admin"]`).
    public var superuserScopes: [String]
    /// `realm` of the Bearer challenge (`realm`, default `portcullis`).
    public var realm: String
    /// Headers set on forwarded requests from token claims (`identity_headers`), sorted by header name.
    /// Default: `X-Auth-Client-Id` <- `client_id`, `X-Auth-Scopes` <- `scope`, `X-Auth-Subject` <- `sub`.
    public var identityHeaders: [IdentityHeader]
    /// HTTP limits (`limits`).
    public var limits: Limits
    /// Connection timeouts (`timeouts`).
    public var timeouts: Timeouts
    /// Verified-token cache (`token_cache`).
    public var tokenCache: TokenCacheSettings
    /// Admin listener with `/metrics`, `/healthz` and `/readyz` (`admin`, optional).
    public var admin: AdminSettings?
    /// Built-in demo API started in-process (`demo_api`, optional).
    public var demoAPI: DemoAPISettings?
    /// Built-in development issuer started in-process (`dev_issuer`, optional).
    public var devIssuer: DevIssuerSettings?
    /// Logging (`log`).
    public var log: LogSettings
    /// CORS for browser apps (`cors`, optional; absent = no CORS handling).
    public var cors: CORSPolicy?
    /// Personal access tokens (`personal_access_tokens`, optional), with the table read at load time.
    public var personalAccessTokens: PersonalAccessTokenSettings?
    /// The per-request access log (`access_log`; default on, to stdout).
    public var accessLog = AccessLogSettings()
    /// HTTPS on `listen` (`tls`, optional): with it the listener serves HTTPS only.
    public var tls: TLSServerSettings?
    /// DPoP proof rules (`dpop`, defaults when absent).
    public var dpop = DPoPSettings()

    /// Creates a configuration; ``ConfigLoader`` is the normal way to obtain one.
    public init(listen: ListenAddress, workers: Int = 0, upstreams: [String: UpstreamSettings],
                routes: [RouteSpec], issuers: [IssuerSettings] = [], scopeAliases: [String: String] = [:],
                superuserScopes: [String] = ["admin"], realm: String = "portcullis",
                identityHeaders: [IdentityHeader] = IdentityHeader.defaults, limits: Limits = Limits(),
                timeouts: Timeouts = Timeouts(), tokenCache: TokenCacheSettings = TokenCacheSettings(),
                demoAPI: DemoAPISettings? = nil, devIssuer: DevIssuerSettings? = nil,
                log: LogSettings = LogSettings()) {
        self.listen = listen
        self.workers = workers
        self.upstreams = upstreams
        self.routes = routes
        self.issuers = issuers
        self.scopeAliases = scopeAliases
        self.superuserScopes = superuserScopes
        self.realm = realm
        self.identityHeaders = identityHeaders
        self.limits = limits
        self.timeouts = timeouts
        self.tokenCache = tokenCache
        self.demoAPI = demoAPI
        self.devIssuer = devIssuer
        self.log = log
    }
}

/// A `host:port` listen address. `host` is an IPv4 literal, a bracketed IPv6 literal (stored without
/// brackets) or `localhost`; `port` 0 asks the kernel for an ephemeral port (tests).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// Host part, without IPv6 brackets.
    public var host: String
    /// TCP port, 0...65535.
    public var port: UInt16
    /// Creates an address.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }
    /// `host:port`, with brackets around IPv6 hosts.
    public var description: String { "\(bracketedHost(host)):\(port)" }
}

/// `host` as it appears before `:port` in an address or URL: IPv6 literals (which contain `:`) in
/// brackets (RFC 3986 3.2.2), anything else unchanged.
func bracketedHost(_ host: String) -> String {
    host.contains(":") ? "[\(host)]" : host
}

/// One identity header set on forwarded requests from a token claim. A client-sent header of the
/// same name is always removed first (also on public routes), so upstreams can trust it.
public struct IdentityHeader: Sendable, Equatable {
    /// Header name as configured (compared case-insensitively).
    public var header: String
    /// Claim name. `client_id` falls back to `azp`; `scope` means the granted scopes space-joined.
    public var claim: String
    /// Creates a mapping.
    public init(header: String, claim: String) {
        self.header = header
        self.claim = claim
    }
    /// The default mapping: `X-Auth-Client-Id` <- `client_id`, `X-Auth-Scopes` <- `scope`,
    /// `X-Auth-Subject` <- `sub`.
    public static let defaults: [IdentityHeader] = [
        IdentityHeader(header: "X-Auth-Client-Id", claim: "client_id"),
        IdentityHeader(header: "X-Auth-Scopes", claim: "scope"),
        IdentityHeader(header: "X-Auth-Subject", claim: "sub"),
    ]
}

/// Logging settings (`log`).
public struct LogSettings: Sendable, Equatable {
    /// Minimum level (`level`, default `info`).
    public var level: LogLevel
    /// Creates settings.
    public init(level: LogLevel = .info) { self.level = level }
}

/// The access log (`access_log`): one JSON object per request, written when `enabled` and `log.level`
/// is `info` or more verbose.
public struct AccessLogSettings: Sendable, Equatable {
    /// Write the access log (`enabled`, default `true`).
    public var enabled: Bool
    /// `-` for standard output (default), else an absolute file path (`SIGUSR1` reopens it).
    public var path: String
    /// Creates settings.
    public init(enabled: Bool = true, path: String = "-") { self.enabled = enabled; self.path = path }
}

/// Log levels accepted by `log.level`.
public enum LogLevel: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// The admin listener (`admin`): `GET /metrics` (Prometheus text), `GET /healthz` (liveness) and
/// `GET /readyz` (readiness: listening, issuer keys, not draining). Keep it on loopback or a
/// private interface.
public struct AdminSettings: Sendable, Equatable {
    /// Listen address (`listen`, default `127.0.0.1:9901`).
    public var listen: ListenAddress
    /// HTTPS on the admin listener (`tls`, optional, same object as the gateway's).
    public var tls: TLSServerSettings?
    /// Creates settings.
    public init(listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 9901)) { self.listen = listen }
}

/// The in-process demo API (`demo_api`).
public struct DemoAPISettings: Sendable, Equatable {
    /// Listen address (`listen`, default `127.0.0.1:9100`).
    public var listen: ListenAddress
    /// Creates settings.
    public init(listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 9100)) { self.listen = listen }
}
