/// One lock's worth of the verified-token cache: a dictionary from digest to slot, and the slots
/// in a doubly linked LRU list threaded through arrays (O(1) hit, insert and eviction; no
/// allocation on hit, nor on insert once the slots exist).
///
/// Slots are stored column-wise: everything the hit path touches except the value itself is in
/// non-generic arrays, so the bookkeeping stays fast even where `Value` is not specialized.
@usableFromInline
struct VerifiedTokenCacheShard<Value> {
    @usableFromInline let capacity: Int
    @usableFromInline var index: [TokenDigest: Int32] = [:]
    @usableFromInline var digests: [TokenDigest] = []
    @usableFromInline var validUntil: [Double] = []
    @usableFromInline var newer: [Int32] = []
    @usableFromInline var older: [Int32] = []
    @usableFromInline var keyIDs: [String?] = []
    @usableFromInline var values: [Value?] = []
    @usableFromInline var freeSlots: [Int32] = []
    /// Most recently used slot, or -1.
    @usableFromInline var newest: Int32 = -1
    /// Least recently used slot (next to evict), or -1.
    @usableFromInline var oldest: Int32 = -1

    /// Admission filter for a full shard (TinyLFU's "doorkeeper"): a Bloom filter of digests seen
    /// since its last reset, two bits per digest, 16 bits per digest of its window (about 1.4%
    /// false positives when full): 16 bytes per entry of capacity.
    @usableFromInline var doorkeeper: [UInt64]
    /// Digests recorded since the doorkeeper's last reset; it is cleared after `doorkeeperWindow` of
    /// them, so "seen before" means "seen within this shard's last `doorkeeperWindow` misses".
    @usableFromInline var doorkeeperRecords = 0
    /// Eight times the capacity: a token in real use comes back well within it.
    @usableFromInline var doorkeeperWindow: Int { capacity * 8 }

    @usableFromInline
    init(capacity: Int) {
        self.capacity = capacity
        index.reserveCapacity(capacity)
        doorkeeper = Array(repeating: 0, count: max(1, (capacity * 8 * 16 + 63) / 64))
    }

    /// Whether a digest that is not cached may evict an entry of this full shard: only on its
    /// second sighting within the doorkeeper's window. A stream of one-off tokens (more distinct
    /// tokens than the cache holds) then costs no insert, no eviction and no freed claims per
    /// request, and cannot flush the tokens that are actually repeated; a repeated token is
    /// verified once more before it is cached. With room in the shard, every token is cached.
    /// (An LRU without admission lets every one-off token evict the least recently used entry.)
    @usableFromInline
    mutating func admits(_ digest: TokenDigest) -> Bool {
        let bits = UInt64(doorkeeper.count * 64)
        let a = Int(truncatingIfNeeded: digest.w2 % bits), b = Int(truncatingIfNeeded: digest.w3 % bits)
        let maskA: UInt64 = 1 << UInt64(a & 63), maskB: UInt64 = 1 << UInt64(b & 63)
        if doorkeeper[a >> 6] & maskA != 0 && doorkeeper[b >> 6] & maskB != 0 { return true }
        doorkeeper[a >> 6] |= maskA
        doorkeeper[b >> 6] |= maskB
        doorkeeperRecords += 1
        if doorkeeperRecords >= doorkeeperWindow {
            for i in doorkeeper.indices { doorkeeper[i] = 0 }
            doorkeeperRecords = 0
        }
        return false
    }

    @usableFromInline var count: Int { index.count }

    /// Lookups that found a valid entry / found none (or an expired one), counted under the shard's
    /// own lock (no extra synchronization on the request path).
    @usableFromInline var hits = 0
    @usableFromInline var misses = 0

    /// The cached value if present and `now < validUntil`; an expired entry is removed.
    @inlinable
    mutating func value(for digest: TokenDigest, now: Double) -> Value? {
        guard let slot = index[digest] else { misses &+= 1; return nil }
        guard now < validUntil[Int(slot)] else {
            remove(slot: slot)
            misses &+= 1
            return nil
        }
        hits &+= 1
        if slot != newest {
            unlink(slot)
            pushNewest(slot)
        }
        return values[Int(slot)]
    }

