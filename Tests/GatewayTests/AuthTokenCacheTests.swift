import XCTest
@testable import Gateway

/// End-to-end: the verified-token cache behind the gateway, observed through
/// `RunningGateway.authorizer.authenticator.cache` and a wall clock the test moves.
final class AuthTokenCacheTests: XCTestCase {
    var fixture: AuthGatewayFixture!

    override func setUpWithError() throws { fixture = try AuthGatewayFixture() }
    override func tearDown() { fixture?.stop() }

    private var cache: Int { fixture.gateway.authorizer.authenticator.cache.count }

    func testSameTokenTwiceIsVerifiedOnce() {
        let now = fixture.clock.unixSeconds()
        let token = AuthTokenForge.rsaToken(now: now)
        XCTAssertEqual(cache, 0)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 200)
        XCTAssertEqual(cache, 1)
        // Move the wall clock back 10 minutes: verifying again would now reject the token (issued
        // in the future beyond the 60 s skew); a cache hit only re-checks expiry. So a 200 here
        // proves the second request did not pay for verification.
        fixture.clock.advance(seconds: -600)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 200)
        XCTAssertEqual(cache, 1)
        let control = AuthTokenForge.rsaToken(now: now)
        assertBearerError(fixture.send("GET", "/v1/me", token: control), status: 401, error: "invalid_token",
                          descriptionContains: "future")
        XCTAssertEqual(fixture.upstream.requests.count, 2)
    }

    func testDistinctTokensAreCachedSeparately() {
        let now = fixture.clock.unixSeconds()
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: AuthTokenForge.rsaToken(now: now))?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: AuthTokenForge.rsaToken(now: now))?.status, 200)
        XCTAssertEqual(cache, 2)
    }

    func testExpiredTokenIsRejectedEvenThoughCached() {
        let now = fixture.clock.unixSeconds()
        let token = AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, exp: now + 30))
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 200)
        XCTAssertEqual(cache, 1)
        fixture.clock.advance(seconds: 30 + 60 + 1)  // past exp + clock skew
        assertRejected(fixture.send("GET", "/v1/me", token: token), token: token, by: fixture, upstreamRequestsBefore: 1,
                       descriptionContains: "expired")
    }

    func testRejectedTokensAreNotCached() {
        let now = fixture.clock.unixSeconds()
        let token = AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, aud: "\"other\""))
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 401)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 401)
        XCTAssertEqual(cache, 0)
    }

    func testCachedAndFreshTokensExpireAtTheSameInstant() {
        let now = fixture.clock.unixSeconds()
        let cached = AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, exp: now + 30))
        let fresh = AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, exp: now + 30))
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: cached)?.status, 200)
        fixture.clock.advance(seconds: 30 + 60 - 1)  // last second inside exp + skew
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: cached)?.status, 200)
        fixture.clock.advance(seconds: 1)  // exactly exp + skew: both must be refused
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: cached)?.status, 401)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: fresh)?.status, 401)
        XCTAssertEqual(fixture.upstream.requests.count, 2)
    }

    func testCachedTokenIsStillCheckedAgainstRouteScopesAndIssuers() {
        let token = AuthTokenForge.rsaToken(now: fixture.clock.unixSeconds())  // issuer A, read:port_calls
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 200)
        XCTAssertEqual(cache, 1)
        assertBearerError(fixture.send("POST", "/v1/port-calls/1", token: token), status: 403, error: "insufficient_scope")
        assertBearerError(fixture.send("GET", "/v1/partner/x", token: token), status: 401, error: "invalid_token",
                          descriptionContains: "issuer not accepted")
        XCTAssertEqual(fixture.upstream.requests.count, 1)
    }
}
