/// The refresh policy of one issuer's JWKS, as a pure state machine.
///
/// Inputs are method calls that take `now`, a **monotonic** clock reading in seconds (`Double`;
/// any origin, it is only compared and subtracted). Outputs are `JWKSCacheAction`s that a
/// driver (`JWKSFetcher` in the gateway) performs: fetch, arm the timer, resume waiting
/// requests, invalidate verified tokens, log. No I/O, no clock, no Dispatch here, so every
/// timing rule is tested with injected time.
///
/// Security invariants:
/// - At most one fetch is in flight; unknown-`kid` lookups share it (coalescing) and may start a
///   new one at most once per `unknownKeyRefreshInterval` — a flood of random `kid`s cannot
///   become a flood of fetches.
/// - A failed fetch never replaces good keys, and keys older than `maxStaleness` are never
///   returned (fail closed: `.unavailable`, the gateway answers 503, never accepts).
/// - `kid`s that leave the set are reported via `.invalidateKeyIDs` so no cached verification
///   outlives its key.
public struct JWKSCacheState<Keys: JWKSKeySet>: Sendable {
    /// The timing rules.
    public let policy: JWKSCachePolicy

    /// The last good key set, while usable (dropped once past `maxStaleness`).
    public internal(set) var keys: Keys?
    var fetchedAt: Double = 0
    var freshUntil: Double = 0

    var started = false
    var inFlight: JWKSFetchID?
    var fetchDeadline: Double = 0
    var lastFetchID: UInt64 = 0
    /// When the next background fetch (proactive refresh or retry) starts.
    var nextRefreshAt: Double?
    var lastUnknownKeyFetchAt = -Double.infinity
    var armedTimer: Double?

    var waiters: [(id: JWKSWaiterID, kid: String)] = []
    var lastWaiterID: UInt64 = 0
    /// `kid`s still unknown after a fresh fetch, with the instant they may be retried.
    var negativeKeyIDs: [String: Double] = [:]

    var lastSuccessAt: Double?
    var lastFailure: JWKSFetchFailure?
    var lastFailureAt: Double?
    var consecutiveFailures = 0

    /// A cache that has fetched nothing yet; call `start(now:)`.
    public init(policy: JWKSCachePolicy = JWKSCachePolicy()) {
        self.policy = policy
    }

    /// The instant the driver's timer should fire next, if any.
    public var timerDeadline: Double? {
        var deadline: Double?
        if inFlight != nil {
            deadline = fetchDeadline
        } else {
            deadline = nextRefreshAt
        }
        if keys != nil {
            deadline = min(deadline ?? .infinity, fetchedAt + policy.maxStaleness)
        }
        return deadline
    }

    /// Begins the first fetch. Calling it again does nothing.
    public mutating func start(now: Double) -> [JWKSCacheAction<Keys>] {
        guard !started else { return [] }
        started = true
        var actions = [beginFetch(now: now)]
        armTimer(into: &actions)
        return actions
    }

    /// A fetch delivered a parsed key set. `maxAge` is the response's `Cache-Control: max-age`
    /// in seconds, if any. A set with no key counts as a failure (`jwks_empty`).
    public mutating func fetchSucceeded(_ fetch: JWKSFetchID, keys newKeys: Keys, maxAge: Double?,
                                        now: Double) -> [JWKSCacheAction<Keys>] {
        guard fetch == inFlight else { return [] }
        guard newKeys.keyCount > 0 else { return fetchFailed(fetch, .emptyKeySet, now: now) }
        inFlight = nil
        var actions: [JWKSCacheAction<Keys>] = []
        let newIDs = newKeys.invalidationIDs
        var summary = "\(newKeys.keyCount) keys"
        if let old = keys {
            let oldIDs = old.invalidationIDs
            let removed = oldIDs.subtracting(newIDs)
            let added = newIDs.subtracting(oldIDs).count
            if !removed.isEmpty { actions.append(.invalidateKeyIDs(removed)) }
            if added > 0 || !removed.isEmpty { summary += ", rotated: \(added) added, \(removed.count) removed" }
        }
        if consecutiveFailures > 0 { summary += ", recovered after \(consecutiveFailures) failures" }
        // The first key set, a rotation or a recovery is news; a scheduled refresh that changed nothing is routine.
        let routine = keys != nil && consecutiveFailures == 0 && keys!.invalidationIDs == newIDs
        let ttl = policy.ttl(maxAge: maxAge)
        keys = newKeys
        fetchedAt = now
        freshUntil = now + ttl
        nextRefreshAt = now + ttl * policy.refreshFraction
        lastSuccessAt = now
        consecutiveFailures = 0
        actions.append(.log(JWKSCacheEvent(level: routine ? .debug : .info, code: "jwks_refreshed",
                                           message: "\(summary), fresh for \(Int(ttl)) s")))
        purgeNegativeEntries(now: now)
        let resumed = waiters.map { waiter -> JWKSWaiterResumption<Keys> in
            if newKeys.hasKey(id: waiter.kid) {
                return JWKSWaiterResumption(waiter: waiter.id, result: .keys(newKeys))
            }
            rememberUnknown(kid: waiter.kid, now: now)
            return JWKSWaiterResumption(waiter: waiter.id, result: .unknownKey)
        }
        waiters.removeAll()
        if !resumed.isEmpty { actions.append(.resumeWaiters(resumed)) }
        armTimer(into: &actions)
        return actions
    }

