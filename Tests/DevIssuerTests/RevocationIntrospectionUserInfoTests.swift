import XCTest
import JOSE
@testable import DevIssuer
import TextCoding

/// RFC 7009 revocation, RFC 7662 introspection, userinfo.
final class RevocationIntrospectionUserInfoTests: XCTestCase {
    private var issuer: DevIssuer!

    override func setUpWithError() throws {
        issuer = try makeIssuer()
    }

    private func introspect(_ token: String, client: (name: String, value: String) = basic("web", "web-secret"),
                            now: Int64 = t0 + 1) -> DevResponse {
        issuer.handle(post("/oauth/introspect", [("token", token)], headers: [client]), now: now)
    }

    private func userInfo(_ authorization: String?, now: Int64 = t0 + 1) -> DevResponse {
        issuer.handle(get("/oauth/userinfo", headers: authorization.map { [("Authorization", $0)] } ?? []), now: now)
    }

    private func serviceToken() throws -> String {
        try XCTUnwrap(json(issuer.handle(post("/oauth/token", [("grant_type", "client_credentials")],
                                               headers: [basic("service", "s3cret+/=value")]), now: t0))["access_token"] as? String)
    }

    func testIntrospectActiveAccessToken() throws {
        let token = try serviceToken()
        let body = json(introspect(token))
        XCTAssertEqual(body["active"] as? Bool, true)
        XCTAssertEqual(body["client_id"] as? String, "service")
        XCTAssertEqual(body["scope"] as? String, "read:port_calls read:vessels")
        XCTAssertEqual(body["exp"] as? Int, Int(t0) + 3600)
        XCTAssertEqual(body["token_type"] as? String, "Bearer")
    }

    func testIntrospectInactiveForExpiredGarbageAndForeignTokens() throws {
        let token = try serviceToken()
        XCTAssertEqual(json(introspect(token, now: t0 + 3600))["active"] as? Bool, false)
        XCTAssertEqual(json(introspect("garbage"))["active"] as? Bool, false)
        let foreign = try DevIssuer(configuration: {
            var c = makeConfiguration(); c.keysDirectory = nil; return c
        }())
        let foreignToken = try foreign.mintAccessToken(clientID: "service", subject: "service", scopes: [], now: t0)
        XCTAssertEqual(json(introspect(foreignToken))["active"] as? Bool, false, "signed by another issuer's key")
    }

    func testIntrospectRequiresClientAuthentication() throws {
        let token = try serviceToken()
        assertOAuthError(issuer.handle(post("/oauth/introspect", [("token", token)]), now: t0), "invalid_client", status: 401)
        assertOAuthError(introspect(token, client: basic("web", "bad")), "invalid_client", status: 401)
    }

    func testRevokeAccessToken() throws {
        let token = try serviceToken()
        let response = issuer.handle(post("/oauth/revoke", [("token", token), ("token_type_hint", "access_token")],
                                          headers: [basic("service", "s3cret+/=value")]), now: t0 + 1)
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(response.body.isEmpty)
        XCTAssertEqual(json(introspect(token, now: t0 + 2))["active"] as? Bool, false)
    }

    func testRevokeByAnotherClientIsIgnored() throws {
        let token = try serviceToken()
        XCTAssertEqual(issuer.handle(post("/oauth/revoke", [("token", token)], headers: [basic("web", "web-secret")]),
                                     now: t0 + 1).status, 200)
        XCTAssertEqual(json(introspect(token, now: t0 + 2))["active"] as? Bool, true)
    }

    func testRevokeRefreshTokenRevokesFamily() throws {
        let body = json(issuer.codeFlow())
        let refresh = try XCTUnwrap(body["refresh_token"] as? String)
        let access = try XCTUnwrap(body["access_token"] as? String)
        XCTAssertEqual(issuer.handle(post("/oauth/revoke", [("token", refresh)], headers: [basic("web", "web-secret")]),
                                     now: t0 + 1).status, 200)
        XCTAssertEqual(json(introspect(refresh, now: t0 + 2))["active"] as? Bool, false)
        XCTAssertEqual(json(introspect(access, now: t0 + 2))["active"] as? Bool, false)
        assertOAuthError(issuer.handle(post("/oauth/token", [("grant_type", "refresh_token"), ("refresh_token", refresh)],
                                            headers: [basic("web", "web-secret")]), now: t0 + 3), "invalid_grant")
    }

