import XCTest
@testable import JOSE

/// A key set that is just its `kid`s.
struct FakeKeySet: JWKSKeySet, Equatable {
    let keyIDs: Set<String>
    init(_ ids: String...) { keyIDs = Set(ids) }
    init(ids: Set<String>) { keyIDs = ids }
    func hasKey(id: String) -> Bool { keyIDs.contains(id) }
    var keyCount: Int { keyIDs.count }
}

typealias State = JWKSCacheState<FakeKeySet>
typealias Action = JWKSCacheAction<FakeKeySet>

extension Array where Element == JWKSCacheAction<FakeKeySet> {
    var fetches: [JWKSFetchID] {
        compactMap { if case .startFetch(let id) = $0 { return id } else { return nil } }
    }
    var timers: [Double] {
        compactMap { if case .scheduleTimer(let at) = $0 { return at } else { return nil } }
    }
    var resumptions: [JWKSWaiterResumption<FakeKeySet>] {
        flatMap { action -> [JWKSWaiterResumption<FakeKeySet>] in
            if case .resumeWaiters(let list) = action { return list } else { return [] }
        }
    }
    var invalidated: Set<String> {
        reduce(into: Set<String>()) { if case .invalidateKeyIDs(let ids) = $1 { $0.formUnion(ids) } }
    }
    var logCodes: [String] {
        compactMap { if case .log(let event) = $0 { return event.code } else { return nil } }
    }
}

extension JWKSLookupResult where Keys == FakeKeySet {
    var keySet: FakeKeySet? { if case .keys(let k) = self { return k } else { return nil } }
    var isUnknownKey: Bool { if case .unknownKey = self { return true } else { return false } }
    var isAwait: Bool { if case .awaitRefresh = self { return true } else { return false } }
    var retryAfter: Int? { if case .unavailable(let s) = self { return s } else { return nil } }
}

/// A state that has started at t=0 and received `keys` with `maxAge`.
func primedState(_ keys: FakeKeySet = FakeKeySet("k1"), maxAge: Double? = nil,
                 policy: JWKSCachePolicy = JWKSCachePolicy()) -> State {
    var state = State(policy: policy)
    let fetch = state.start(now: 0).fetches[0]
    _ = state.fetchSucceeded(fetch, keys: keys, maxAge: maxAge, now: 0)
    return state
}

final class JWKSCacheStateTests: XCTestCase {
    func testStartRequestsOneFetchAndArmsTheTimeoutTimer() {
        var state = State()
        let actions = state.start(now: 100)
        XCTAssertEqual(actions.fetches.count, 1)
        XCTAssertEqual(actions.timers, [110])
        XCTAssertTrue(state.start(now: 101).isEmpty, "a second start does nothing")
    }

    func testFirstFetchMakesKeysAvailableAndSchedulesProactiveRefresh() {
        var state = State()
        let fetch = state.start(now: 0).fetches[0]
        let actions = state.fetchSucceeded(fetch, keys: FakeKeySet("k1", "k2"), maxAge: nil, now: 2)
        XCTAssertEqual(actions.timers, [2 + 300 * 0.85])
        XCTAssertEqual(actions.logCodes, ["jwks_refreshed"])
        XCTAssertEqual(state.lookup(kid: "k2", now: 3).result.keySet, FakeKeySet("k1", "k2"))
        XCTAssertEqual(state.lookup(kid: nil, now: 3).result.keySet, FakeKeySet("k1", "k2"))
    }

    func testNeverFetchedIsUnavailableWithRetryAfter() {
        var state = State()
        XCTAssertEqual(state.lookup(kid: "k1", now: 0).result.retryAfter, 1, "not started")
        let fetch = state.start(now: 0).fetches[0]
        XCTAssertEqual(state.lookup(kid: "k1", now: 0.5).result.retryAfter, 1, "fetch in flight")
        _ = state.fetchFailed(fetch, .httpStatus(500), now: 1)
        let outcome = state.lookup(kid: "k1", now: 1)
        XCTAssertEqual(outcome.result.retryAfter, 1, "first retry after 1 s")
        XCTAssertTrue(outcome.actions.fetches.isEmpty, "an unavailable lookup never forces a fetch")
        XCTAssertTrue(state.health(now: 1).isUnavailable)
    }

