import Dispatch
import Locks
import XCTest
@testable import JOSE

/// A distinct digest per integer, spreading over shards like a real SHA-256 would.
func digest(_ n: UInt64) -> TokenDigest {
    TokenDigest(n &* 0x9E37_79B9_7F4A_7C15, n &* 0xBF58_476D_1CE4_E5B9, n, ~n)
}

final class VerifiedTokenCacheTests: XCTestCase {
    func singleShard(_ max: Int, ttl: Double = 300) -> VerifiedTokenCache<String> {
        VerifiedTokenCache(configuration: VerifiedTokenCacheConfiguration(maxEntries: max, ttl: ttl, shardCount: 1))
    }

    func testHitReturnsTheValueInsertedForThatDigest() {
        let cache = VerifiedTokenCache<String>()
        cache.insert("claims-1", for: digest(1), keyID: "k1", notAfter: 2_000, now: 1_000, epoch: cache.epoch)
        XCTAssertEqual(cache.value(for: digest(1), now: 1_001), "claims-1")
    }

    func testMissForAbsentDigestAndForDigestDifferingInOneWord() {
        let cache = VerifiedTokenCache<String>()
        let d = digest(7)
        cache.insert("v", for: d, keyID: nil, notAfter: 2_000, now: 1_000, epoch: cache.epoch)
        XCTAssertNil(cache.value(for: digest(8), now: 1_001))
        let sameHashWord = TokenDigest(d.w0, d.w1, d.w2, d.w3 ^ 1)
        XCTAssertNil(cache.value(for: sameHashWord, now: 1_001), "whole digest compared, not the hashed word")
    }

    func testDigestFromBytesUsesAll32Bytes() {
        var bytes = [UInt8](repeating: 0xAB, count: 32)
        let a = TokenDigest(bytes)
        bytes[31] = 0
        XCTAssertNotEqual(a, TokenDigest(bytes))
        XCTAssertEqual(a, TokenDigest([UInt8](repeating: 0xAB, count: 32)))
    }

    func testExpiryIsCheckedOnHit() {
        let cache = VerifiedTokenCache<String>()
        cache.insert("v", for: digest(1), keyID: "k1", notAfter: 1_010, now: 1_000, epoch: cache.epoch)
        XCTAssertEqual(cache.value(for: digest(1), now: 1_009.9), "v")
        XCTAssertNil(cache.value(for: digest(1), now: 1_010), "exp reached")
        XCTAssertEqual(cache.count, 0, "expired entry removed on hit")
    }

    func testTTLBoundsEntriesWithDistantExp() {
        let cache = singleShard(10, ttl: 60)
        cache.insert("v", for: digest(1), keyID: "k1", notAfter: 1_000_000, now: 1_000, epoch: cache.epoch)
        XCTAssertEqual(cache.value(for: digest(1), now: 1_059), "v")
        XCTAssertNil(cache.value(for: digest(1), now: 1_060))
    }

    func testAlreadyExpiredTokenIsNotStored() {
        let cache = VerifiedTokenCache<String>()
        cache.insert("v", for: digest(1), keyID: "k1", notAfter: 999, now: 1_000, epoch: cache.epoch)
        XCTAssertEqual(cache.count, 0)
    }

    func testLRUEvictionOrderAtCapacity() {
        let cache = singleShard(3)
        for n in 1...3 as ClosedRange<UInt64> { cache.insert("v\(n)", for: digest(n), keyID: nil, notAfter: 9_999, now: 0, epoch: cache.epoch) }
        XCTAssertEqual(cache.value(for: digest(1), now: 1), "v1", "touch 1: now 2 is least recent")
        // At capacity a new digest is admitted on its second insert (see the admission tests).
        for _ in 0..<2 { cache.insert("v4", for: digest(4), keyID: nil, notAfter: 9_999, now: 1, epoch: cache.epoch) }
        XCTAssertNil(cache.value(for: digest(2), now: 2), "2 evicted")
        for _ in 0..<2 { cache.insert("v5", for: digest(5), keyID: nil, notAfter: 9_999, now: 2, epoch: cache.epoch) }
        XCTAssertNil(cache.value(for: digest(3), now: 3), "then 3")
        XCTAssertEqual(cache.shards[0].state.withLock { $0.digestsByRecency() }, [digest(5), digest(4), digest(1)])
        XCTAssertEqual(cache.count, 3)
    }

    func testFullShardAdmitsANewDigestOnlyOnItsSecondSighting() {
        let cache = singleShard(3)
        for n in 1...3 as ClosedRange<UInt64> { cache.insert("v\(n)", for: digest(n), keyID: nil, notAfter: 9_999, now: 0, epoch: cache.epoch) }
        cache.insert("v4", for: digest(4), keyID: nil, notAfter: 9_999, now: 1, epoch: cache.epoch)
        XCTAssertNil(cache.value(for: digest(4), now: 1), "first sighting at capacity: not cached")
        XCTAssertEqual(cache.value(for: digest(1), now: 1), "v1", "and nothing was evicted for it")
        cache.insert("v4", for: digest(4), keyID: nil, notAfter: 9_999, now: 1, epoch: cache.epoch)
        XCTAssertEqual(cache.value(for: digest(4), now: 1), "v4", "second sighting: admitted")
        XCTAssertEqual(cache.count, 3)
    }

