/// Timing rules of one issuer's JWKS cache. Every duration is in seconds.
///
/// Defaults:
/// - `defaultTTL` 300: freshness of a key set served without `Cache-Control: max-age`.
/// - `minTTL` 60 / `maxTTL` 86_400: bounds a `max-age` is clamped to, so an issuer can neither
///   make us fetch on every request nor pin a key set for days.
/// - `refreshFraction` 0.85: the proactive refresh starts at 85% of the TTL, so requests keep
///   using keys that are still fresh while the next set is fetched.
/// - `unknownKeyRefreshInterval` 30: at most one refresh per issuer triggered by unknown `kid`s
///   in that window; a flood of random `kid`s costs at most one fetch per window.
/// - `negativeCacheTTL` 300 / `maxNegativeEntries` 1_024: a `kid` still absent after a fresh
///   fetch is rejected without any further work for this long; the table is bounded.
/// - `initialBackoff` 1 doubling to `maxBackoff` 60: retry delays after failed fetches.
///   (Jitter is the driver's choice; it may only delay a timer, never advance it.)
/// - `maxStaleness` 86_400: keys fetched longer ago than this are no longer used (fail closed).
/// - `fetchTimeout` 10: a fetch not completed by then counts as failed, so a lost completion
///   can never wedge the cache.
/// - `maxWaiters` 10_000: requests that may wait at once for an unknown-`kid` refresh.
public struct JWKSCachePolicy: Sendable, Equatable {
    /// TTL when the response has no usable `max-age`.
    public var defaultTTL: Double
    /// Lower clamp of a `max-age`.
    public var minTTL: Double
    /// Upper clamp of a `max-age`.
    public var maxTTL: Double
    /// Fraction of the TTL after which the proactive refresh starts, in (0, 1].
    public var refreshFraction: Double
    /// Minimum spacing of refreshes triggered by unknown `kid`s.
    public var unknownKeyRefreshInterval: Double
    /// How long a `kid` absent from a fresh set is rejected without a fetch.
    public var negativeCacheTTL: Double
    /// Bound of the negative cache.
    public var maxNegativeEntries: Int
    /// First retry delay after a failure.
    public var initialBackoff: Double
    /// Largest retry delay.
    public var maxBackoff: Double
    /// Age of the last good set after which it is no longer used.
    public var maxStaleness: Double
    /// A fetch running longer than this counts as failed.
    public var fetchTimeout: Double
    /// Bound of requests waiting at once for a refresh.
    public var maxWaiters: Int

    /// A policy with the documented defaults, each overridable.
    public init(defaultTTL: Double = 300, minTTL: Double = 60, maxTTL: Double = 86_400,
                refreshFraction: Double = 0.85, unknownKeyRefreshInterval: Double = 30,
                negativeCacheTTL: Double = 300, maxNegativeEntries: Int = 1_024,
                initialBackoff: Double = 1, maxBackoff: Double = 60, maxStaleness: Double = 86_400,
                fetchTimeout: Double = 10, maxWaiters: Int = 10_000) {
        self.defaultTTL = defaultTTL
        self.minTTL = minTTL
        self.maxTTL = maxTTL
        self.refreshFraction = refreshFraction
        self.unknownKeyRefreshInterval = unknownKeyRefreshInterval
        self.negativeCacheTTL = negativeCacheTTL
        self.maxNegativeEntries = maxNegativeEntries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxStaleness = maxStaleness
        self.fetchTimeout = fetchTimeout
        self.maxWaiters = maxWaiters
    }

    /// Settings that cannot work, each as `field: reason` (empty when the policy is usable).
    /// Configuration loading reports these with its own JSON paths.
    public var problems: [String] {
        var found: [String] = []
        if !(minTTL > 0) { found.append("minTTL: must be > 0") }
        if !(maxTTL >= minTTL) { found.append("maxTTL: must be >= minTTL") }
        if !(defaultTTL > 0) { found.append("defaultTTL: must be > 0") }
        if !(refreshFraction > 0 && refreshFraction <= 1) { found.append("refreshFraction: must be in (0, 1]") }
        if !(unknownKeyRefreshInterval >= 0) { found.append("unknownKeyRefreshInterval: must be >= 0") }
        if !(negativeCacheTTL >= 0) { found.append("negativeCacheTTL: must be >= 0") }
        if maxNegativeEntries < 0 { found.append("maxNegativeEntries: must be >= 0") }
        if !(initialBackoff > 0) { found.append("initialBackoff: must be > 0") }
        if !(maxBackoff >= initialBackoff) { found.append("maxBackoff: must be >= initialBackoff") }
        if !(maxStaleness > 0) { found.append("maxStaleness: must be > 0") }
        if !(fetchTimeout > 0) { found.append("fetchTimeout: must be > 0") }
        if maxWaiters < 1 { found.append("maxWaiters: must be >= 1") }
        return found
    }

    /// The freshness lifetime for a fetched set: `maxAge` (or `defaultTTL` when absent) clamped
    /// to `minTTL...maxTTL`.
    public func ttl(maxAge: Double?) -> Double {
        let requested = maxAge ?? defaultTTL
        return min(max(requested, minTTL), maxTTL)
    }

    /// Delay before the retry that follows the `failures`-th consecutive failure (1-based):
    /// `initialBackoff * 2^(failures-1)`, capped at `maxBackoff`.
    public func backoff(afterFailures failures: Int) -> Double {
        var delay = initialBackoff
        var remaining = max(failures, 1) - 1
        while remaining > 0 && delay < maxBackoff {
            delay *= 2
            remaining -= 1
        }
        return min(delay, maxBackoff)
    }
}
