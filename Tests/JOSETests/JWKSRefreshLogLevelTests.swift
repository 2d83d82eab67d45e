import XCTest
@testable import JOSE

/// A scheduled refresh that changes nothing is routine (debug); the first key set, a rotation and a
/// recovery after failures are news (info).
final class JWKSRefreshLogLevelTests: XCTestCase {
    private func refreshedLevels(_ actions: [JWKSCacheAction<FakeKeySet>]) -> [JWKSCacheEvent.Level] {
        actions.compactMap { if case .log(let e) = $0, e.code == "jwks_refreshed" { return e.level } else { return nil } }
    }

    func testFirstKeySetIsInfoAndAnUnchangedScheduledRefreshIsDebug() {
        var state = State(policy: JWKSCachePolicy())
        let first = state.start(now: 0).fetches[0]
        XCTAssertEqual(refreshedLevels(state.fetchSucceeded(first, keys: FakeKeySet("k1"), maxAge: 100, now: 0)), [.info])
        let again = state.timerFired(now: 85).fetches[0]
        XCTAssertEqual(refreshedLevels(state.fetchSucceeded(again, keys: FakeKeySet("k1"), maxAge: 100, now: 86)), [.debug])
    }

    func testRotationIsInfo() {
        var state = primedState(FakeKeySet("old"), maxAge: 100)
        let fetch = state.timerFired(now: 85).fetches[0]
        XCTAssertEqual(refreshedLevels(state.fetchSucceeded(fetch, keys: FakeKeySet("old", "new"), maxAge: 100, now: 86)), [.info])
    }

    func testRecoveryAfterAFailureIsInfo() {
        var state = primedState(maxAge: 100)
        var fetch = state.timerFired(now: 85).fetches[0]
        _ = state.fetchFailed(fetch, .httpStatus(503), now: 85)
        fetch = state.timerFired(now: 86).fetches[0]
        XCTAssertEqual(refreshedLevels(state.fetchSucceeded(fetch, keys: FakeKeySet("k1"), maxAge: 100, now: 87)), [.info])
    }
}