    func testScanOfOneOffTokensDoesNotFlushRepeatedOnes() {
        // 100 tokens in steady use while 50,000 one-off tokens go by (each request of a hot token
        // that misses is verified again and re-inserted, as the gateway does).
        let cache = singleShard(100)
        var hotMisses = 0
        for step in 0..<50_000 as Range<UInt64> {
            let hot = digest(step % 100)
            if cache.value(for: hot, now: 1) == nil {
                hotMisses += 1
                cache.insert("hot", for: hot, keyID: nil, notAfter: 9_999, now: 1, epoch: cache.epoch)
            }
            cache.insert("scan", for: digest(1_000 + step), keyID: nil, notAfter: 9_999, now: 1, epoch: cache.epoch)
        }
        // Without admission every one-off token evicts the least recently used entry, which is
        // always a hot one here: all 50,000 hot lookups would miss.
        XCTAssertLessThan(hotMisses, 2_500, "hot tokens keep hitting (misses: warm-up and Bloom false positives)")
    }

    func testDoorkeeperForgetsAfterItsWindow() {
        let cache = singleShard(10)
        for n in 0..<10 as Range<UInt64> { cache.insert("v", for: digest(n), keyID: nil, notAfter: 9_999, now: 0, epoch: cache.epoch) }
        cache.insert("late", for: digest(500), keyID: nil, notAfter: 9_999, now: 1, epoch: cache.epoch)
        for n in 600..<700 as Range<UInt64> {   // more one-off misses than the window (8 x capacity): the filter resets
            cache.insert("x", for: digest(n), keyID: nil, notAfter: 9_999, now: 1, epoch: cache.epoch)
        }
        cache.insert("late", for: digest(500), keyID: nil, notAfter: 9_999, now: 1, epoch: cache.epoch)
        XCTAssertNil(cache.value(for: digest(500), now: 1), "seen again only after the window: a first sighting again")
    }

    func testReinsertUpdatesInPlaceWithoutGrowing() {
        let cache = singleShard(2)
        cache.insert("a", for: digest(1), keyID: "k1", notAfter: 9_999, now: 0, epoch: cache.epoch)
        cache.insert("b", for: digest(1), keyID: "k2", notAfter: 9_999, now: 0, epoch: cache.epoch)
        XCTAssertEqual(cache.count, 1)
        XCTAssertEqual(cache.value(for: digest(1), now: 1), "b")
        XCTAssertEqual(cache.invalidate(keyID: "k1"), 0)
        XCTAssertEqual(cache.invalidate(keyID: "k2"), 1)
    }

    func testInvalidateKeyIDDropsOnlyThatKidsEntries() {
        let cache = VerifiedTokenCache<String>()
        for n in 0..<100 as Range<UInt64> {
            cache.insert("v\(n)", for: digest(n), keyID: n % 2 == 0 ? "even" : "odd", notAfter: 9_999, now: 0, epoch: cache.epoch)
        }
        XCTAssertEqual(cache.invalidate(keyIDs: ["even"]), 50)
        for n in 0..<100 as Range<UInt64> {
            XCTAssertEqual(cache.value(for: digest(n), now: 1) != nil, n % 2 == 1)
        }
        cache.removeAll()
        XCTAssertEqual(cache.count, 0)
        XCTAssertNil(cache.value(for: digest(1), now: 1))
    }

    func testInsertRacingAnInvalidationIsSkipped() {
        let cache = VerifiedTokenCache<String>()
        let epochBeforeKeySnapshot = cache.epoch
        cache.invalidate(keyIDs: ["rotated-out"])
        cache.insert("v", for: digest(1), keyID: "rotated-out", notAfter: 9_999, now: 0, epoch: epochBeforeKeySnapshot)
        XCTAssertNil(cache.value(for: digest(1), now: 1), "verified with a key invalidated meanwhile")
        cache.insert("v", for: digest(1), keyID: "k1", notAfter: 9_999, now: 0, epoch: cache.epoch)
        XCTAssertEqual(cache.value(for: digest(1), now: 1), "v")
        let beforeClear = cache.epoch
        cache.removeAll()
        cache.insert("w", for: digest(2), keyID: "k1", notAfter: 9_999, now: 0, epoch: beforeClear)
        XCTAssertEqual(cache.count, 0)
    }

    func testTotalSizeNeverExceedsMaxEntriesAcrossShards() {
        let cache = VerifiedTokenCache<String>(configuration: VerifiedTokenCacheConfiguration(maxEntries: 100, shardCount: 16))
        for n in 0..<10_000 as Range<UInt64> { cache.insert("v", for: digest(n), keyID: nil, notAfter: 9_999, now: 0, epoch: cache.epoch) }
        XCTAssertLessThanOrEqual(cache.count, 100)
        XCTAssertGreaterThan(cache.count, 80, "shards share the budget reasonably evenly")
    }

    func testConcurrentAccessStaysConsistent() {
        let cache = VerifiedTokenCache<UInt64>(configuration: VerifiedTokenCacheConfiguration(maxEntries: 500, shardCount: 4))
        let wrongValues = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<20_000 as Range<UInt64> {
                let n = (i &* 7 &+ UInt64(worker)) % 2_000
                let epoch = cache.epoch
                if let value = cache.value(for: digest(n), now: 1) {
                    if value != n { wrongValues.withLock { $0 += 1 } }
                } else {
                    cache.insert(n, for: digest(n), keyID: "k\(n % 3)", notAfter: 9_999, now: 1, epoch: epoch)
                }
                if i % 5_000 == 0 { cache.invalidate(keyID: "k\(worker % 3)") }
            }
        }
        XCTAssertEqual(wrongValues.withLock { $0 }, 0, "a hit always returns its own digest's value")
        XCTAssertLessThanOrEqual(cache.count, 500)
        for shard in cache.shards {
            shard.state.withLock { s in
                XCTAssertEqual(s.digestsByRecency().count, s.count, "LRU list and index agree")
                XCTAssertEqual(s.allocatedSlots - s.freeSlotCount, s.count)
            }
        }
    }
}
