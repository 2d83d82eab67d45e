import XCTest
import DevIssuer
@testable import Gateway

/// End-to-end: valid tokens through the whole gateway (real sockets, config → `RunningGateway`),
/// identity headers to the upstream, and the per-route options that change what the upstream sees.
final class AuthValidTokenTests: XCTestCase {
    var fixture: AuthGatewayFixture!

    override func setUpWithError() throws { fixture = try AuthGatewayFixture() }
    override func tearDown() { fixture?.stop() }

    private var now: Int64 { fixture.clock.unixSeconds() }

    private func devToken(scopes: [String], alg: AccessTokenAlgorithm = .rs256, subject: String = "alice") throws -> String {
        try AuthKeys.devIssuer.mintAccessToken(clientID: "porttask-cli", subject: subject, scopes: scopes, now: now, alg: alg)
    }

    private func assertForwardedWithIdentity(_ token: String, subject: String, scopes: String,
                                             file: StaticString = #filePath, line: UInt = #line) {
        let r = fixture.send("GET", "/v1/port-calls/17?page=2", token: token)
        XCTAssertEqual(r?.status, 200, file: file, line: line)
        let seen = fixture.upstream.requests
        XCTAssertEqual(seen.count, 1, file: file, line: line)
        XCTAssertEqual(seen.first?.target, "/v1/port-calls/17?page=2", file: file, line: line)
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Subject"), [subject], file: file, line: line)
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Client-Id"), ["porttask-cli"], file: file, line: line)
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Scopes"), [scopes], file: file, line: line)
        XCTAssertEqual(fixture.upstreamHeader("Authorization"), ["Bearer \(token)"], "forwarded by default", file: file, line: line)
    }

    func testValidRS256TokenFromDevIssuerIsForwardedWithIdentityHeaders() throws {
        assertForwardedWithIdentity(try devToken(scopes: ["read:port_calls", "write:invoices"]),
                                    subject: "alice", scopes: "read:port_calls write:invoices")
    }

    func testValidES256TokenFromDevIssuerIsForwardedWithIdentityHeaders() throws {
        assertForwardedWithIdentity(try devToken(scopes: ["read:port_calls"], alg: .es256, subject: "bob"),
                                    subject: "bob", scopes: "read:port_calls")
    }

