import XCTest
@testable import Gateway

/// End-to-end CORS (issue 13): preflights answered by the gateway without a token and never
/// forwarded, refused preflights without any `Access-Control-Allow-*` field, and the allowed
/// origin's fields on every response — the gateway's own 401/403 included.
final class CORSTests: XCTestCase {
    var fixture: AuthGatewayFixture!
    static let app = "https://app.porttask.example"

    static let routes = AuthRoutes.standard + """
    ,
    { "methods": ["GET", "OPTIONS"], "path": "/v1/legacy/**", "upstream": "api", "cors": false },
    { "methods": ["GET"], "path": "/v1/open/**", "upstream": "api", "public": true }
    """
    static let cors = """
    "cors": { "allowed_origins": ["\(app)"], "allowed_headers": ["Authorization", "Content-Type", "DPoP"],
              "exposed_headers": ["X-Request-Id"], "max_age_seconds": 600, "allow_credentials": false },
    """

    override func setUpWithError() throws {
        fixture = try AuthGatewayFixture(routes: Self.routes, extraTopLevel: Self.cors)
    }
    override func tearDown() { fixture?.stop() }

    private func preflight(_ path: String, origin: String = app, method: String = "GET") -> AuthResponse? {
        fixture.send("OPTIONS", path, headers: [("Origin", origin), ("Access-Control-Request-Method", method),
                                                ("Access-Control-Request-Headers", "authorization")])
    }

    private func assertNoAllowFields(_ r: AuthResponse?, file: StaticString = #filePath, line: UInt = #line) {
        let allow = r?.headers.keys.filter { $0.hasPrefix("access-control-allow") } ?? ["(no response)"]
        XCTAssertEqual(allow, [], file: file, line: line)
    }

    func testPreflightFromAllowedOriginIsAnsweredWithoutTokenAndNotForwarded() throws {
        let r = preflight("/v1/port-calls/17", method: "GET")
        XCTAssertEqual(r?.status, 204)
        XCTAssertEqual(r?.headers["access-control-allow-origin"], Self.app)
        XCTAssertEqual(r?.headers["access-control-allow-methods"], "GET")
        XCTAssertEqual(r?.headers["access-control-allow-headers"], "Authorization, Content-Type, DPoP")
        XCTAssertEqual(r?.headers["access-control-max-age"], "600")
        XCTAssertEqual(r?.headers["vary"], "Origin")
        XCTAssertNil(r?.headers["access-control-allow-credentials"])
        XCTAssertNil(r?.headers["content-length"], "a 204 carries no Content-Length")
        XCTAssertEqual(fixture.upstream.requests.count, 0, "a preflight is never forwarded")
    }

    func testPreflightFromDisallowedOriginGetsNoAllowFieldsAndIsNotForwarded() throws {
        for origin in ["https://evil.example", "https://app.porttask.example.evil.example", "null", "HTTPS://APP.PORTTASK.EXAMPLE"] {
            let r = preflight("/v1/port-calls/17", origin: origin)
            XCTAssertEqual(r?.status, 403, origin)
            XCTAssertEqual(r?.json?["error"] as? String, "cors_preflight_rejected", origin)
            assertNoAllowFields(r)
        }
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testPreflightForMethodNoRouteServesGetsNoAllowFieldsAndIsNotForwarded() throws {
        let r = preflight("/v1/port-calls/17", method: "DELETE")
        XCTAssertEqual(r?.status, 403)
        assertNoAllowFields(r)
        let bad = preflight("/v1/port-calls/17", method: "G E T")
        XCTAssertEqual(bad?.status, 403)
        assertNoAllowFields(bad)
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testPlainOptionsWithTokenGoesThroughThePolicy() throws {
        // OPTIONS without Access-Control-Request-Method is not a preflight: no route serves OPTIONS here.
        let token = try AuthKeys.devIssuer.mintAccessToken(clientID: "spa", subject: "alice", scopes: ["read:port_calls"],
                                                           now: fixture.clock.unixSeconds(), alg: .rs256)
        let r = fixture.send("OPTIONS", "/v1/port-calls/17", token: token, headers: [("Origin", Self.app)])
        XCTAssertEqual(r?.status, 405)
        XCTAssertEqual(fixture.upstream.requests.count, 0)
        // A route that serves OPTIONS itself and opted out of CORS: the "preflight" needs a token like any request.
        let legacy = preflight("/v1/legacy/x")
        XCTAssertEqual(legacy?.status, 401)
        assertNoAllowFields(legacy)
        XCTAssertEqual(fixture.send("OPTIONS", "/v1/legacy/x", token: token,
                                    headers: [("Origin", Self.app), ("Access-Control-Request-Method", "GET")])?.status, 200)
        XCTAssertEqual(fixture.upstream.requests.first?.method, "OPTIONS")
    }

    func testGatewayOwnUnauthorizedAndForbiddenCarryCORSFieldsAndExposeChallenge() throws {
        let missing = fixture.send("GET", "/v1/port-calls/17", headers: [("Origin", Self.app)])
        XCTAssertEqual(missing?.status, 401)
        XCTAssertEqual(missing?.headers["access-control-allow-origin"], Self.app)
        XCTAssertEqual(missing?.headers["vary"], "Origin")
        XCTAssertEqual(missing?.headers["access-control-expose-headers"], "WWW-Authenticate, X-Request-Id")
        let token = try AuthKeys.devIssuer.mintAccessToken(clientID: "spa", subject: "alice", scopes: ["read:port_calls"],
                                                           now: fixture.clock.unixSeconds(), alg: .rs256)
        let forbidden = fixture.send("GET", "/v1/invoices/inv-1", token: token, headers: [("Origin", Self.app)])
        XCTAssertEqual(forbidden?.status, 403)
        XCTAssertEqual(forbidden?.headers["access-control-allow-origin"], Self.app)
        let notFound = fixture.send("GET", "/nowhere", headers: [("Origin", Self.app)])
        XCTAssertEqual(notFound?.headers["access-control-allow-origin"], Self.app)
    }

    func testForwardedResponseGetsAllowedOriginAndUpstreamWildcardIsDropped() throws {
        let r = fixture.send("GET", "/v1/open/cors-star", headers: [("Origin", Self.app)])
        XCTAssertEqual(r?.status, 200)
        XCTAssertEqual(r?.headers["access-control-allow-origin"], Self.app, "the upstream's * never reaches the browser")
        XCTAssertEqual(r?.headers["vary"], "Accept, Origin")
        let evil = fixture.send("GET", "/v1/open/cors-star", headers: [("Origin", "https://evil.example")])
        XCTAssertEqual(evil?.status, 200)
        assertNoAllowFields(evil)
        XCTAssertNil(evil?.headers["access-control-allow-origin"])
    }

    func testRequestsWithoutOriginOrFromOptedOutRoutesGetNoCORSFields() throws {
        XCTAssertNil(fixture.send("GET", "/v1/status")?.headers["access-control-allow-origin"])
        XCTAssertNil(fixture.send("GET", "/v1/legacy/x", headers: [("Origin", Self.app)])?.headers["access-control-allow-origin"])
    }
}
