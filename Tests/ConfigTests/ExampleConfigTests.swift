import XCTest
import Policy
@testable import Config

final class ExampleConfigTests: XCTestCase {
    /// `config/portcullis.json`, found relative to this file.
    static var examplePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/portcullis.json").path
    }

    func testEmbeddedDefaultConfigLoads() throws {
        let config = try ConfigLoader.load(path: Self.examplePath, environment: [:])
        XCTAssertEqual(config.listen, ListenAddress(host: "127.0.0.1", port: 8080))
        XCTAssertEqual(config.demoAPI?.listen, ListenAddress(host: "127.0.0.1", port: 9100))
        XCTAssertEqual(config.upstreams["demo"]?.targets, [UpstreamTarget(host: "127.0.0.1", port: 9100)])
        XCTAssertEqual(config.issuers.count, 1)
        let issuer = try XCTUnwrap(config.issuers.first)
        XCTAssertEqual(issuer.issuer, "http://127.0.0.1:9000")
        XCTAssertEqual(issuer.keySource, .jwksURI("http://127.0.0.1:9000/.well-known/jwks.json"))
        XCTAssertEqual(issuer.algorithms, ["RS256", "ES256"])
        XCTAssertEqual(issuer.audiences, ["portcullis-demo"])
        XCTAssertEqual(issuer.requireTyp, "at+jwt")
        XCTAssertEqual(config.scopeAliases["port-calls:read"], "read:port_calls")
        let dev = try XCTUnwrap(config.devIssuer)
        XCTAssertEqual(dev.issuer, issuer.issuer)
        XCTAssertEqual(dev.audience, "portcullis-demo")
        XCTAssertEqual(dev.clients.map(\.clientID), ["demo-service", "demo-app"])
        XCTAssertNil(dev.clients[1].clientSecret)
        XCTAssertEqual(dev.clients[1].redirectURIs, ["http://127.0.0.1:8085/callback"])
        XCTAssertEqual(ConfigLoader.warnings(for: config), [])
    }

    func testEmbeddedDefaultRoutesDecideAsDocumented() throws {
        let policy = try ConfigLoader.load(path: Self.examplePath, environment: [:]).makeAccessPolicy()
        func decide(_ method: String, _ path: String, _ scopes: [String]) -> String {
            guard case .matched(let index, _) = policy.routes.match(method: method, path: path) else { return "no route" }
            if policy.routes.routes[index].isPublic { return "public" }
            return policy.decide(routeIndex: index, issuer: "http://127.0.0.1:9000", grantedScopes: scopes).code
        }
        XCTAssertEqual(decide("GET", "/v1/status", []), "public")
        XCTAssertEqual(decide("GET", "/v1/port-calls", ["port-calls:read"]), "allowed")
        XCTAssertEqual(decide("DELETE", "/v1/port-calls/1", ["write:port_calls"]), "insufficient_scope")
        XCTAssertEqual(decide("DELETE", "/v1/port-calls/1", ["delete:port_calls"]), "allowed")
        XCTAssertEqual(decide("GET", "/v1/vessels/9", ["vessels:read"]), "allowed")
        XCTAssertEqual(decide("GET", "/v1/invoices/3", ["write:invoices"]), "allowed")
        XCTAssertEqual(decide("POST", "/v1/invoices", ["read:invoices"]), "insufficient_scope")
        XCTAssertEqual(decide("GET", "/v1/admin/keys", ["read:port_calls"]), "insufficient_scope")
        XCTAssertEqual(decide("GET", "/v1/admin/keys", ["admin"]), "allowed")
    }
}
