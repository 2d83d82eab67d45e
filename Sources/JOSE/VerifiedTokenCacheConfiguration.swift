/// Limits of the verified-token cache.
///
/// Defaults: `maxEntries` 10_000 (total over all shards, never exceeded), `ttl` 300 s (an entry
/// lives at most this long even if the token's `exp` is later), `shardCount` 16 (rounded up to
/// a power of two; each shard has its own lock and its own LRU order).
public struct VerifiedTokenCacheConfiguration: Sendable, Equatable {
    /// Entry budget over all shards.
    public var maxEntries: Int
    /// Longest life of an entry, in seconds.
    public var ttl: Double
    /// Number of independently locked shards (rounded up to a power of two).
    public var shardCount: Int

    /// A configuration with the documented defaults, each overridable.
    public init(maxEntries: Int = 10_000, ttl: Double = 300, shardCount: Int = 16) {
        self.maxEntries = max(0, maxEntries)
        self.ttl = ttl
        self.shardCount = max(1, shardCount)
    }
}