    func testRevokeUnknownTokenIs200() {
        XCTAssertEqual(issuer.handle(post("/oauth/revoke", [("token", "unknown")], headers: [basic("web", "web-secret")]),
                                     now: t0).status, 200)
    }

    func testRevokeRequiresTokenAndClient() {
        assertOAuthError(issuer.handle(post("/oauth/revoke", [], headers: [basic("web", "web-secret")]), now: t0), "invalid_request")
        assertOAuthError(issuer.handle(post("/oauth/revoke", [("token", "x")]), now: t0), "invalid_client", status: 401)
    }

    func testUserInfoReturnsTheDevelopmentUser() throws {
        let access = try XCTUnwrap(json(issuer.codeFlow())["access_token"] as? String)
        let response = userInfo("Bearer " + access)
        XCTAssertEqual(response.status, 200)
        let body = json(response)
        XCTAssertEqual(body["sub"] as? String, "dev-user-1")
        XCTAssertEqual(body["name"] as? String, "Dev <User>")
        XCTAssertEqual(body["email"] as? String, "dev@example.com")
    }

    func testUserInfoWithoutTokenAsksForBearer() {
        let response = userInfo(nil)
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(response.header("WWW-Authenticate"), #"Bearer realm="http://127.0.0.1:9000""#)
    }

    func testUserInfoRejectsInvalidExpiredAndRevokedTokens() throws {
        let access = try XCTUnwrap(json(issuer.codeFlow())["access_token"] as? String)
        for (authorization, now) in [("Bearer garbage", t0), ("Bearer " + access, t0 + 3600), ("Basic " + access, t0)] {
            let response = userInfo(authorization, now: now)
            XCTAssertEqual(response.status, 401)
            XCTAssertEqual(response.header("WWW-Authenticate"), #"Bearer realm="http://127.0.0.1:9000", error="invalid_token""#)
        }
        _ = issuer.handle(post("/oauth/revoke", [("token", access)], headers: [basic("web", "web-secret")]), now: t0 + 1)
        XCTAssertEqual(userInfo("Bearer " + access, now: t0 + 2).status, 401)
    }

    func testRejectsAlgNone() throws {
        let access = try issuer.mintAccessToken(clientID: "web", subject: "dev-user-1", scopes: [], now: t0)
        let segments = access.split(separator: ".").map(String.init)
        let header = Base64URL.encode(Array(#"{"alg":"none","typ":"at+jwt"}"#.utf8))
        let unsigned: String = [header, segments[1], ""].joined(separator: ".")
        XCTAssertEqual(userInfo("Bearer " + access).status, 200, "control: the original verifies")
        XCTAssertEqual(userInfo("Bearer " + unsigned).status, 401)
    }

    func testRejectsAlgorithmSwapOnKnownKid() throws {
        let access = try issuer.mintAccessToken(clientID: "web", subject: "dev-user-1", scopes: [], now: t0, alg: .rs256)
        let parts = try XCTUnwrap(jwtParts(access))
        let kid = try XCTUnwrap(parts.header["kid"] as? String)
        let header = Base64URL.encode(Array(#"{"alg":"ES256","kid":"\#(kid)","typ":"at+jwt"}"#.utf8))
        let segments = access.split(separator: ".").map(String.init)
        let swapped: String = [header, segments[1], segments[2]].joined(separator: ".")
        XCTAssertEqual(userInfo("Bearer " + swapped).status, 401)
    }

    func testRejectsWrongTyp() throws {
        let access = try issuer.mintAccessToken(clientID: "web", subject: "dev-user-1", scopes: [], now: t0)
        let parts = try XCTUnwrap(jwtParts(access))
        let kid = try XCTUnwrap(parts.header["kid"] as? String)
        let header = Base64URL.encode(Array(#"{"alg":"RS256","kid":"\#(kid)","typ":"JWT"}"#.utf8))
        let segments = access.split(separator: ".").map(String.init)
        let retyped: String = [header, segments[1], segments[2]].joined(separator: ".")
        XCTAssertEqual(userInfo("Bearer " + retyped).status, 401)
    }
}