    /// A fetch failed (transport, non-200, unparseable). The last good keys stay in use until
    /// `maxStaleness`; the next attempt follows the backoff schedule.
    public mutating func fetchFailed(_ fetch: JWKSFetchID, _ failure: JWKSFetchFailure,
                                     now: Double) -> [JWKSCacheAction<Keys>] {
        guard fetch == inFlight else { return [] }
        inFlight = nil
        consecutiveFailures += 1
        lastFailure = failure
        lastFailureAt = now
        let delay = policy.backoff(afterFailures: consecutiveFailures)
        nextRefreshAt = now + delay
        var actions: [JWKSCacheAction<Keys>] = []
        expireKeysIfStale(now: now, into: &actions)
        let keeping: String
        if let keys {
            keeping = "keeping \(keys.keyCount) keys fetched \(Int(now - fetchedAt)) s ago"
        } else {
            keeping = "no usable keys, token requests get 503"
        }
        actions.append(.log(JWKSCacheEvent(
            level: keys == nil ? .error : .warning, code: failure.code,
            message: "\(failure.description); failure \(consecutiveFailures), \(keeping); retry in \(Int(delay)) s")))
        let result: JWKSLookupResult<Keys> = keys == nil
            ? .unavailable(retryAfterSeconds: retryAfterSeconds(now: now)) : .unknownKey
        let resumed = waiters.map { JWKSWaiterResumption(waiter: $0.id, result: result) }
        waiters.removeAll()
        if !resumed.isEmpty { actions.append(.resumeWaiters(resumed)) }
        armTimer(into: &actions)
        return actions
    }

    /// The timer armed by `.scheduleTimer` fired (possibly late or spuriously): time out a hung
    /// fetch, drop keys past `maxStaleness`, start a due refresh.
    public mutating func timerFired(now: Double) -> [JWKSCacheAction<Keys>] {
        armedTimer = nil
        var actions: [JWKSCacheAction<Keys>] = []
        if let fetch = inFlight, now >= fetchDeadline {
            actions += fetchFailed(fetch, .timeout, now: now)
        }
        expireKeysIfStale(now: now, into: &actions)
        if started, inFlight == nil, let due = nextRefreshAt, now >= due {
            actions.append(beginFetch(now: now))
        }
        armTimer(into: &actions)
        return actions
    }

    // MARK: - Internals shared with the lookup extension

    mutating func beginFetch(now: Double) -> JWKSCacheAction<Keys> {
        lastFetchID += 1
        let fetch = JWKSFetchID(rawValue: lastFetchID)
        inFlight = fetch
        fetchDeadline = now + policy.fetchTimeout
        nextRefreshAt = nil
        return .startFetch(fetch)
    }

    /// Emits `.scheduleTimer` when the wanted deadline differs from the armed one.
    mutating func armTimer(into actions: inout [JWKSCacheAction<Keys>]) {
        let wanted = timerDeadline
        guard wanted != armedTimer else { return }
        armedTimer = wanted
        if let wanted { actions.append(.scheduleTimer(at: wanted)) }
    }

    /// Security invariant: keys fetched more than `maxStaleness` ago are dropped and every one
    /// of their `kid`s invalidated, so nothing verified with them stays cached.
    mutating func expireKeysIfStale(now: Double, into actions: inout [JWKSCacheAction<Keys>]) {
        guard let old = keys, now >= fetchedAt + policy.maxStaleness else { return }
        keys = nil
        negativeKeyIDs.removeAll()
        let ids = old.invalidationIDs
        if !ids.isEmpty { actions.append(.invalidateKeyIDs(ids)) }
        actions.append(.log(JWKSCacheEvent(
            level: .error, code: "jwks_keys_expired",
            message: "\(old.keyCount) keys passed the \(Int(policy.maxStaleness)) s staleness bound; failing closed")))
    }

    /// Seconds a client should wait before retrying while no keys are usable (at least 1).
    func retryAfterSeconds(now: Double) -> Int {
        guard inFlight == nil, let due = nextRefreshAt else { return 1 }
        let wait = (due - now).rounded(.up)
        return wait < 1 ? 1 : Int(min(wait, 86_400))
    }
}
