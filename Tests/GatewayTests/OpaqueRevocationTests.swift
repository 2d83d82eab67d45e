import Foundation
import XCTest
import IO
import DevIssuer
@testable import Gateway

/// The development issuer's opaque tokens through the gateway (issue 13): accepted by introspection,
/// and a revocation takes effect at the gateway once the cached introspection answer expires
/// (`cache_ttl_seconds`), not before — exactly what the README promises.
final class OpaqueRevocationTests: XCTestCase {
    static let issuer = "https://dev-opaque.test"
    var group: EventLoopGroup!
    var devServer: LocalServer!
    var dev: DevIssuerService!
    var fixture: AuthGatewayFixture!
    var secretFile = ""
    let clock = AuthTestClock()

    override func setUpWithError() throws {
        let configuration = DevIssuerConfiguration(
            issuer: Self.issuer, audience: AuthKeys.audience, user: DevUser(sub: "u", name: "U", email: "u@example.com"),
            clients: [DevClient(id: "opaque-svc", secret: "opaque-secret", grantTypes: [.clientCredentials],
                                scopes: ["read:port_calls"], tokenFormat: .opaque),
                      DevClient(id: "portcullis", secret: "introspection-secret", grantTypes: [.clientCredentials], scopes: [])])
        dev = DevIssuerService(issuer: try DevIssuer(configuration: configuration), clock: clock)
        group = EventLoopGroup(count: 1)
        devServer = LocalServer(service: dev, group: group)
        let port = try devServer.start(listen: SocketAddress(host: "127.0.0.1", port: 0)!)
        secretFile = NSTemporaryDirectory() + "opaque-secret-\(UUID().uuidString)"
        try Data("introspection-secret".utf8).write(to: URL(fileURLWithPath: secretFile))
        let spec = AuthIssuerSpec(issuer: Self.issuer, path: "/none", document: nil, extra: """
            "introspection": { "endpoint": "http://127.0.0.1:\(port)/oauth/introspect", "client_id": "portcullis",
                               "client_secret_file": "\(secretFile)", "auth_method": "client_secret_post", "cache_ttl_seconds": 60 },
            """, keySource: false)
        fixture = try AuthGatewayFixture(issuers: AuthIssuerSpec.standard + [spec])
    }

    override func tearDown() {
        fixture?.stop()
        devServer?.stop()
        group?.shutdown()
        try? FileManager.default.removeItem(atPath: secretFile)
    }

    private func devPost(_ path: String, _ form: String) -> LocalResponse {
        var headers = HTTPHeadersForTests.form
        headers.append("Content-Length", String(form.utf8.count))
        return dev.handle(LocalRequest(method: "POST", path: path, query: "", headers: headers, body: Array(form.utf8), peer: "127.0.0.1"))
    }

    func testRevokedOpaqueTokenStopsWorkingWithinTheCacheTTL() throws {
        let minted = devPost("/oauth/token", "grant_type=client_credentials&client_id=opaque-svc&client_secret=opaque-secret")
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(minted.body)) as? [String: Any])
        let token = try XCTUnwrap(body["access_token"] as? String)
        // The fixture's gateway has its own clock: move both together.
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: token)?.status, 200)
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Client-Id"), ["opaque-svc"])

        XCTAssertEqual(devPost("/oauth/revoke", "token=\(token)&client_id=opaque-svc&client_secret=opaque-secret").status, 200)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: token)?.status, 200,
                       "within cache_ttl_seconds the cached answer still admits the revoked token")
        fixture.clock.advance(seconds: 61)
        clock.advance(seconds: 61)
        let after = fixture.send("GET", "/v1/port-calls/1", token: token)
        XCTAssertEqual(after?.status, 401, "after cache_ttl_seconds the revocation is seen")
        XCTAssertEqual(after?.json?["error_description"] as? String, "token is not active")
    }
}
