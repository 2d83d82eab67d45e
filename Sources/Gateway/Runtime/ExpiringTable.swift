/// Keys with an expiry time, at most `capacity` of them: when full, the key inserted longest ago
/// goes first (a ring of insertion order), so a flood of new keys costs a fixed amount of memory.
/// Not locked: its owner keeps it inside its own `Locked` state. Used for the DPoP `jti` replay
/// cache and the introspection negative cache.
struct ExpiringTable<Key: Hashable> {
    private var expiry: [Key: Int64] = [:]
    private var order: [Key] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// When `key` expires, if it is held.
    func expiry(of key: Key) -> Int64? { expiry[key] }

    /// Holds `key` until `until`, evicting the oldest insertion when full; a held key only gets
    /// its new expiry.
    mutating func set(_ key: Key, until: Int64) {
        if expiry[key] == nil {
            if order.count < capacity {
                order.append(key)
            } else {
                expiry[order[head]] = nil
                order[head] = key
                head = (head + 1) % capacity
            }
        }
        expiry[key] = until
    }

    /// Forgets `key` (its slot in the ring is reused when the ring comes round to it).
    mutating func remove(_ key: Key) { expiry[key] = nil }

    /// Keys held now.
    var count: Int { expiry.count }
}
