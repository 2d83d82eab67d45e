import XCTest
@testable import DevIssuer

/// RFC 8628: device authorization, verification page, polling.
final class DeviceFlowTests: XCTestCase {
    private var issuer: DevIssuer!

    override func setUpWithError() throws {
        issuer = try makeIssuer()
    }

    private func start(scope: String? = nil) throws -> (deviceCode: String, userCode: String) {
        var body = [("client_id", "tv")]
        if let scope { body.append(("scope", scope)) }
        let response = issuer.handle(post("/oauth/device_authorization", body), now: t0)
        XCTAssertEqual(response.status, 200)
        let object = json(response)
        return (try XCTUnwrap(object["device_code"] as? String), try XCTUnwrap(object["user_code"] as? String))
    }

    private func poll(_ deviceCode: String, at now: Int64) -> DevResponse {
        issuer.handle(post("/oauth/token", [("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                                            ("client_id", "tv"), ("device_code", deviceCode)]), now: now)
    }

    private func decide(_ userCode: String, _ action: String, at now: Int64 = t0 + 1) -> DevResponse {
        issuer.handle(post("/device", [("user_code", userCode), ("action", action)]), now: now)
    }

    func testDeviceAuthorizationResponse() throws {
        let response = issuer.handle(post("/oauth/device_authorization", [("client_id", "tv")]), now: t0)
        let body = json(response)
        XCTAssertEqual(body["verification_uri"] as? String, "http://127.0.0.1:9000/device")
        XCTAssertEqual(body["expires_in"] as? Int, 600)
        XCTAssertEqual(body["interval"] as? Int, 5)
        let userCode = try XCTUnwrap(body["user_code"] as? String)
        XCTAssertEqual(userCode.count, 9)
        XCTAssertEqual(Array(userCode)[4], "-")
        XCTAssertTrue(userCode.allSatisfy { "BCDFGHJKLMNPQRSTVWXZ-".contains($0) })
        XCTAssertEqual(body["verification_uri_complete"] as? String, "http://127.0.0.1:9000/device?user_code=" + userCode)
    }

    func testPendingThenSlowDownThenApproveGivesTokens() throws {
        let (deviceCode, userCode) = try start()
        assertOAuthError(poll(deviceCode, at: t0), "authorization_pending")
        assertOAuthError(poll(deviceCode, at: t0 + 2), "slow_down")
        // The interval is now 10 s: 6 s later is still too fast.
        assertOAuthError(poll(deviceCode, at: t0 + 8), "slow_down")
        XCTAssertEqual(decide(userCode.lowercased(), "approve").status, 200, "user codes are case-insensitive")
        let response = poll(deviceCode, at: t0 + 30)
        XCTAssertEqual(response.status, 200)
        let body = json(response)
        let token = try XCTUnwrap(body["access_token"] as? String)
        XCTAssertTrue(signatureVerifies(token, issuer: issuer))
        XCTAssertEqual(jwtParts(token)?.claims["sub"] as? String, "dev-user-1")
        XCTAssertEqual(jwtParts(token)?.claims["client_id"] as? String, "tv")
        XCTAssertNotNil(body["refresh_token"])
        assertOAuthError(poll(deviceCode, at: t0 + 60), "invalid_grant", status: 400)
    }

    func testPollingAtTheIntervalStaysPending() throws {
        let (deviceCode, _) = try start()
        assertOAuthError(poll(deviceCode, at: t0), "authorization_pending")
        assertOAuthError(poll(deviceCode, at: t0 + 5), "authorization_pending")
    }

    func testDenyGivesAccessDenied() throws {
        let (deviceCode, userCode) = try start()
        XCTAssertEqual(decide(userCode, "deny").status, 200)
        assertOAuthError(poll(deviceCode, at: t0 + 10), "access_denied")
    }

    func testExpiredDeviceCode() throws {
        let (deviceCode, userCode) = try start()
        XCTAssertEqual(decide(userCode, "approve", at: t0 + 600).status, 400, "no approval after expiry")
        assertOAuthError(poll(deviceCode, at: t0 + 600), "expired_token")
    }

    func testRejectsDeviceCodeOfAnotherClient() throws {
        var configuration = makeConfiguration()
        configuration.clients.append(DevClient(id: "tv2", secret: nil, grantTypes: [.deviceCode], scopes: ["read:vessels"]))
        issuer = try DevIssuer(configuration: configuration)
        let (deviceCode, _) = try start()
        let response = issuer.handle(post("/oauth/token", [("grant_type", GrantType.deviceCode.rawValue), ("client_id", "tv2"),
                                                            ("device_code", deviceCode)]), now: t0)
        assertOAuthError(response, "invalid_grant")
    }

    func testDeviceAuthorizationRejectsClientWithoutDeviceGrant() {
        assertOAuthError(issuer.handle(post("/oauth/device_authorization", [("client_id", "spa")]), now: t0),
                         "unauthorized_client")
    }

    func testDeviceAuthorizationRejectsScopeNotAllowed() {
        assertOAuthError(issuer.handle(post("/oauth/device_authorization", [("client_id", "tv"), ("scope", "admin")]), now: t0),
                         "invalid_scope")
    }

    func testConfigurationRejectsConfidentialDeviceClient() {
        var configuration = makeConfiguration()
        configuration.clients.append(DevClient(id: "c", secret: "s", grantTypes: [.deviceCode], scopes: []))
        XCTAssertThrowsError(try DevIssuer(configuration: configuration)) {
            XCTAssertEqual(($0 as? DevIssuerConfigurationError)?.code, .confidentialDeviceCode)
        }
    }

    func testVerificationPageEscapesUserInput() {
        let response = issuer.handle(get("/device", [("user_code", "\"><script>alert(1)</script>")]), now: t0)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertEqual(response.header("X-Frame-Options"), "DENY")
        let html = String(decoding: response.body, as: UTF8.self)
        XCTAssertTrue(html.contains("<form method=\"post\" action=\"/device\">"))
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertTrue(html.contains("&quot;&gt;&lt;script&gt;"))
        XCTAssertTrue(html.contains("Dev &lt;User&gt;"), "the configured user name is escaped too")
    }

    func testVerificationRejectsUnknownCodeAndMissingAction() throws {
        XCTAssertEqual(decide("BCDF-GHJK", "approve").status, 400)
        let (_, userCode) = try start()
        XCTAssertEqual(issuer.handle(post("/device", [("user_code", userCode)]), now: t0).status, 400)
        XCTAssertEqual(decide(userCode, "maybe").status, 400)
    }

    func testApprovedCodeCannotBeDecidedTwice() throws {
        let (deviceCode, userCode) = try start()
        XCTAssertEqual(decide(userCode, "approve").status, 200)
        XCTAssertEqual(decide(userCode, "deny").status, 400)
        XCTAssertEqual(poll(deviceCode, at: t0 + 10).status, 200)
    }
}