    func testMaxAgeIsClampedBothWays() {
        let cases: [(maxAge: Double?, ttl: Double)] = [(nil, 300), (5, 60), (600, 600), (1_000_000, 86_400)]
        for (maxAge, ttl) in cases {
            var state = State()
            let fetch = state.start(now: 0).fetches[0]
            let actions = state.fetchSucceeded(fetch, keys: FakeKeySet("k1"), maxAge: maxAge, now: 0)
            XCTAssertEqual(actions.timers, [ttl * 0.85], "max-age \(String(describing: maxAge))")
        }
    }

    func testProactiveRefreshStartsBeforeExpiryAndKeysStayServed() {
        var state = primedState(maxAge: 100)
        XCTAssertTrue(state.timerFired(now: 84).fetches.isEmpty, "early timer fire is harmless")
        let actions = state.timerFired(now: 85)
        XCTAssertEqual(actions.fetches.count, 1)
        XCTAssertNotNil(state.lookup(kid: "k1", now: 90).result.keySet, "keys usable during refresh")
        XCTAssertFalse(state.health(now: 90).isStale)
        _ = state.fetchSucceeded(actions.fetches[0], keys: FakeKeySet("k1"), maxAge: 100, now: 90)
        XCTAssertEqual(state.health(now: 91).lastSuccessAt, 90)
    }

    func testUnknownKidStartsOneFetchAndAddedKeyIsAccepted() {
        var state = primedState()
        let outcome = state.lookup(kid: "k2", now: 40)
        XCTAssertTrue(outcome.result.isAwait)
        XCTAssertEqual(outcome.actions.fetches.count, 1)
        let waiter = try! XCTUnwrap(outcome.waiter)
        let done = state.fetchSucceeded(outcome.actions.fetches[0], keys: FakeKeySet("k1", "k2"), maxAge: nil, now: 41)
        XCTAssertEqual(done.resumptions.count, 1)
        XCTAssertEqual(done.resumptions[0].waiter, waiter)
        XCTAssertEqual(done.resumptions[0].result.keySet, FakeKeySet("k1", "k2"))
        XCTAssertNotNil(state.lookup(kid: "k2", now: 42).result.keySet)
    }

    func testThousandUnknownKidLookupsCoalesceIntoOneFetchAndAreRateLimited() {
        var state = primedState()
        var fetches: [JWKSFetchID] = []
        var waiters = Set<JWKSWaiterID>()
        for i in 0..<1000 {
            let outcome = state.lookup(kid: "random-\(i)", now: 40)
            fetches += outcome.actions.fetches
            if let waiter = outcome.waiter { waiters.insert(waiter) }
        }
        XCTAssertEqual(fetches.count, 1)
        XCTAssertEqual(waiters.count, 1000)
        let done = state.fetchSucceeded(fetches[0], keys: FakeKeySet("k1"), maxAge: nil, now: 41)
        XCTAssertEqual(done.resumptions.count, 1000)
        XCTAssertTrue(done.resumptions.allSatisfy { $0.result.isUnknownKey })
        for i in 0..<1000 {
            let outcome = state.lookup(kid: "other-\(i)", now: 42 + Double(i) * 0.02)
            XCTAssertTrue(outcome.result.isUnknownKey, "within the 30 s window: rejected at once")
            XCTAssertTrue(outcome.actions.fetches.isEmpty)
        }
        XCTAssertEqual(state.lookup(kid: "late", now: 70).actions.fetches.count, 1, "window over")
    }

