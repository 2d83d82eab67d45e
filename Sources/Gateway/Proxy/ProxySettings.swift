import HTTP1
import IO
import PortcullisTLS

/// Timeouts and limits of the client-facing side and the upstream side. Defaults follow the config
/// reference in the README (`limits`, `timeouts`, `upstreams.*`).
public struct ProxySettings: Sendable, Equatable {
    /// Parser limits (request line 8 KiB → 414, header section 32 KiB / 100 fields → 431, body 1 GiB → 413).
    public var httpLimits = HTTPLimits()
    /// A client must send a complete request head within this many ms of its first byte (→ 408, close).
    public var headerReadTimeoutMs = 10_000
    /// An idle keep-alive client connection is closed after this many ms without a request.
    public var idleKeepAliveTimeoutMs = 60_000
    /// Accepted connections beyond this are closed at once (counted per process).
    public var maxConnections = 16_384
    /// Bytes queued towards a peer before the other side's reading pauses (backpressure).
    public var highWatermark = 256 * 1024
    /// How long a connection closed after an error keeps reading and discarding (lingering close).
    public var lingerMs = 2_000
    public init() {}
}

/// One upstream service: its targets and how to reach them.
public struct UpstreamService: Sendable, Equatable {
    public var name: String
    public var targets: [SocketAddress]
    public var connectTimeoutMs = 2_000
    /// Maximum time between two reads from the upstream while waiting for or reading a response (→ 504).
    public var responseTimeoutMs = 30_000
    /// Idle keep-alive connections kept per target per event loop. Generous on purpose: with fewer
    /// than the concurrent requests, every burst opens new upstream connections and closes them
    /// after one response (measured: 512 clients, limit 64 -> 23k req/s; limit 1024 -> 63k).
    /// Idle ones close after `idleTimeoutMs`.
    public var maxIdlePerTarget = 1024
    /// A target that failed `maxFails` times in a row is skipped for this many seconds (passive health).
    public var failTimeoutSeconds = 10
    public var maxFails = 1
    /// Idle pooled connections are closed after this many ms.
    public var idleTimeoutMs = 60_000
    /// Targets are reached over TLS with this context (`https://` targets); nil: plain HTTP.
    /// A target whose certificate does not verify answers 502 `upstream_tls`, never retried in clear.
    public var tls: TLSClientContext?
    /// Per target: the host name as configured (SNI and the certificate name check, unless the
    /// `tls.server_name` overrides it).
    public var hostNames: [String] = []
    public init(name: String, targets: [SocketAddress]) {
        self.name = name
        self.targets = targets
    }
}
