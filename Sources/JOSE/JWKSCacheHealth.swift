/// A snapshot of one issuer's key cache for health endpoints and logs. Instants are on the
/// same monotonic clock as the `now` given to `JWKSCacheState`.
public struct JWKSCacheHealth: Sendable, Equatable {
    /// When the last good key set arrived, if ever.
    public var lastSuccessAt: Double?
    /// The most recent failure, if any since start.
    public var lastFailure: JWKSFetchFailure?
    /// When that failure happened.
    public var lastFailureAt: Double?
    /// Failures since the last success.
    public var consecutiveFailures: Int
    /// Keys in the current set (0 when none are usable).
    public var keyCount: Int
    /// Keys are in use beyond their TTL because refreshes fail.
    public var isStale: Bool
    /// No usable keys: never fetched, or past `maxStaleness`. Token requests get 503.
    public var isUnavailable: Bool
    /// A fetch is running.
    public var fetchInFlight: Bool
    /// When the next scheduled fetch starts, if one is scheduled.
    public var nextRefreshAt: Double?
}