    /// The identity lines are serialized once, when the token is verified, and kept with it in the
    /// verified-token cache: a cache hit must carry the same lines, and the client's copies must
    /// still be dropped.
    func testCacheHitCarriesTheSameIdentityHeaders() throws {
        let token = try devToken(scopes: ["read:port_calls"], subject: "carol")
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: token)?.status, 200)
        let r = fixture.send("GET", "/v1/port-calls/2", headers: [("Authorization", "Bearer \(token)"), ("X-Auth-Subject", "mallory")])
        XCTAssertEqual(r?.status, 200)
        XCTAssertEqual(fixture.upstream.requests.count, 2)
        for index in 0..<2 {
            XCTAssertEqual(fixture.upstreamHeader("X-Auth-Subject", request: index), ["carol"], "request \(index)")
            XCTAssertEqual(fixture.upstreamHeader("X-Auth-Client-Id", request: index), ["porttask-cli"], "request \(index)")
            XCTAssertEqual(fixture.upstreamHeader("X-Auth-Scopes", request: index), ["read:port_calls"], "request \(index)")
        }
    }

    func testBearerSchemeIsCaseInsensitive() throws {
        let token = try devToken(scopes: ["read:port_calls"])
        let r = fixture.send("GET", "/v1/port-calls/1", headers: [("Authorization", "bearer \(token)")])
        XCTAssertEqual(r?.status, 200)
    }

    func testClientSentIdentityHeadersAreReplacedOnProtectedRoutes() throws {
        let token = try devToken(scopes: ["read:port_calls"])
        let r = fixture.send("GET", "/v1/port-calls/1", token: token, headers: [
            ("X-Auth-Subject", "root"), ("x-auth-client-id", "evil"), ("X-AUTH-SCOPES", "admin"), ("X-Auth-Subject", "root2"),
        ])
        XCTAssertEqual(r?.status, 200)
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Subject"), ["alice"])
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Client-Id"), ["porttask-cli"])
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Scopes"), ["read:port_calls"])
    }

    func testClientSentIdentityHeadersAreStrippedOnPublicRoutes() throws {
        let r = fixture.send("GET", "/v1/status", headers: [
            ("X-Auth-Subject", "root"), ("x-auth-client-id", "evil"), ("X-AUTH-SCOPES", "admin"), ("X-Other", "kept"),
        ])
        XCTAssertEqual(r?.status, 200)
        XCTAssertEqual(fixture.upstream.requests.count, 1)
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Subject"), [])
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Client-Id"), [])
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Scopes"), [])
        XCTAssertEqual(fixture.upstreamHeader("X-Other"), ["kept"], "other headers pass")
    }

    func testSuperuserScopeAdminSatisfiesEveryRequirement() throws {
        let token = try devToken(scopes: ["admin"])
        XCTAssertEqual(fixture.send("GET", "/v1/admin/users", token: token)?.status, 200)
        XCTAssertEqual(fixture.send("POST", "/v1/port-calls/9", token: token)?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/v1/ledger/2024", token: token)?.status, 200)
        XCTAssertEqual(fixture.upstream.requests.map(\.target), ["/v1/admin/users", "/v1/port-calls/9", "/v1/ledger/2024"])
    }

    func testScopeAliasGrantsTheCanonicalScope() throws {
        let token = try devToken(scopes: ["port-calls:read"])
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/3", token: token)?.status, 200)
        XCTAssertEqual(fixture.upstream.requests.count, 1)
        let write = fixture.send("POST", "/v1/port-calls/3", token: token)
        assertBearerError(write, status: 403, error: "insufficient_scope")
        XCTAssertEqual(fixture.upstream.requests.count, 1, "the alias grants read only")
    }

    func testAnyScopesAcceptsEitherListedScope() throws {
        XCTAssertEqual(fixture.send("GET", "/v1/invoices/42", token: try devToken(scopes: ["read:invoices"]))?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/v1/invoices/42", token: try devToken(scopes: ["write:invoices"]))?.status, 200)
        XCTAssertEqual(fixture.upstream.requests.count, 2)
    }

    func testAllScopesAndAnyScopesTogether() throws {
        XCTAssertEqual(fixture.send("GET", "/v1/ledger/1", token: try devToken(scopes: ["read:ledger", "region:us"]))?.status, 200)
        let missingAny = fixture.send("GET", "/v1/ledger/1", token: try devToken(scopes: ["read:ledger"]))
        let challenge = assertBearerError(missingAny, status: 403, error: "insufficient_scope")
        XCTAssertEqual(challenge?["scope"], "read:ledger region:eu")
        XCTAssertEqual(fixture.upstream.requests.count, 1)
    }

    func testProtectedRouteWithoutScopesAcceptsAnyValidToken() throws {
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: try devToken(scopes: []))?.status, 200)
        assertBareChallenge(fixture.send("GET", "/v1/me"))
        XCTAssertEqual(fixture.upstream.requests.count, 1)
    }

    func testRouteIssuersRestrictionAcceptsTheListedIssuer() throws {
        let header = AuthTokenForge.json([("alg", "\"ES256\""), ("kid", "\"\(AuthKeys.issuerBKid)\"")])
        let claims = AuthTokenForge.claims(now: now, iss: AuthKeys.issuerB, sub: "partner-1")
        let token = AuthTokenForge.signed(header: header, claims: claims, key: AuthKeys.issuerBEC, alg: .es256)
        XCTAssertEqual(fixture.send("GET", "/v1/partner/feed", token: token)?.status, 200)
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Subject"), ["partner-1"])
    }

    func testRouteIssuersRestrictionRejectsAnotherIssuersValidToken() throws {
        let token = try devToken(scopes: ["admin"])
        assertRejected(fixture.send("GET", "/v1/partner/feed", token: token), token: token, by: fixture,
                       descriptionContains: "issuer not accepted")
    }

    func testForwardAuthorizationFalseStripsAuthorizationUpstream() throws {
        let token = try devToken(scopes: [])
        XCTAssertEqual(fixture.send("GET", "/v1/opaque/x", token: token)?.status, 200)
        XCTAssertEqual(fixture.upstreamHeader("Authorization"), [])
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Subject"), ["alice"], "identity still goes upstream")
    }

    func testStripPrefixRemovesTheLiteralPrefixBeforeForwarding() throws {
        let token = try devToken(scopes: [])
        XCTAssertEqual(fixture.send("GET", "/api/v2/things?x=1", token: token)?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/api", token: token)?.status, 200)
        XCTAssertEqual(fixture.upstream.requests.map(\.target), ["/v2/things?x=1", "/"])
    }

    func testTokenWithoutKidIsAcceptedWhenExactlyOneIssuerKeyFits() throws {
        let claims = AuthTokenForge.claims(now: now, iss: AuthKeys.issuerB)
        let token = AuthTokenForge.signed(header: "{\"alg\":\"ES256\"}", claims: claims, key: AuthKeys.issuerBEC, alg: .es256)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: token)?.status, 200)
    }

    func testIdentityHeaderValuesCannotInjectHeaderLines() {
        // A signed claim carrying CR LF (JSON "\r\n") or NUL must not split the upstream request head.
        let claims = AuthTokenForge.claims(now: now, sub: "alice\\r\\nX-Injected: 1", clientID: "c\\u0000d")
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: AuthTokenForge.rsaToken(now: now, claims: claims))?.status, 200)
        XCTAssertEqual(fixture.upstreamHeader("X-Injected"), [])
        let subject = fixture.upstreamHeader("X-Auth-Subject")
        XCTAssertEqual(subject.count, 1)
        XCTAssertFalse(subject.joined().utf8.contains { $0 < 0x20 || $0 == 0x7F }, "no control bytes: \(subject)")
        XCTAssertFalse(fixture.upstreamHeader("X-Auth-Client-Id").joined().utf8.contains(0))
    }

    func testAuthorizationDoesNotCarryOverToTheNextRequestOnAConnection() throws {
        let token = try devToken(scopes: ["read:port_calls"])
        let socket = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
        defer { socket.close() }
        socket.write("GET /v1/port-calls/1 HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer \(token)\r\n\r\n")
        XCTAssertEqual(socket.readResponse()?.status, 200)
        socket.write("GET /v1/port-calls/2 HTTP/1.1\r\nHost: g\r\nX-Auth-Subject: alice\r\n\r\n")
        let second = socket.readResponse()
        assertBareChallenge(second.map { AuthResponse(status: $0.status, headers: $0.headers, body: $0.body) })
        XCTAssertEqual(fixture.upstream.requests.map(\.target), ["/v1/port-calls/1"])
    }

    func testPipelinedResponsesStayInOrderWhenOneWaitsForAJWKSRefresh() throws {
        let valid = AuthTokenForge.rsaToken(now: now)
        let unknownKid = AuthTokenForge.rsaToken(now: now, header: AuthTokenForge.rsaHeader(kid: "not-published"))
        let socket = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
        defer { socket.close() }
        socket.write("GET /v1/me?n=1 HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer \(unknownKid)\r\n\r\n"
                     + "GET /v1/me?n=2 HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer \(valid)\r\n\r\n"
                     + "GET /v1/me?n=3 HTTP/1.1\r\nHost: g\r\n\r\n")
        let answers = (0..<3).map { _ in socket.readResponse() }
        XCTAssertEqual(answers.map { $0?.status ?? -1 }, [401, 200, 401])
        XCTAssertTrue(String(decoding: answers[1]?.body ?? [], as: UTF8.self).contains("/v1/me?n=2"), "the 200 is request 2's")
        XCTAssertEqual(fixture.upstream.requests.map(\.target), ["/v1/me?n=2"])
        XCTAssertEqual(fixture.jwksFetches(), 2, "the unknown kid cost one refresh")
    }
}
