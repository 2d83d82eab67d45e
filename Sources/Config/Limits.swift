/// HTTP limits (`limits`). Exceeding one is answered by the gateway with the status named here.
public struct Limits: Sendable, Equatable {
    /// Request line bytes (`max_request_line_bytes`, default 8192) -> 414.
    public var maxRequestLineBytes: Int
    /// Header section bytes (`max_header_bytes`, default 32768) -> 431.
    public var maxHeaderBytes: Int
    /// Header field count (`max_header_count`, default 100) -> 431.
    public var maxHeaderCount: Int
    /// Request body bytes (`max_body_bytes`, default 1073741824 = 1 GiB) -> 413.
    public var maxBodyBytes: Int
    /// Concurrent client connections (`max_connections`, default 16384); beyond it, accept waits.
    public var maxConnections: Int

    /// Creates limits with the documented defaults.
    public init(maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 32768, maxHeaderCount: Int = 100,
                maxBodyBytes: Int = 1_073_741_824, maxConnections: Int = 16384) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxConnections = maxConnections
    }
}

/// Client-side timeouts (`timeouts`), in milliseconds.
public struct Timeouts: Sendable, Equatable {
    /// Time to receive a complete request head (`header_read_ms`, default 10000) -> 408 and close.
    public var headerReadMilliseconds: Int
    /// Idle keep-alive connection lifetime (`idle_keepalive_ms`, default 60000).
    public var idleKeepAliveMilliseconds: Int
    /// Grace period for in-flight requests on SIGINT/SIGTERM (`shutdown_grace_ms`, default 10000).
    public var shutdownGraceMilliseconds: Int
    /// After SIGINT/SIGTERM, how long the gateway keeps accepting and serving (with `/readyz` 503 and
    /// `Connection: close` on every response) before it stops accepting (`drain_delay_ms`, default 0).
    /// Set it above the load balancer's health-check interval × failures (Kubernetes: a few seconds).
    public var drainDelayMilliseconds: Int

    /// Creates timeouts with the documented defaults.
    public init(headerReadMilliseconds: Int = 10000, idleKeepAliveMilliseconds: Int = 60000,
                shutdownGraceMilliseconds: Int = 10000, drainDelayMilliseconds: Int = 0) {
        self.headerReadMilliseconds = headerReadMilliseconds
        self.idleKeepAliveMilliseconds = idleKeepAliveMilliseconds
        self.shutdownGraceMilliseconds = shutdownGraceMilliseconds
        self.drainDelayMilliseconds = drainDelayMilliseconds
    }
}

/// Verified-token cache (`token_cache`).
public struct TokenCacheSettings: Sendable, Equatable {
    /// Maximum cached tokens (`max_entries`, default 10000; 0 disables the cache).
    public var maxEntries: Int
    /// Upper bound on an entry's life; entries also expire at the token's `exp` (`ttl_seconds`, default 300).
    public var ttlSeconds: Int

    /// Creates settings with the documented defaults.
    public init(maxEntries: Int = 10000, ttlSeconds: Int = 300) {
        self.maxEntries = maxEntries
        self.ttlSeconds = ttlSeconds
    }
}
