import XCTest
import Foundation
import Config
@testable import Gateway

/// Live reload and the trusted issuers: an unchanged issuer keeps its JWKS cache and the tokens
/// verified for it; a changed or removed one does not (its cached tokens were verified by other rules).
final class ReloadIssuerTests: XCTestCase {
    var fixture: AuthGatewayFixture!

    override func setUpWithError() throws { fixture = try AuthGatewayFixture() }
    override func tearDown() { fixture?.stop() }

    private var cacheCount: Int { fixture.gateway.authorizer.authenticator.cache.count }

    private func reload(issuers: [AuthIssuerSpec], routes: String = AuthRoutes.standard) throws -> ConfigurationChanges {
        let text = AuthGatewayFixture.configText(issuers: issuers, routes: routes, upstreamPort: fixture.upstream.port,
                                                 stubURL: fixture.stub.baseURL, logLevel: "error")
        return try fixture.gateway.reload(config: ConfigLoader.parse(bytes: Array(text.utf8), baseDirectory: NSTemporaryDirectory()))
    }

    func testUnchangedIssuerKeepsItsKeysAndVerifiedTokens() throws {
        let now = fixture.clock.unixSeconds()
        let token = AuthTokenForge.rsaToken(now: now)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 200)
        XCTAssertEqual(cacheCount, 1)
        let fetcher = fixture.gateway.fetchers[0]

        let changes = try reload(issuers: AuthIssuerSpec.standard,
                                 routes: AuthRoutes.standard + #", { "path": "/v1/extra/**", "upstream": "api", "public": true }"#)
        XCTAssertEqual(changes.description, "routes +1 -0, upstreams unchanged, issuers unchanged (2 kept with keys and cached tokens)")
        XCTAssertTrue(fixture.gateway.fetchers[0] === fetcher, "the issuer's JWKS fetcher and cache are kept")
        XCTAssertEqual(fixture.jwksFetches(0), 1)
        XCTAssertEqual(cacheCount, 1, "the verified token moved to the new configuration's cache")
        // Ten minutes back, verifying the token again would reject it (issued in the future); a 200
        // proves it was served from the carried-over cache entry.
        fixture.clock.advance(seconds: -600)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/v1/extra/1")?.status, 200)
    }

    func testChangedIssuerDropsItsVerifiedTokensAndFetchesItsKeysAgain() throws {
        let now = fixture.clock.unixSeconds()
        let token = AuthTokenForge.rsaToken(now: now)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 200)
        XCTAssertEqual(cacheCount, 1)
        // Issuer A now rejects every token (a `typ` no token has): its cached tokens must not survive.
        var strict = AuthIssuerSpec.issuerA
        strict.extra = "\"require_typ\": \"strict+jwt\","
        let changes = try reload(issuers: [strict, .issuerB])
        XCTAssertEqual(changes.description, "routes unchanged, upstreams unchanged, issuers +0 -0 ~1 (1 kept with keys and cached tokens)")
        XCTAssertEqual(cacheCount, 0)
        let deadline = Date().addingTimeInterval(5)
        while fixture.gateway.fetchers[0].health.lastSuccessAt == nil && Date() < deadline { usleep(5_000) }
        XCTAssertEqual(fixture.jwksFetches(0), 2, "a changed issuer fetches its keys afresh")
        XCTAssertEqual(fixture.jwksFetches(1), 1, "the unchanged one does not")
        assertBearerError(fixture.send("GET", "/v1/me", token: token), status: 401, error: "invalid_token", descriptionContains: "typ")
    }

    func testRemovedIssuersTokensAreRejectedAfterTheReload() throws {
        let now = fixture.clock.unixSeconds()
        let token = AuthTokenForge.rsaToken(now: now)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 200)
        let changes = try reload(issuers: [.issuerB])
        XCTAssertEqual(changes.issuers.removed, 1)
        XCTAssertEqual(cacheCount, 0)
        assertBearerError(fixture.send("GET", "/v1/me", token: token), status: 401, error: "invalid_token", descriptionContains: "not trusted")
    }
}