    mutating func insert(_ value: Value, for digest: TokenDigest, keyID: String?, validUntil until: Double) {
        if let slot = index[digest] {
            store(value, digest: digest, keyID: keyID, validUntil: until, in: slot)
            unlink(slot)
            pushNewest(slot)
            return
        }
        guard capacity > 0 else { return }
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
        } else if digests.count < capacity {
            slot = Int32(digests.count)
            digests.append(digest)
            validUntil.append(0)
            newer.append(-1)
            older.append(-1)
            keyIDs.append(nil)
            values.append(nil)
        } else {
            guard admits(digest) else { return }
            slot = oldest
            remove(slot: slot)
            _ = freeSlots.popLast()
        }
        store(value, digest: digest, keyID: keyID, validUntil: until, in: slot)
        index[digest] = slot
        pushNewest(slot)
    }

    /// Removes every entry verified with the key `keyID`; returns how many.
    mutating func invalidate(keyID: String) -> Int {
        var removed = 0
        var slot = newest
        while slot >= 0 {
            let next = older[Int(slot)]
            if keyIDs[Int(slot)] == keyID {
                remove(slot: slot)
                removed += 1
            }
            slot = next
        }
        return removed
    }

    mutating func removeAll() {
        index.removeAll(keepingCapacity: true)
        digests.removeAll(keepingCapacity: true)
        validUntil.removeAll(keepingCapacity: true)
        newer.removeAll(keepingCapacity: true)
        older.removeAll(keepingCapacity: true)
        keyIDs.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        freeSlots.removeAll(keepingCapacity: true)
        newest = -1
        oldest = -1
    }

    /// Every entry from least to most recently used: (digest, key id, valid until, value).
    func entriesOldestFirst() -> [(TokenDigest, String?, Double, Value)] {
        var result: [(TokenDigest, String?, Double, Value)] = []
        var slot = oldest
        while slot >= 0 {
            let i = Int(slot)
            if let value = values[i] { result.append((digests[i], keyIDs[i], validUntil[i], value)) }
            slot = newer[i]
        }
        return result
    }

    /// Digests from most to least recently used (tests and diagnostics).
    func digestsByRecency() -> [TokenDigest] {
        var result: [TokenDigest] = []
        var slot = newest
        while slot >= 0 {
            result.append(digests[Int(slot)])
            slot = older[Int(slot)]
        }
        return result
    }

    /// Slots allocated but not holding an entry.
    @usableFromInline var freeSlotCount: Int { freeSlots.count }
    /// Slots allocated so far (never above `capacity`).
    @usableFromInline var allocatedSlots: Int { digests.count }

    private mutating func store(_ value: Value, digest: TokenDigest, keyID: String?, validUntil until: Double,
                                in slot: Int32) {
        let i = Int(slot)
        digests[i] = digest
        validUntil[i] = until
        keyIDs[i] = keyID
        values[i] = value
    }

    @inlinable
    mutating func remove(slot: Int32) {
        unlink(slot)
        let i = Int(slot)
        index.removeValue(forKey: digests[i])
        values[i] = nil
        keyIDs[i] = nil
        freeSlots.append(slot)
    }

    @inlinable
    mutating func unlink(_ slot: Int32) {
        let i = Int(slot)
        let newerSlot = newer[i]
        let olderSlot = older[i]
        if newerSlot >= 0 { older[Int(newerSlot)] = olderSlot } else { newest = olderSlot }
        if olderSlot >= 0 { newer[Int(olderSlot)] = newerSlot } else { oldest = newerSlot }
        newer[i] = -1
        older[i] = -1
    }

    @inlinable
    mutating func pushNewest(_ slot: Int32) {
        let i = Int(slot)
        older[i] = newest
        newer[i] = -1
        if newest >= 0 { newer[Int(newest)] = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }
}
