import XCTest
@testable import DevIssuer

/// `token_format: opaque` clients (issue 13): random access tokens the issuer remembers by digest,
/// described by its introspection endpoint, revocable there.
final class OpaqueAccessTokenTests: XCTestCase {
    private var issuer: DevIssuer!

    override func setUpWithError() throws {
        var configuration = makeConfiguration()
        configuration.clients.append(DevClient(id: "opaque-svc", secret: "opaque-secret", grantTypes: [.clientCredentials],
                                               scopes: ["read:port_calls"], tokenFormat: .opaque))
        issuer = try DevIssuer(configuration: configuration)
    }

    private func opaqueToken() throws -> String {
        try XCTUnwrap(json(issuer.handle(post("/oauth/token", [("grant_type", "client_credentials")],
                                               headers: [basic("opaque-svc", "opaque-secret")]), now: t0))["access_token"] as? String)
    }

    private func introspect(_ token: String, now: Int64 = t0 + 1) -> [String: Any] {
        json(issuer.handle(post("/oauth/introspect", [("token", token)], headers: [basic("service", "s3cret+/=value")]), now: now))
    }

    func testOpaqueTokenIsNotAJWTAndIntrospectsActive() throws {
        let token = try opaqueToken()
        XCTAssertTrue(token.hasPrefix("dev_at_"))
        XCTAssertFalse(token.contains("."), "never mistaken for a compact JWS")
        let body = introspect(token)
        XCTAssertEqual(body["active"] as? Bool, true)
        XCTAssertEqual(body["client_id"] as? String, "opaque-svc")
        XCTAssertEqual(body["sub"] as? String, "opaque-svc")
        XCTAssertEqual(body["scope"] as? String, "read:port_calls")
        XCTAssertEqual(body["aud"] as? String, "portcullis-demo")
        XCTAssertEqual(body["iss"] as? String, "http://127.0.0.1:9000")
        XCTAssertEqual(body["exp"] as? Int, Int(t0) + 3600)
        XCTAssertEqual(introspect(token, now: t0 + 3600)["active"] as? Bool, false, "expired")
        XCTAssertEqual(introspect(token + "x")["active"] as? Bool, false)
    }

    func testRevokedOpaqueTokenIntrospectsInactive() throws {
        let token = try opaqueToken()
        let revoke = issuer.handle(post("/oauth/revoke", [("token", token)], headers: [basic("opaque-svc", "opaque-secret")]), now: t0 + 1)
        XCTAssertEqual(revoke.status, 200)
        XCTAssertEqual(introspect(token, now: t0 + 2)["active"] as? Bool, false)
    }

    func testAnotherClientCannotRevokeIt() throws {
        let token = try opaqueToken()
        _ = issuer.handle(post("/oauth/revoke", [("token", token)], headers: [basic("service", "s3cret+/=value")]), now: t0 + 1)
        XCTAssertEqual(introspect(token, now: t0 + 2)["active"] as? Bool, true)
    }
}