    func testKidStillUnknownAfterFreshFetchIsNegativelyCached() {
        var policy = JWKSCachePolicy()
        policy.unknownKeyRefreshInterval = 1
        policy.negativeCacheTTL = 100
        var state = primedState(policy: policy)
        let outcome = state.lookup(kid: "ghost", now: 10)
        _ = state.fetchSucceeded(outcome.actions.fetches[0], keys: FakeKeySet("k1"), maxAge: nil, now: 11)
        let repeated = state.lookup(kid: "ghost", now: 50)
        XCTAssertTrue(repeated.result.isUnknownKey, "negative cache answers although the rate limit allows a fetch")
        XCTAssertTrue(repeated.actions.fetches.isEmpty)
        XCTAssertTrue(state.peek(kid: "other", now: 50).isAwait, "another kid could still refresh")
        XCTAssertEqual(state.lookup(kid: "ghost", now: 112).actions.fetches.count, 1, "entry expired")
    }

    func testNegativeCacheIsBounded() {
        var policy = JWKSCachePolicy()
        policy.maxNegativeEntries = 10
        var state = primedState(policy: policy)
        let fetch = (0..<50).flatMap { state.lookup(kid: "ghost-\($0)", now: 40).actions.fetches }[0]
        _ = state.fetchSucceeded(fetch, keys: FakeKeySet("k1"), maxAge: nil, now: 41)
        XCTAssertEqual(state.negativeKeyIDs.count, 10)
    }

    func testFailureKeepsKeysAndBacksOffExponentiallyToTheCap() {
        var policy = JWKSCachePolicy()
        policy.maxStaleness = 1_000_000
        var state = primedState(maxAge: 100, policy: policy)
        var now = 85.0
        var fetch = state.timerFired(now: now).fetches[0]
        var delays: [Double] = []
        for _ in 0..<9 {
            let failed = state.fetchFailed(fetch, .transport("connection refused"), now: now)
            XCTAssertEqual(failed.logCodes, ["jwks_transport"])
            let due = try! XCTUnwrap(failed.timers.first)
            delays.append(due - now)
            XCTAssertTrue(state.timerFired(now: due - 0.5).fetches.isEmpty, "no retry before the backoff")
            now = due
            fetch = state.timerFired(now: now).fetches[0]
            XCTAssertNotNil(state.lookup(kid: "k1", now: now).result.keySet, "last good keys kept")
        }
        XCTAssertEqual(delays, [1, 2, 4, 8, 16, 32, 60, 60, 60])
        let health = state.health(now: now)
        XCTAssertEqual(health.consecutiveFailures, 9)
        XCTAssertEqual(health.lastFailure?.code, "jwks_transport")
        XCTAssertTrue(health.isStale)
        XCTAssertFalse(health.isUnavailable)
    }

    func testRecoveryResetsBackoffAndStaleness() {
        var state = primedState(maxAge: 100)
        var fetch = state.timerFired(now: 85).fetches[0]
        _ = state.fetchFailed(fetch, .httpStatus(503), now: 85)
        fetch = state.timerFired(now: 86).fetches[0]
        let done = state.fetchSucceeded(fetch, keys: FakeKeySet("k1"), maxAge: 100, now: 200)
        XCTAssertEqual(done.timers, [285])
        let health = state.health(now: 201)
        XCTAssertEqual(health.consecutiveFailures, 0)
        XCTAssertFalse(health.isStale)
        XCTAssertEqual(health.lastFailure?.code, "jwks_http_status", "last error is still reported")
    }

