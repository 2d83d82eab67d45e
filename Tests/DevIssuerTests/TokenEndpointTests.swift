import Foundation
import XCTest
import JOSE
@testable import DevIssuer
import TextCoding

/// `POST /oauth/token`: client authentication, grant selection, client credentials, body formats.
final class TokenEndpointTests: XCTestCase {
    private var issuer: DevIssuer!

    override func setUpWithError() throws {
        issuer = try makeIssuer()
    }

    func testClientCredentialsWithSecretPostIssuesVerifiableAccessToken() throws {
        let response = issuer.handle(post("/oauth/token", [("grant_type", "client_credentials"), ("client_id", "service"),
                                                            ("client_secret", "s3cret+/=value"), ("scope", "read:vessels")]),
                                     now: t0)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Cache-Control"), "no-store")
        XCTAssertEqual(response.header("Content-Type"), "application/json")
        let body = json(response)
        XCTAssertEqual(body["token_type"] as? String, "Bearer")
        XCTAssertEqual(body["expires_in"] as? Int, 3600)
        XCTAssertEqual(body["scope"] as? String, "read:vessels")
        XCTAssertNil(body["refresh_token"], "client_credentials never gets a refresh token")
        let token = try XCTUnwrap(body["access_token"] as? String)
        XCTAssertTrue(signatureVerifies(token, issuer: issuer))
        let parts = try XCTUnwrap(jwtParts(token))
        XCTAssertEqual(parts.header["typ"] as? String, "at+jwt")
        XCTAssertEqual(parts.header["alg"] as? String, "RS256")
        XCTAssertNotNil(parts.header["kid"] as? String)
        XCTAssertEqual(parts.claims["iss"] as? String, "http://127.0.0.1:9000")
        XCTAssertEqual(parts.claims["sub"] as? String, "service")
        XCTAssertEqual(parts.claims["aud"] as? String, "portcullis-demo")
        XCTAssertEqual(parts.claims["client_id"] as? String, "service")
        XCTAssertEqual(parts.claims["scope"] as? String, "read:vessels")
        XCTAssertEqual(parts.claims["iat"] as? Int, Int(t0))
        XCTAssertEqual(parts.claims["exp"] as? Int, Int(t0) + 3600)
        XCTAssertEqual((parts.claims["jti"] as? String)?.count, 22)
    }

