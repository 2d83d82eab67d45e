import Foundation
import XCTest
import Config
import JOSE
import PortcullisCrypto
@testable import Gateway

/// End-to-end personal access tokens (issue 13): a table of SHA-256 digests read from a file,
/// accepted with their scopes (`sub` = subject, `client_id` = name), refused when expired or
/// unknown, selectable per route through `issuers`, re-read by the reload hook.
final class PersonalAccessTokenTests: XCTestCase {
    var fixture: AuthGatewayFixture!
    var file = ""
    let deploy = "pcl_pat_" + String(repeating: "A", count: 40) + "deploy"
    let expired = "pcl_pat_" + String(repeating: "B", count: 40) + "expird"
    let reader = "pcl_pat_" + String(repeating: "C", count: 40) + "reader"

    static let routes = AuthRoutes.standard + """
    ,
    { "methods": ["GET"], "path": "/v1/pat-only/**", "upstream": "api", "issuers": ["personal_access_tokens"] }
    """

    static func sha256Hex(_ token: String) -> String {
        SHA256Digest(hashing: Array(token.utf8)).bytes.map { String(format: "%02x", $0) }.joined()
    }

    func entry(_ name: String, _ token: String, subject: String, scopes: [String], expiresAt: String? = nil) -> String {
        let exp = expiresAt.map { ", \"expires_at\": \"\($0)\"" } ?? ""
        return "{\"name\": \"\(name)\", \"sha256\": \"\(Self.sha256Hex(token))\", \"subject\": \"\(subject)\", \"scopes\": [\(scopes.map { "\"\($0)\"" }.joined(separator: ", "))]\(exp)}"
    }

    func writeTable(_ entries: [String]) throws {
        try Data("{\"tokens\": [\(entries.joined(separator: ",\n"))]}".utf8).write(to: URL(fileURLWithPath: file))
    }

    override func setUpWithError() throws {
        file = NSTemporaryDirectory() + "pats-\(UUID().uuidString).json"
        try writeTable([entry("ci-deploy", deploy, subject: "user-42", scopes: ["read:port_calls", "write:port_calls"],
                              expiresAt: "2099-01-01T00:00:00Z"),
                        entry("old-laptop", expired, subject: "user-7", scopes: ["read:port_calls"], expiresAt: "2020-01-01T00:00:00Z")])
        fixture = try AuthGatewayFixture(routes: Self.routes, extraTopLevel: "\"personal_access_tokens\": {\"file\": \"\(file)\"},")
    }
    override func tearDown() {
        fixture?.stop()
        try? FileManager.default.removeItem(atPath: file)
    }

    func testPersonalAccessTokenIsForwardedWithSubjectNameAndScopes() throws {
        let r = fixture.send("GET", "/v1/port-calls/17", token: deploy)
        XCTAssertEqual(r?.status, 200)
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Subject"), ["user-42"])
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Client-Id"), ["ci-deploy"])
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Scopes"), ["read:port_calls write:port_calls"])
        XCTAssertEqual(fixture.send("GET", "/v1/invoices/inv-1", token: deploy)?.status, 403, "scope rules apply as for JWTs")
    }

    func testExpiredPersonalAccessTokenIsRejected() throws {
        let r = fixture.send("GET", "/v1/port-calls/17", token: expired)
        XCTAssertEqual(r?.status, 401)
        XCTAssertEqual(r?.json?["error"] as? String, "invalid_token")
        XCTAssertEqual(r?.json?["error_description"] as? String, "personal access token expired at 2020-01-01T00:00:00Z")
        XCTAssertFalse(r?.visibleText.contains(expired) ?? true)
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testHashCollidingLookingPrefixIsRejected() throws {
        // Same prefix and all but the last character; the token with a character appended; a
        // truncation; the stored digest itself presented as a token; the digest with the prefix.
        let lookalikes = [String(deploy.dropLast()) + "x", deploy + "x", String(deploy.dropLast()),
                          Self.sha256Hex(deploy), "pcl_pat_" + Self.sha256Hex(deploy), deploy.uppercased()]
        for token in lookalikes {
            let r = fixture.send("GET", "/v1/port-calls/17", token: token)
            XCTAssertEqual(r?.status, 401, token)
            XCTAssertEqual(r?.json?["error"] as? String, "invalid_token", token)
        }
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/17", token: String(deploy.dropLast()) + "x")?
            .json?["error_description"] as? String, "personal access token is not known")
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testRouteIssuersSelectPersonalAccessTokens() throws {
        XCTAssertEqual(fixture.send("GET", "/v1/pat-only/x", token: deploy)?.status, 200)
        let jwt = try AuthKeys.devIssuer.mintAccessToken(clientID: "svc", subject: "alice", scopes: ["read:port_calls"],
                                                         now: fixture.clock.unixSeconds(), alg: .rs256)
        XCTAssertEqual(fixture.send("GET", "/v1/pat-only/x", token: jwt)?.status, 401, "a JWT is not accepted where only PATs are")
        let partner = fixture.send("GET", "/v1/partner/x", token: deploy)
        XCTAssertEqual(partner?.status, 401, "a route naming other issuers excludes PATs")
        XCTAssertEqual(partner?.json?["error_description"] as? String, "issuer not accepted for this route")
    }

    func testReloadHookReReadsTheFileAndKeepsTheTableOnError() throws {
        let table = try XCTUnwrap(fixture.gateway.authorizer.authenticator.personalAccessTokens)
        try writeTable([entry("reader", reader, subject: "user-9", scopes: ["read:port_calls"])])
        XCTAssertEqual(try table.reload(), 1)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: reader)?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: deploy)?.status, 401, "a removed token stops working at reload")
        try Data("{\"tokens\": [{\"name\": \"x\"}]}".utf8).write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try table.reload())
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: reader)?.status, 200, "a bad file keeps the current table")
    }

    func testMintedTokenHasPrefixHighEntropyAndMatchingDigest() throws {
        let a = try PersonalAccessTokenMinter.mint(name: "ci", subject: "user-1", scopes: ["read:port_calls"], expiresAt: 4_000_000_000)
        let b = try PersonalAccessTokenMinter.mint(name: "ci", subject: "user-1", scopes: ["read:port_calls"], expiresAt: nil)
        XCTAssertTrue(a.token.hasPrefix("pcl_pat_"))
        XCTAssertEqual(a.token.count, 8 + 43, "32 random bytes, base64url")
        XCTAssertNotEqual(a.token, b.token)
        XCTAssertEqual(a.entry.sha256.map { String(format: "%02x", $0) }.joined(), Self.sha256Hex(a.token))
        XCTAssertFalse(a.entryJSON.contains(a.token), "the entry holds only the digest")
        XCTAssertTrue(a.entryJSON.contains("\"expires_at\": \"2096-10-02T07:06:40Z\""), a.entryJSON)
        XCTAssertEqual(PersonalAccessTokenMinter.parseDuration("90d"), 90 * 86_400)
        XCTAssertNil(PersonalAccessTokenMinter.parseDuration("-1d"))
        XCTAssertNil(PersonalAccessTokenMinter.parseDuration("1y"))
        XCTAssertThrowsError(try PersonalAccessTokenMinter.mint(name: "ci", subject: "u", scopes: ["bad\"scope"], expiresAt: nil))
    }
}
