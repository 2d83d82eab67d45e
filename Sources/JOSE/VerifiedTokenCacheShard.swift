/// One lock's worth of the verified-token cache: a dictionary from digest to slot, and the slots
/// in a doubly linked LRU list threaded through an array (O(1) hit, insert and eviction; no
/// allocation on hit or on insert once the slots exist).
struct VerifiedTokenCacheShard<Value> {
    struct Slot {
        var digest: TokenDigest
        var value: Value?
        var keyID: String?
        var validUntil: Double
        var newer: Int32
        var older: Int32
    }

    let capacity: Int
    var index: [TokenDigest: Int32] = [:]
    var slots: [Slot] = []
    var freeSlots: [Int32] = []
    /// Most recently used slot, or -1.
    var newest: Int32 = -1
    /// Least recently used slot (next to evict), or -1.
    var oldest: Int32 = -1

    init(capacity: Int) {
        self.capacity = capacity
        index.reserveCapacity(capacity)
    }

    var count: Int { index.count }

    /// The cached value if present and `now < validUntil`; an expired entry is removed.
    mutating func value(for digest: TokenDigest, now: Double) -> Value? {
        guard let slot = index[digest] else { return nil }
        let i = Int(slot)
        guard now < slots[i].validUntil else {
            remove(slot: slot)
            return nil
        }
        if slot != newest {
            unlink(slot)
            pushNewest(slot)
        }
        return slots[i].value
    }

    mutating func insert(_ value: Value, for digest: TokenDigest, keyID: String?, validUntil: Double) {
        if let slot = index[digest] {
            let i = Int(slot)
            slots[i].value = value
            slots[i].keyID = keyID
            slots[i].validUntil = validUntil
            unlink(slot)
            pushNewest(slot)
            return
        }
        guard capacity > 0 else { return }
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
        } else if slots.count < capacity {
            slot = Int32(slots.count)
            slots.append(Slot(digest: digest, value: nil, keyID: nil, validUntil: 0, newer: -1, older: -1))
        } else {
            slot = oldest
            remove(slot: slot)
            _ = freeSlots.popLast()
        }
        slots[Int(slot)] = Slot(digest: digest, value: value, keyID: keyID, validUntil: validUntil,
                                newer: -1, older: -1)
        index[digest] = slot
        pushNewest(slot)
    }

    /// Removes every entry verified with the key `keyID`; returns how many.
    mutating func invalidate(keyID: String) -> Int {
        var removed = 0
        var slot = newest
        while slot >= 0 {
            let next = slots[Int(slot)].older
            if slots[Int(slot)].keyID == keyID {
                remove(slot: slot)
                removed += 1
            }
            slot = next
        }
        return removed
    }

    mutating func removeAll() {
        index.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
        freeSlots.removeAll(keepingCapacity: true)
        newest = -1
        oldest = -1
    }

    /// Digests from most to least recently used (tests and diagnostics).
    func digestsByRecency() -> [TokenDigest] {
        var result: [TokenDigest] = []
        var slot = newest
        while slot >= 0 {
            result.append(slots[Int(slot)].digest)
            slot = slots[Int(slot)].older
        }
        return result
    }

    private mutating func remove(slot: Int32) {
        unlink(slot)
        let i = Int(slot)
        index.removeValue(forKey: slots[i].digest)
        slots[i].value = nil
        slots[i].keyID = nil
        freeSlots.append(slot)
    }

    private mutating func unlink(_ slot: Int32) {
        let i = Int(slot)
        let newer = slots[i].newer
        let older = slots[i].older
        if newer >= 0 { slots[Int(newer)].older = older } else { newest = older }
        if older >= 0 { slots[Int(older)].newer = newer } else { oldest = newer }
        slots[i].newer = -1
        slots[i].older = -1
    }

    private mutating func pushNewest(_ slot: Int32) {
        let i = Int(slot)
        slots[i].older = newest
        slots[i].newer = -1
        if newest >= 0 { slots[Int(newest)].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }
}
