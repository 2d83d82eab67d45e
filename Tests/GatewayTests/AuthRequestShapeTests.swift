import XCTest
@testable import Gateway

/// End-to-end: the `Authorization` field's shape (missing, other scheme, malformed) and routing
/// answers (404, 405) — all answered by the gateway itself, none reaching the upstream.
final class AuthRequestShapeTests: XCTestCase {
    var fixture: AuthGatewayFixture!

    override func setUpWithError() throws { fixture = try AuthGatewayFixture() }
    override func tearDown() { fixture?.stop() }

    private func validToken() -> String { AuthTokenForge.rsaToken(now: fixture.clock.unixSeconds()) }

    private func assertInvalidRequest(_ response: AuthResponse?, file: StaticString = #filePath, line: UInt = #line) {
        assertBearerError(response, status: 400, error: "invalid_request", file: file, line: line)
        XCTAssertEqual(fixture.upstream.requests.count, 0, "never forwarded", file: file, line: line)
    }

    func testMissingTokenGetsBareBearerChallenge() {
        let r = fixture.send("GET", "/v1/port-calls/1")
        assertBareChallenge(r)
        XCTAssertEqual(r?.headers["www-authenticate"], "Bearer realm=\"\(AuthKeys.realm)\"")
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testBasicSchemeGetsBareBearerChallenge() {
        let r = fixture.send("GET", "/v1/port-calls/1", headers: [("Authorization", "Basic YWxpY2U6c2VjcmV0")])
        assertBareChallenge(r)
        XCTAssertEqual(fixture.upstream.requests.count, 0)
        XCTAssertFalse(r.map { $0.visibleText.contains("YWxpY2U6c2VjcmV0") } ?? true, "credentials not echoed")
    }

    func testTwoAuthorizationHeadersAreInvalidRequest() {
        let token = validToken()
        let r = fixture.send("GET", "/v1/port-calls/1", token: token, headers: [("Authorization", "Bearer \(token)")])
        assertInvalidRequest(r)
        if let r { assertNoTokenBytes(r, token: token) }
    }

    func testBearerWithoutTokenIsInvalidRequest() {
        assertInvalidRequest(fixture.send("GET", "/v1/port-calls/1", headers: [("Authorization", "Bearer")]))
        assertInvalidRequest(fixture.send("GET", "/v1/port-calls/1", headers: [("Authorization", "Bearer    ")]))
    }

    func testTokenWithSpacesIsInvalidRequest() {
        let parts = validToken().split(separator: ".")
        let token = parts[0] + ". " + parts[1] + "." + parts[2]
        let r = fixture.send("GET", "/v1/port-calls/1", headers: [("Authorization", "Bearer \(token)")])
        assertInvalidRequest(r)
        if let r { assertNoTokenBytes(r, token: String(parts[1] + "." + parts[2])) }
    }

    /// The b64token check runs only for a token the verifier rejects; the answer is the same 400 as
    /// when it ran first, also for a token whose valid form was just verified and cached.
    func testTokenWithCharactersOutsideB64TokenIsInvalidRequest() {
        let token = validToken()
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: token)?.status, 200)
        for bad in [token + "@", "\"" + token + "\"", token.replacingOccurrences(of: ".", with: ",")] {
            assertBearerError(fixture.send("GET", "/v1/port-calls/1", headers: [("Authorization", "Bearer \(bad)")]),
                              status: 400, error: "invalid_request")
        }
        XCTAssertEqual(fixture.upstream.requests.count, 1, "only the valid token's request was forwarded")
    }

    /// `~`, `+`, `/` and trailing `=` are b64token characters but not base64url: the token is
    /// malformed (401 invalid_token), not the request.
    func testB64TokenThatIsNotBase64URLIsInvalidToken() {
        for bad in ["abc~def.ghi.jkl", "abc+def.ghi.jkl", "abc/def.ghi.jkl", validToken() + "=="] {
            assertBearerError(fixture.send("GET", "/v1/port-calls/1", headers: [("Authorization", "Bearer \(bad)")]),
                              status: 401, error: "invalid_token")
        }
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testTokenAfterTabSeparatorIsInvalidRequest() {
        assertInvalidRequest(fixture.send("GET", "/v1/port-calls/1", headers: [("Authorization", "Bearer\t\(validToken())")]))
    }

    func testUnknownPathIs404AndNeverForwarded() {
        assertJSONError(fixture.send("GET", "/v2/nothing-here", token: validToken()), status: 404, error: "not_found")
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testWrongMethodIs405WithAllow() {
        let r = fixture.send("DELETE", "/v1/port-calls/1", token: validToken())
        assertJSONError(r, status: 405, error: "method_not_allowed")
        let allow = Set((r?.headers["allow"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        XCTAssertTrue(allow.isSuperset(of: ["GET", "POST", "PUT"]), "Allow: \(r?.headers["allow"] ?? "-")")
        XCTAssertFalse(allow.contains("DELETE"))
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testInsufficientScopeIs403WithRequiredScope() {
        let token = validToken()  // read:port_calls only
        let r = fixture.send("POST", "/v1/port-calls/1", token: token)
        let challenge = assertBearerError(r, status: 403, error: "insufficient_scope")
        XCTAssertEqual(challenge?["scope"], "write:port_calls")
        XCTAssertEqual(r?.json?["scope"] as? String, "write:port_calls")
        XCTAssertEqual(fixture.upstream.requests.count, 0)
        if let r { assertNoTokenBytes(r, token: token) }
    }

    func testInsufficientScopeWithAnyScopesNamesOneSufficientSet() {
        let r = fixture.send("GET", "/v1/invoices/42", token: validToken())
        let challenge = assertBearerError(r, status: 403, error: "insufficient_scope")
        XCTAssertEqual(challenge?["scope"], "read:invoices")
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testScopeNotSatisfiedBySubstringOrCase() {
        let now = fixture.clock.unixSeconds()
        for scope in ["manage:systems", "MANAGE:SYSTEM", "manage", "admins", "Admin"] {
            let token = AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, scope: scope))
            assertBearerError(fixture.send("GET", "/v1/admin/x", token: token), status: 403, error: "insufficient_scope")
        }
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }
}