    func testPastStalenessFailsClosedAndInvalidatesEveryKid() {
        var policy = JWKSCachePolicy()
        policy.maxStaleness = 1000
        var state = primedState(FakeKeySet("k1", "k2"), maxAge: 100, policy: policy)
        var now = 85.0
        var fetch = state.timerFired(now: now).fetches[0]
        while true {
            let next = state.fetchFailed(fetch, .unparseable, now: now).timers[0]
            XCTAssertLessThanOrEqual(next, 1000, "timer never sleeps past the staleness bound")
            if next >= 1000 { break }
            now = next
            fetch = state.timerFired(now: now).fetches[0]
        }
        XCTAssertNotNil(state.peek(kid: "k1", now: 999.9).keySet)
        XCTAssertNotNil(state.peek(kid: "k1", now: 1000).retryAfter, "peek fails closed without a timer")
        let expired = state.timerFired(now: 1000)
        XCTAssertEqual(expired.invalidated, ["k1", "k2"])
        XCTAssertTrue(expired.logCodes.contains("jwks_keys_expired"))
        XCTAssertNotNil(state.lookup(kid: "k1", now: 1001).result.retryAfter)
        XCTAssertNotNil(state.lookup(kid: nil, now: 1001).result.retryAfter)
        XCTAssertTrue(state.health(now: 1001).isUnavailable)
        let retryAt = try! XCTUnwrap(state.health(now: 1001).nextRefreshAt)
        fetch = state.timerFired(now: retryAt).fetches[0]
        let recovered = state.fetchSucceeded(fetch, keys: FakeKeySet("k3"), maxAge: nil, now: retryAt + 1)
        XCTAssertTrue(recovered.invalidated.isEmpty)
        XCTAssertNotNil(state.lookup(kid: "k3", now: retryAt + 2).result.keySet)
    }

    func testRotationInvalidatesRemovedKids() {
        var state = primedState(FakeKeySet("old", "kept"), maxAge: 100)
        let fetch = state.timerFired(now: 85).fetches[0]
        let done = state.fetchSucceeded(fetch, keys: FakeKeySet("kept", "new"), maxAge: 100, now: 86)
        XCTAssertEqual(done.invalidated, ["old"])
        XCTAssertNotNil(state.lookup(kid: "new", now: 87).result.keySet)
        let removed = state.lookup(kid: "old", now: 87)
        XCTAssertTrue(removed.result.isAwait, "a removed kid is just unknown now: it may refresh once")
    }

    func testFetchFailureResolvesWaitersAsUnknownWhileKeysAreUsable() {
        var state = primedState()
        let outcome = state.lookup(kid: "k9", now: 40)
        let failed = state.fetchFailed(outcome.actions.fetches[0], .timeout, now: 41)
        XCTAssertEqual(failed.resumptions.count, 1)
        XCTAssertTrue(failed.resumptions[0].result.isUnknownKey)
        XCTAssertTrue(state.negativeKeyIDs.isEmpty, "a failed fetch proves nothing about the kid")
    }

    func testHungFetchTimesOutAndLateCompletionIsIgnored() {
        var state = State()
        let fetch = state.start(now: 0).fetches[0]
        let fired = state.timerFired(now: 10)
        XCTAssertEqual(fired.logCodes, ["jwks_timeout"])
        XCTAssertEqual(state.health(now: 10).lastFailure, .timeout)
        XCTAssertTrue(state.fetchSucceeded(fetch, keys: FakeKeySet("k1"), maxAge: nil, now: 10.5).isEmpty)
        XCTAssertNotNil(state.lookup(kid: "k1", now: 10.5).result.retryAfter)
        let retry = state.timerFired(now: 11).fetches
        XCTAssertEqual(retry.count, 1)
        XCTAssertNotEqual(retry[0], fetch)
    }

    func testEmptyKeySetCountsAsFailure() {
        var state = primedState(FakeKeySet("k1"), maxAge: 100)
        let fetch = state.timerFired(now: 85).fetches[0]
        let actions = state.fetchSucceeded(fetch, keys: FakeKeySet(), maxAge: nil, now: 86)
        XCTAssertEqual(actions.logCodes, ["jwks_empty"])
        XCTAssertTrue(actions.invalidated.isEmpty)
        XCTAssertNotNil(state.lookup(kid: "k1", now: 87).result.keySet)
    }

    func testWaiterLimitAnswersUnavailable() {
        var policy = JWKSCachePolicy()
        policy.maxWaiters = 3
        var state = primedState(policy: policy)
        let results = (0..<5).map { state.lookup(kid: "x\($0)", now: 40).result }
        XCTAssertEqual(results.filter(\.isAwait).count, 3)
        XCTAssertEqual(results.compactMap(\.retryAfter), [1, 1])
        XCTAssertEqual(state.cancelWaiters().resumptions.count, 3)
        XCTAssertEqual(state.waiterCount, 0)
    }
}
