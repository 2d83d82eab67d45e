import XCTest
@testable import DevIssuer

/// The refresh-token grant: rotation, reuse detection, binding.
final class RefreshTokenTests: XCTestCase {
    private var issuer: DevIssuer!

    override func setUpWithError() throws {
        issuer = try makeIssuer()
    }

    private func refresh(_ token: String, client: String = "web", secret: String = "web-secret", scope: String? = nil,
                         now: Int64 = t0 + 10) -> DevResponse {
        var body = [("grant_type", "refresh_token"), ("refresh_token", token)]
        if let scope { body.append(("scope", scope)) }
        return issuer.handle(post("/oauth/token", body, headers: [basic(client, secret)]), now: now)
    }

    private func isActive(_ token: String, now: Int64 = t0 + 20) -> Bool? {
        json(issuer.handle(post("/oauth/introspect", [("token", token)], headers: [basic("web", "web-secret")]), now: now))["active"] as? Bool
    }

    private func initialTokens() throws -> (access: String, refresh: String) {
        let body = json(issuer.codeFlow(scope: "read:port_calls read:vessels"))
        return (try XCTUnwrap(body["access_token"] as? String), try XCTUnwrap(body["refresh_token"] as? String))
    }

    func testRefreshRotatesTheToken() throws {
        let first = try initialTokens()
        let response = refresh(first.refresh)
        XCTAssertEqual(response.status, 200)
        let body = json(response)
        let second = try XCTUnwrap(body["refresh_token"] as? String)
        XCTAssertNotEqual(second, first.refresh)
        XCTAssertEqual(body["scope"] as? String, "read:port_calls read:vessels")
        let access = try XCTUnwrap(body["access_token"] as? String)
        XCTAssertEqual(jwtParts(access)?.claims["sub"] as? String, "dev-user-1")
        XCTAssertEqual(isActive(first.refresh), false, "the rotated token stops working")
        XCTAssertEqual(isActive(second), true)
        XCTAssertEqual(refresh(second, now: t0 + 30).status, 200, "the new token works")
    }

    func testRejectsRefreshTokenReuseAndRevokesFamily() throws {
        let first = try initialTokens()
        let rotated = json(refresh(first.refresh))
        let second = try XCTUnwrap(rotated["refresh_token"] as? String)
        let secondAccess = try XCTUnwrap(rotated["access_token"] as? String)
        assertOAuthError(refresh(first.refresh, now: t0 + 15), "invalid_grant")
        assertOAuthError(refresh(second, now: t0 + 16), "invalid_grant")
        XCTAssertEqual(isActive(secondAccess), false, "access tokens of the family are revoked")
        XCTAssertEqual(isActive(first.access), false)
    }

    func testRejectsRefreshTokenOfAnotherClient() throws {
        let first = try initialTokens()
        assertOAuthError(refresh(first.refresh, client: "other", secret: "other-secret"), "invalid_grant")
        XCTAssertEqual(refresh(first.refresh).status, 200, "the owner's token was not burned by the attempt")
    }

    func testRejectsExpiredRefreshToken() throws {
        let first = try initialTokens()
        assertOAuthError(refresh(first.refresh, now: t0 + 30 * 24 * 3600), "invalid_grant")
    }

    func testRefreshMayNarrowButNotWidenScope() throws {
        let first = try initialTokens()
        assertOAuthError(refresh(first.refresh, scope: "admin"), "invalid_scope")
        let narrowed = json(refresh(first.refresh, scope: "read:vessels", now: t0 + 11))
        XCTAssertEqual(narrowed["scope"] as? String, "read:vessels")
    }

    func testRejectsUnknownRefreshToken() {
        assertOAuthError(refresh("made-up"), "invalid_grant")
    }

    func testRejectsMissingRefreshToken() {
        assertOAuthError(issuer.handle(post("/oauth/token", [("grant_type", "refresh_token")],
                                            headers: [basic("web", "web-secret")]), now: t0), "invalid_request")
    }
}