    func testTamperedAccessTokenDoesNotVerify() throws {
        let token = try issuer.mintAccessToken(clientID: "service", subject: "service", scopes: ["read:vessels"], now: t0)
        XCTAssertTrue(signatureVerifies(token, issuer: issuer))
        let parts = token.split(separator: ".")
        let forgedClaims = Base64URL.encode(Array(#"{"sub":"admin"}"#.utf8))
        XCTAssertFalse(signatureVerifies(parts[0] + "." + forgedClaims + "." + parts[2], issuer: issuer))
    }

    func testES256ConfigurationSignsWithTheECKey() throws {
        let es = try makeIssuer(algorithm: .es256)
        let response = es.handle(post("/oauth/token", [("grant_type", "client_credentials")],
                                      headers: [basic("service", "s3cret+/=value")]), now: t0)
        let token = try XCTUnwrap(json(response)["access_token"] as? String)
        XCTAssertEqual(jwtParts(token)?.header["alg"] as? String, "ES256")
        XCTAssertEqual(jwtParts(token)?.signature.count, 64)
        XCTAssertTrue(signatureVerifies(token, issuer: es))
    }

    func testClientSecretBasicWithFormEncodedCredentials() {
        let response = issuer.handle(post("/oauth/token", [("grant_type", "client_credentials")],
                                          headers: [basic("service", "s3cret+/=value")]), now: t0)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(json(response)["scope"] as? String, "read:port_calls read:vessels", "absent scope = all allowed")
    }

    func testJSONBodyTokenRequest() {
        let body = #"{"client_id":"service","client_secret":"s3cret+/=value","grant_type":"client_credentials","scope":"read:port_calls"}"#
        let request = DevRequest(method: "POST", path: "/oauth/token",
                                 headers: [("Content-Type", "application/json; charset=utf-8")], body: Array(body.utf8))
        let response = issuer.handle(request, now: t0)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(json(response)["scope"] as? String, "read:port_calls")
    }

    func testRejectsJSONBodyWithNonStringMember() {
        let request = DevRequest(method: "POST", path: "/oauth/token", headers: [("Content-Type", "application/json")],
                                 body: Array(#"{"grant_type":"client_credentials","client_id":["service"]}"#.utf8))
        assertOAuthError(issuer.handle(request, now: t0), "invalid_request")
    }

    func testRejectsJSONBodyWithRepeatedMember_ParameterPollution() {
        // Foundation's JSONSerialization kept the last `scope`; a repeat is now refused like a repeated form field.
        let body = #"{"client_id":"service","client_secret":"s3cret+/=value","grant_type":"client_credentials","scope":"read:port_calls","scope":"admin"}"#
        let request = DevRequest(method: "POST", path: "/oauth/token", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        assertOAuthError(issuer.handle(request, now: t0), "invalid_request")
    }

    func testRejectsBadClientSecretPost() {
        let response = issuer.handle(post("/oauth/token", [("grant_type", "client_credentials"), ("client_id", "service"),
                                                            ("client_secret", "wrong")]), now: t0)
        assertOAuthError(response, "invalid_client", status: 401)
        XCTAssertNil(response.header("WWW-Authenticate"), "no Basic challenge when Basic was not used")
        XCTAssertFalse(String(decoding: response.body, as: UTF8.self).contains("wrong"), "never echo a secret")
    }

    func testRejectsBadClientSecretBasic() {
        let response = issuer.handle(post("/oauth/token", [("grant_type", "client_credentials")],
                                          headers: [basic("service", "wrong")]), now: t0)
        assertOAuthError(response, "invalid_client", status: 401)
        XCTAssertEqual(response.header("WWW-Authenticate"), #"Basic realm="http://127.0.0.1:9000""#)
    }

    func testRejectsMalformedBasicCredentials() {
        let response = issuer.handle(post("/oauth/token", [("grant_type", "client_credentials")],
                                          headers: [("Authorization", "Basic !!!notbase64")]), now: t0)
        assertOAuthError(response, "invalid_client", status: 401)
        XCTAssertNotNil(response.header("WWW-Authenticate"))
    }

    func testRejectsUnknownClient() {
        assertOAuthError(issuer.handle(post("/oauth/token", [("grant_type", "client_credentials"), ("client_id", "nobody"),
                                                              ("client_secret", "x")]), now: t0), "invalid_client", status: 401)
    }

    func testRejectsMissingClientAuthentication() {
        assertOAuthError(issuer.handle(post("/oauth/token", [("grant_type", "client_credentials")]), now: t0),
                         "invalid_client", status: 401)
    }

    func testRejectsBothBasicAndPostAuthentication() {
        let response = issuer.handle(post("/oauth/token", [("grant_type", "client_credentials"),
                                                            ("client_secret", "s3cret+/=value")],
                                          headers: [basic("service", "s3cret+/=value")]), now: t0)
        assertOAuthError(response, "invalid_request")
    }

    func testRejectsPublicClientPresentingASecret() {
        assertOAuthError(issuer.handle(post("/oauth/token", [("grant_type", "refresh_token"), ("client_id", "spa"),
                                                              ("client_secret", "guess"), ("refresh_token", "x")]), now: t0),
                         "invalid_client", status: 401)
    }

    func testRejectsScopeNotAllowed() {
        assertOAuthError(issuer.handle(post("/oauth/token", [("grant_type", "client_credentials"), ("scope", "read:vessels admin")],
                                            headers: [basic("service", "s3cret+/=value")]), now: t0), "invalid_scope")
    }

    func testRejectsPublicClientWithClientCredentials() {
        assertOAuthError(issuer.handle(post("/oauth/token", [("grant_type", "client_credentials"), ("client_id", "spa")]),
                                       now: t0), "unauthorized_client")
    }

    func testConfigurationRejectsPublicClientRegisteredForClientCredentials() {
        var configuration = makeConfiguration()
        configuration.clients.append(DevClient(id: "bad", secret: nil, grantTypes: [.clientCredentials], scopes: []))
        XCTAssertThrowsError(try DevIssuer(configuration: configuration)) {
            XCTAssertEqual(($0 as? DevIssuerConfigurationError)?.code, .publicClientCredentials)
        }
    }

    func testRejectsGrantNotAllowedForClient() {
        assertOAuthError(issuer.handle(post("/oauth/token", [("grant_type", "client_credentials"), ("client_id", "web"),
                                                              ("client_secret", "web-secret")]), now: t0), "unauthorized_client")
    }

    func testRejectsUnknownGrantType() {
        assertOAuthError(issuer.handle(post("/oauth/token", [("grant_type", "password"), ("username", "u")],
                                            headers: [basic("service", "s3cret+/=value")]), now: t0), "unsupported_grant_type")
    }

    func testRejectsMissingGrantType() {
        assertOAuthError(issuer.handle(post("/oauth/token", [], headers: [basic("service", "s3cret+/=value")]), now: t0),
                         "invalid_request")
    }

    func testRejectsRepeatedParameter() {
        let request = DevRequest(method: "POST", path: "/oauth/token",
                                 headers: [("Content-Type", "application/x-www-form-urlencoded"), basic("service", "s3cret+/=value")],
                                 body: Array("grant_type=client_credentials&scope=read:vessels&scope=read:port_calls".utf8))
        assertOAuthError(issuer.handle(request, now: t0), "invalid_request")
    }

    func testRejectsUnsupportedContentType() {
        let request = DevRequest(method: "POST", path: "/oauth/token", headers: [("Content-Type", "text/plain")],
                                 body: Array("grant_type=client_credentials".utf8))
        assertOAuthError(issuer.handle(request, now: t0), "invalid_request")
    }

    func testRejectsMalformedPercentEncoding() {
        let request = DevRequest(method: "POST", path: "/oauth/token",
                                 headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                 body: Array("grant_type=client%zzcredentials".utf8))
        assertOAuthError(issuer.handle(request, now: t0), "invalid_request")
    }

    func testTokenEndpointOnlyAcceptsPost() {
        let response = issuer.handle(get("/oauth/token"), now: t0)
        XCTAssertEqual(response.status, 405)
        XCTAssertEqual(response.header("Allow"), "POST")
    }

    func testFormDecodingHandlesPlusAndPercent() {
        let pairs = FormEncoding.decodePairs(Array("a=x+y%2Bz&b=%C3%A9&c".utf8))
        XCTAssertEqual(pairs?.map(\.0), ["a", "b", "c"])
        XCTAssertEqual(pairs?.map(\.1), ["x y+z", "é", ""])
        XCTAssertNil(FormEncoding.decodePairs(Array("a=%ff".utf8)), "invalid UTF-8 is refused")
    }
}
