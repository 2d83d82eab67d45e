import XCTest
import Policy
@testable import Config

/// `config/clients-demo.json`: the demo of `config/portcullis.json` plus every caller of issue 13
/// (CORS, a personal access token table, introspection of the dev issuer's opaque tokens). It must
/// stay a superset of the embedded default: same routes, upstreams and issuer.
final class ClientsDemoConfigTests: XCTestCase {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/" + name).path
    }

    func testClientsDemoLoadsAndExtendsTheDefault() throws {
        let demo = try ConfigLoader.load(path: Self.path("clients-demo.json"), environment: [:])
        let base = try ConfigLoader.load(path: Self.path("portcullis.json"), environment: [:])
        XCTAssertEqual(demo.routes, base.routes)
        XCTAssertEqual(demo.upstreams, base.upstreams)
        XCTAssertEqual(demo.issuers.map(\.issuer), base.issuers.map(\.issuer))
        XCTAssertEqual(demo.issuers[0].keySource, base.issuers[0].keySource)
        XCTAssertEqual(demo.cors?.allowedOrigins, ["http://127.0.0.1:8085"])
        XCTAssertEqual(demo.personalAccessTokens?.tokens.map(\.name), ["demo-ci"])
        XCTAssertEqual(demo.issuers[0].introspection?.secret.load(), "demo-introspection-secret")
        XCTAssertEqual(demo.devIssuer?.clients.first { $0.clientID == "demo-opaque" }?.tokenFormat, "opaque")
        XCTAssertEqual(demo.devIssuer?.clients.first { $0.clientID == "portcullis-gateway" }?.clientSecret, "demo-introspection-secret")
    }
}
