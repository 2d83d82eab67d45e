import Locks
import Synchronization

/// Verified claims (or any verification result) keyed by the SHA-256 digest of the token, so a
/// repeated token skips signature verification.
///
/// Thread-safe: entries are spread over power-of-two shards by digest bits, each behind its own
/// `Locked`. Bounded: at most `maxEntries` in total; a full shard evicts its least recently used
/// entry. A hit costs one lock, one dictionary probe and a few index writes, with no allocation.
///
/// Security invariants:
/// - An entry is returned only while `now < min(notAfter, insertedAt + ttl)`; expiry is checked
///   on every hit, never only at insertion.
/// - Entries remember the key that verified them (`JWK.invalidationID`: `kid` plus the key's
///   fingerprint, so keys without a `kid` count too); `invalidate(keyID:)` drops them
///   all when that key leaves the issuer's JWKS (or every key goes past its staleness bound).
/// - No entry outlives an invalidation that raced with its verification: read `epoch` before
///   taking the key snapshot and pass it to `insert`; an insert whose epoch is no longer current
///   is skipped (checked under the shard lock; invalidations bump the epoch before scanning).
/// - `now` and `notAfter` are Unix time in seconds (the clock a token's `exp` is on).
public final class VerifiedTokenCache<Value: Sendable>: Sendable {
    @usableFromInline
    final class ShardBox: Sendable {
        @usableFromInline let state: Locked<VerifiedTokenCacheShard<Value>>
        init(capacity: Int) { state = Locked(VerifiedTokenCacheShard(capacity: capacity)) }
    }

    /// The limits this cache was built with.
    public let configuration: VerifiedTokenCacheConfiguration
    @usableFromInline let shards: [ShardBox]
    @usableFromInline let shardMask: UInt64
    let invalidations = Atomic<UInt64>(0)

    /// An empty cache. The `maxEntries` budget is split exactly over the shards.
    public init(configuration: VerifiedTokenCacheConfiguration = VerifiedTokenCacheConfiguration()) {
        self.configuration = configuration
        var count = 1
        while count < configuration.shardCount { count <<= 1 }
        let base = configuration.maxEntries / count
        let extra = configuration.maxEntries % count
        shards = (0..<count).map { ShardBox(capacity: base + ($0 < extra ? 1 : 0)) }
        shardMask = UInt64(count - 1)
    }

    @inlinable
    func shard(for digest: TokenDigest) -> ShardBox {
        shards[Int(truncatingIfNeeded: digest.w1 & shardMask)]
    }

    /// The cached value for this token digest, or nil when absent or expired at `now`.
    @inlinable
    public func value(for digest: TokenDigest, now: Double) -> Value? {
        shard(for: digest).state.withLock { $0.value(for: digest, now: now) }
    }

    /// Counts invalidations; read it before fetching the keys that verify a token.
    public var epoch: UInt64 { invalidations.load(ordering: .acquiring) }

    /// Caches `value` for this token digest until `min(notAfter, now + ttl)`.
    /// - Parameters:
    ///   - keyID: the `invalidationID` of the JWK that verified the token (not the header's claim).
    ///   - notAfter: the instant the verifier would start rejecting the token (its `exp`
    ///     plus any allowed clock skew). Nothing is stored if it is not after `now`.
    ///   - epoch: `epoch` as read before the key snapshot used for verification was taken.
    ///     If any invalidation happened since, nothing is stored.
    public func insert(_ value: Value, for digest: TokenDigest, keyID: String?, notAfter: Double, now: Double,
                       epoch: UInt64) {
        let validUntil = min(notAfter, now + configuration.ttl)
        guard validUntil > now else { return }
        shard(for: digest).state.withLock {
            guard invalidations.load(ordering: .acquiring) == epoch else { return }
            $0.insert(value, for: digest, keyID: keyID, validUntil: validUntil)
        }
    }

    /// Drops every entry verified with the key `keyID`; returns how many were dropped.
    @discardableResult
    public func invalidate(keyID: String) -> Int {
        invalidations.add(1, ordering: .sequentiallyConsistent)
        return shards.reduce(0) { total, shard in total + shard.state.withLock { $0.invalidate(keyID: keyID) } }
    }

    /// Drops every entry verified with any of `keyIDs`; returns how many were dropped.
    @discardableResult
    public func invalidate(keyIDs: Set<String>) -> Int {
        if keyIDs.isEmpty { return 0 }
        return keyIDs.reduce(0) { $0 + invalidate(keyID: $1) }
    }

    /// Drops every entry.
    public func removeAll() {
        invalidations.add(1, ordering: .sequentiallyConsistent)
        for shard in shards { shard.state.withLock { $0.removeAll() } }
    }

    /// Copies the entries whose value passes `keep` and that are unexpired at `now` into `other`,
    /// least recently used first (so recency survives), each until `min(its own deadline, now +
    /// other's ttl)`; returns how many were copied. A configuration reload carries the tokens of
    /// issuers it keeps into the new cache this way, while the old cache (and whatever requests still
    /// running under the old configuration insert into it) is dropped with the old configuration.
    /// Safe against a racing invalidation of `other`: an entry copied after it is skipped (`epoch`).
    @discardableResult
    public func copyEntries(into other: VerifiedTokenCache<Value>, now: Double, where keep: (Value) -> Bool) -> Int {
        let epoch = other.epoch
        var copied = 0
        for shard in shards {
            for (digest, keyID, until, value) in shard.state.withLock({ $0.entriesOldestFirst() }) where until > now && keep(value) {
                other.insert(value, for: digest, keyID: keyID, notAfter: until, now: now, epoch: epoch)
                copied += 1
            }
        }
        return copied
    }

    /// Lookups so far that found a valid entry (`hits`) or none (`misses`), summed over the shards.
    public var lookups: (hits: Int, misses: Int) {
        shards.reduce((0, 0)) { total, shard in
            shard.state.withLock { (total.0 + $0.hits, total.1 + $0.misses) }
        }
    }

    /// Entries currently held, expired ones not yet noticed included.
    public var count: Int {
        shards.reduce(0) { total, shard in total + shard.state.withLock { $0.count } }
    }
}
