import XCTest
@testable import DevIssuer

/// `GET /oauth/authorize` and the authorization-code grant with PKCE.
final class AuthorizationCodeTests: XCTestCase {
    private var issuer: DevIssuer!

    override func setUpWithError() throws {
        issuer = try makeIssuer()
    }

    private func authorize(client: String = "web", redirect: String = webRedirect, challenge: String? = nil,
                           method: String? = "S256", scope: String? = nil, state: String? = "xyz",
                           responseType: String = "code") -> DevResponse {
        var query = [("response_type", responseType), ("client_id", client), ("redirect_uri", redirect)]
        if let state { query.append(("state", state)) }
        if let scope { query.append(("scope", scope)) }
        if let challenge = challenge ?? Optional(pkcePair().challenge) { query.append(("code_challenge", challenge)) }
        if let method { query.append(("code_challenge_method", method)) }
        return issuer.handle(get("/oauth/authorize", query), now: t0)
    }

    private func exchange(code: String, verifier: String, redirect: String = webRedirect, client: String = "web",
                          secret: String = "web-secret", now: Int64 = t0) -> DevResponse {
        issuer.handle(post("/oauth/token", [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect),
                                            ("code_verifier", verifier)], headers: [basic(client, secret)]), now: now)
    }

    private func codeAndVerifier(scope: String? = nil) -> (code: String, verifier: String) {
        let pkce = pkcePair()
        let response = authorize(challenge: pkce.challenge, scope: scope)
        return (redirectParameters(response)["code"] ?? "", pkce.verifier)
    }

    func testAuthorizeRedirectsWithCodeAndState() {
        let response = authorize(state: "a b&c")
        XCTAssertEqual(response.status, 302)
        XCTAssertTrue(response.header("Location")?.hasPrefix(webRedirect + "?code=") ?? false)
        let parameters = redirectParameters(response)
        XCTAssertEqual(parameters["state"], "a b&c", "state comes back verbatim")
        XCTAssertEqual(parameters["iss"], "http://127.0.0.1:9000")
        XCTAssertEqual(parameters["code"]?.count, 43)
    }

    func testAuthorizeKeepsExistingRedirectQuery() {
        let response = authorize(client: "spa", redirect: "http://127.0.0.1:3000/cb?x=1")
        XCTAssertTrue(response.header("Location")?.hasPrefix("http://127.0.0.1:3000/cb?x=1&code=") ?? false)
    }

    func testAuthorizeUnknownClientGetsPlainErrorPageNotRedirect() {
        let response = authorize(client: "evil")
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual(response.header("Content-Type"), "text/plain; charset=utf-8")
        XCTAssertNil(response.header("Location"))
    }

    func testAuthorizeMismatchedRedirectURIGetsPlainErrorPageNotRedirect() {
        for redirect in ["https://evil.example/callback", webRedirect + "/", webRedirect + "?x=1", "HTTPS://app.example.com/callback"] {
            let response = authorize(redirect: redirect)
            XCTAssertEqual(response.status, 400, redirect)
            XCTAssertEqual(response.header("Content-Type"), "text/plain; charset=utf-8")
            XCTAssertNil(response.header("Location"), "never redirect to an unregistered URI")
        }
    }

    func testAuthorizeRepeatedRedirectURIGetsPlainErrorPage() {
        let query = "response_type=code&client_id=web&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&redirect_uri=https%3A%2F%2Fevil.example%2F"
        let response = issuer.handle(DevRequest(method: "GET", path: "/oauth/authorize", query: query), now: t0)
        XCTAssertEqual(response.status, 400)
        XCTAssertNil(response.header("Location"))
    }

    func testAuthorizeMissingChallengeRedirectsWithErrorAndState() {
        let response = issuer.handle(get("/oauth/authorize", [("response_type", "code"), ("client_id", "web"),
                                                              ("redirect_uri", webRedirect), ("state", "s1")]), now: t0)
        XCTAssertEqual(response.status, 302)
        let parameters = redirectParameters(response)
        XCTAssertEqual(parameters["error"], "invalid_request")
        XCTAssertEqual(parameters["state"], "s1")
        XCTAssertNil(parameters["code"])
    }

    func testAuthorizeRejectsPlainPKCEMethod() {
        XCTAssertEqual(redirectParameters(authorize(method: "plain"))["error"], "invalid_request")
        XCTAssertEqual(redirectParameters(authorize(method: nil))["error"], "invalid_request")
    }

    func testAuthorizeScopeNotAllowedRedirectsInvalidScope() {
        let parameters = redirectParameters(authorize(client: "other", scope: "admin"))
        XCTAssertEqual(parameters["error"], "invalid_scope")
        XCTAssertEqual(parameters["state"], "xyz")
    }

    func testAuthorizeUnsupportedResponseType() {
        XCTAssertEqual(redirectParameters(authorize(responseType: "token"))["error"], "unsupported_response_type")
    }

    func testAuthorizeClientWithoutCodeGrantIsUnauthorized() {
        var configuration = makeConfiguration()
        configuration.clients.append(DevClient(id: "m2m", secret: "x", grantTypes: [.clientCredentials], scopes: [],
                                               redirectURIs: [webRedirect]))
        let issuer = try! DevIssuer(configuration: configuration)
        let response = issuer.handle(get("/oauth/authorize", [("response_type", "code"), ("client_id", "m2m"),
                                                              ("redirect_uri", webRedirect), ("code_challenge", pkcePair().challenge),
                                                              ("code_challenge_method", "S256")]), now: t0)
        XCTAssertEqual(redirectParameters(response)["error"], "unauthorized_client")
    }

    func testCodeExchangeIssuesUserTokens() throws {
        let (code, verifier) = codeAndVerifier(scope: "read:port_calls write:port_calls")
        let response = exchange(code: code, verifier: verifier)
        XCTAssertEqual(response.status, 200)
        let body = json(response)
        XCTAssertEqual(body["scope"] as? String, "read:port_calls write:port_calls")
        XCTAssertEqual((body["refresh_token"] as? String)?.count, 43)
        let token = try XCTUnwrap(body["access_token"] as? String)
        XCTAssertTrue(signatureVerifies(token, issuer: issuer))
        XCTAssertEqual(jwtParts(token)?.claims["sub"] as? String, "dev-user-1")
        XCTAssertEqual(jwtParts(token)?.claims["client_id"] as? String, "web")
    }

    func testPublicClientExchangesCodeWithPKCEOnly() {
        let response = issuer.codeFlow(client: "spa", secret: nil, redirect: "http://127.0.0.1:3000/cb?x=1")
        XCTAssertEqual(response.status, 200)
        XCTAssertNotNil(json(response)["access_token"])
    }

    func testRejectsPKCEMismatch() {
        let (code, _) = codeAndVerifier()
        let response = exchange(code: code, verifier: pkcePair().verifier)
        assertOAuthError(response, "invalid_grant")
    }

    func testRejectsMalformedCodeVerifier() {
        let (code, _) = codeAndVerifier()
        assertOAuthError(exchange(code: code, verifier: "short"), "invalid_request")
    }

    func testRejectsCodeReuseAndRevokesTokensIssuedFromIt() throws {
        let (code, verifier) = codeAndVerifier()
        let first = json(exchange(code: code, verifier: verifier))
        let accessToken = try XCTUnwrap(first["access_token"] as? String)
        let refreshToken = try XCTUnwrap(first["refresh_token"] as? String)
        assertOAuthError(exchange(code: code, verifier: verifier, now: t0 + 5), "invalid_grant")
        let introspection = issuer.handle(post("/oauth/introspect", [("token", accessToken)],
                                               headers: [basic("web", "web-secret")]), now: t0 + 6)
        XCTAssertEqual(json(introspection)["active"] as? Bool, false, "access token from a replayed code is revoked")
        let refresh = issuer.handle(post("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
                                         headers: [basic("web", "web-secret")]), now: t0 + 7)
        assertOAuthError(refresh, "invalid_grant")
    }

    func testRejectsWrongRedirectURIAtTokenEndpoint() {
        let (code, verifier) = codeAndVerifier()
        assertOAuthError(exchange(code: code, verifier: verifier, redirect: "https://app.example.com/other"), "invalid_grant")
    }

    func testRejectsCodeOfAnotherClient() {
        let (code, verifier) = codeAndVerifier()
        assertOAuthError(exchange(code: code, verifier: verifier, client: "other", secret: "other-secret"), "invalid_grant")
        XCTAssertEqual(exchange(code: code, verifier: verifier).status, 200, "the rightful client can still redeem it")
    }

    func testRejectsExpiredCode() {
        let (code, verifier) = codeAndVerifier()
        assertOAuthError(exchange(code: code, verifier: verifier, now: t0 + 600), "invalid_grant")
    }

    func testCodeStillValidJustBeforeExpiry() {
        let (code, verifier) = codeAndVerifier()
        XCTAssertEqual(exchange(code: code, verifier: verifier, now: t0 + 599).status, 200)
    }

    func testRejectsUnknownCode() {
        assertOAuthError(exchange(code: "not-a-code", verifier: pkcePair().verifier), "invalid_grant")
    }

    func testRejectsMissingCodeVerifier() {
        let (code, _) = codeAndVerifier()
        let response = issuer.handle(post("/oauth/token", [("grant_type", "authorization_code"), ("code", code),
                                                            ("redirect_uri", webRedirect)],
                                          headers: [basic("web", "web-secret")]), now: t0)
        assertOAuthError(response, "invalid_request")
    }
}
