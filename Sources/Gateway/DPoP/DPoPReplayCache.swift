import Locks

/// The `jti`s of accepted DPoP proofs, each until its proof would be too old anyway
/// (`iat` + `proof_max_age_seconds`), so a proof is accepted once (RFC 9449 §11.1).
///
/// Bounded: at most `capacity` entries; when full, the oldest entry goes. That can let a proof
/// older than the newest `capacity` ones be replayed within its lifetime — the server nonce
/// (`DPoPNonce`) bounds that window for deployments that need it. Replicas do not share this cache.
final class DPoPReplayCache: Sendable {
    let capacity: Int
    private let state: Locked<ExpiringTable<String>>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = Locked(ExpiringTable(capacity: capacity))
    }

    /// Records `key` until `until`; false when it is already recorded and not yet expired (a replay).
    func firstUse(_ key: String, until: Int64, now: Int64) -> Bool {
        state.withLock { table in
            if let seen = table.expiry(of: key), seen > now { return false }
            table.set(key, until: until)
            return true
        }
    }

    /// Entries held (tests: bounded).
    var count: Int { state.withLock { $0.count } }
}
