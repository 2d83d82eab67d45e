import PortcullisTLS

/// One upstream: a named group of HTTP targets used round-robin with passive health checks.
public struct UpstreamSettings: Sendable, Equatable {
    /// Name (the key under `upstreams`).
    public var name: String
    /// Targets (`targets`, required, at least one), e.g. `http://127.0.0.1:9100`.
    public var targets: [UpstreamTarget]
    /// Connect timeout (`connect_timeout_ms`, default 2000).
    public var connectTimeoutMilliseconds: Int
    /// Time allowed for the response head to arrive (`response_timeout_ms`, default 30000) -> 504.
    public var responseTimeoutMilliseconds: Int
    /// Idle keep-alive connections kept per target (`max_idle_per_target`, default 1024; 0 disables reuse).
    public var maxIdlePerTarget: Int
    /// How long a failing target is skipped (`fail_timeout_seconds`, default 10).
    public var failTimeoutSeconds: Int
    /// Consecutive failures that mark a target as failing (`max_fails`, default 1).
    public var maxFails: Int
    /// How targets are reached over TLS (`tls`; present exactly when the targets are `https://`,
    /// with the defaults when the object is omitted: verify against the system CA store).
    public var tls: TLSClientSettings?

    /// Creates settings with the documented defaults.
    public init(name: String, targets: [UpstreamTarget], connectTimeoutMilliseconds: Int = 2000,
                responseTimeoutMilliseconds: Int = 30000, maxIdlePerTarget: Int = 1024,
                failTimeoutSeconds: Int = 10, maxFails: Int = 1) {
        self.name = name
        self.targets = targets
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.responseTimeoutMilliseconds = responseTimeoutMilliseconds
        self.maxIdlePerTarget = maxIdlePerTarget
        self.failTimeoutSeconds = failTimeoutSeconds
        self.maxFails = maxFails
    }
}

/// One upstream target: `http://host[:port]` or `https://host[:port]` (port defaults to 80 / 443;
/// no path, query or user info, since the forwarded path is exactly the matched path).
public struct UpstreamTarget: Sendable, Equatable, CustomStringConvertible {
    /// Host name or IP literal (IPv6 without brackets).
    public var host: String
    /// TCP port, 1...65535.
    public var port: UInt16
    /// Reached over TLS (`https://`).
    public var https: Bool
    /// Creates a target.
    public init(host: String, port: UInt16, https: Bool = false) {
        self.host = host
        self.port = port
        self.https = https
    }
    /// `http(s)://host:port`.
    public var description: String {
        "\(https ? "https" : "http")://\(bracketedHost(host)):\(port)"
    }
    /// Value for the `Host` header sent upstream.
    public var hostHeader: String {
        port == (https ? 443 : 80) ? bracketedHost(host) : "\(bracketedHost(host)):\(port)"
    }
}
