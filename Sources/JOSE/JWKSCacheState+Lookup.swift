extension JWKSCacheState {
    /// Classification shared by `lookup` and `peek`, so both always agree.
    enum Verdict {
        case keys(Keys)
        case negative
        case unavailable
        case joinInFlight
        case startRefresh
        case rateLimited
    }

    func verdict(kid: String?, now: Double) -> Verdict {
        guard let keys, now < fetchedAt + policy.maxStaleness else { return .unavailable }
        guard let kid else { return .keys(keys) }
        if keys.hasKey(id: kid) { return .keys(keys) }
        if let until = negativeKeyIDs[kid], now < until { return .negative }
        if inFlight != nil { return .joinInFlight }
        if now >= lastUnknownKeyFetchAt + policy.unknownKeyRefreshInterval { return .startRefresh }
        return .rateLimited
    }

    /// Which keys may verify a token with this `kid` (nil: the token has none), registering a
    /// waiter when the answer is `.awaitRefresh`. Known `kid`: no actions and no allocation.
    ///
    /// Security invariant: an unknown `kid` starts a fetch only if none is in flight and none
    /// was started for an unknown `kid` within `unknownKeyRefreshInterval`; otherwise it joins
    /// the in-flight fetch or is rejected at once.
    public mutating func lookup(kid: String?, now: Double) -> JWKSLookupOutcome<Keys> {
        var actions: [JWKSCacheAction<Keys>] = []
        switch verdict(kid: kid, now: now) {
        case .keys(let keys):
            return JWKSLookupOutcome(result: .keys(keys), waiter: nil, actions: [])
        case .negative, .rateLimited:
            return JWKSLookupOutcome(result: .unknownKey, waiter: nil, actions: [])
        case .unavailable:
            expireKeysIfStale(now: now, into: &actions)
            armTimer(into: &actions)
            return JWKSLookupOutcome(result: .unavailable(retryAfterSeconds: retryAfterSeconds(now: now)),
                                     waiter: nil, actions: actions)
        case .joinInFlight:
            break
        case .startRefresh:
            guard waiters.count < policy.maxWaiters else { break }
            if let kid { negativeKeyIDs.removeValue(forKey: kid) }
            lastUnknownKeyFetchAt = now
            actions.append(.log(JWKSCacheEvent(level: .info, code: "jwks_unknown_kid_refresh",
                                               message: "token names an unknown key; refreshing")))
            actions.append(beginFetch(now: now))
            armTimer(into: &actions)
        }
        guard waiters.count < policy.maxWaiters, let kid else {
            return JWKSLookupOutcome(result: .unavailable(retryAfterSeconds: 1), waiter: nil, actions: actions)
        }
        lastWaiterID += 1
        let waiter = JWKSWaiterID(rawValue: lastWaiterID)
        waiters.append((waiter, kid))
        return JWKSLookupOutcome(result: .awaitRefresh, waiter: waiter, actions: actions)
    }

    /// What `lookup` would answer, without changing anything (no fetch, no waiter). Returns
    /// `.awaitRefresh` when `lookup` would make the request wait.
    public func peek(kid: String?, now: Double) -> JWKSLookupResult<Keys> {
        switch verdict(kid: kid, now: now) {
        case .keys(let keys): return .keys(keys)
        case .negative, .rateLimited: return .unknownKey
        case .unavailable: return .unavailable(retryAfterSeconds: retryAfterSeconds(now: now))
        case .joinInFlight, .startRefresh: return .awaitRefresh
        }
    }

    /// Resolves every waiting request with `.unavailable` (the driver is stopping).
    public mutating func cancelWaiters() -> [JWKSCacheAction<Keys>] {
        let resumed = waiters.map {
            JWKSWaiterResumption<Keys>(waiter: $0.id, result: .unavailable(retryAfterSeconds: 1))
        }
        waiters.removeAll()
        return resumed.isEmpty ? [] : [.resumeWaiters(resumed)]
    }

    /// Number of requests waiting for a refresh.
    public var waiterCount: Int { waiters.count }

    /// Health snapshot at `now`.
    public func health(now: Double) -> JWKSCacheHealth {
        let usable = keys != nil && now < fetchedAt + policy.maxStaleness
        return JWKSCacheHealth(
            lastSuccessAt: lastSuccessAt, lastFailure: lastFailure, lastFailureAt: lastFailureAt,
            consecutiveFailures: consecutiveFailures, keyCount: usable ? keys?.keyCount ?? 0 : 0,
            isStale: usable && now >= freshUntil, isUnavailable: !usable,
            fetchInFlight: inFlight != nil, nextRefreshAt: inFlight == nil ? nextRefreshAt : nil)
    }

    // MARK: - Negative cache

    /// Remembers a `kid` absent from a fresh set. The table is bounded: when full of live
    /// entries the `kid` is not remembered (the rate limit still bounds fetches).
    mutating func rememberUnknown(kid: String, now: Double) {
        if negativeKeyIDs.count >= policy.maxNegativeEntries {
            purgeNegativeEntries(now: now)
            if negativeKeyIDs.count >= policy.maxNegativeEntries { return }
        }
        negativeKeyIDs[kid] = now + policy.negativeCacheTTL
    }

    mutating func purgeNegativeEntries(now: Double) {
        guard !negativeKeyIDs.isEmpty else { return }
        negativeKeyIDs = negativeKeyIDs.filter { $0.value > now && !(keys?.hasKey(id: $0.key) ?? false) }
    }
}
