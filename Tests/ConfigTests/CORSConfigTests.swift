import XCTest
import Policy
@testable import Config

/// The top-level `cors` object and the route opt-out, exactly as issue 13 writes them.
final class CORSConfigTests: XCTestCase {
    func testIssueExampleLoads() throws {
        let config = try load(ConfigFixture.minimal(#"""
        "cors": {"allowed_origins": ["https://app.porttask.example"], "allowed_headers": ["Authorization", "Content-Type", "DPoP"],
                 "exposed_headers": [], "max_age_seconds": 600, "allow_credentials": false}
        """#))
        XCTAssertEqual(config.cors, CORSPolicy(allowedOrigins: ["https://app.porttask.example"],
                                              allowedHeaders: ["Authorization", "Content-Type", "DPoP"], exposedHeaders: [],
                                              maxAgeSeconds: 600, allowCredentials: false))
        XCTAssertNil(try load(ConfigFixture.minimal()).cors)
    }

    func testWildcardAndNullOriginsAreRejected() {
        assertConfigError(ConfigFixture.minimal(#""cors": {"allowed_origins": ["*"]}"#),
                          "cors.allowed_origins[0]: \"*\" is not allowed: list each origin exactly (scheme://host[:port])")
        assertConfigError(ConfigFixture.minimal(#""cors": {"allowed_origins": ["null"]}"#),
                          "cors.allowed_origins[0]: \"null\" is not allowed: list each origin exactly (scheme://host[:port])")
    }

    func testOriginWithPathOrUppercaseIsRejected() {
        assertConfigError(ConfigFixture.minimal(#""cors": {"allowed_origins": ["https://app.example/"]}"#),
                          "cors.allowed_origins[0]: an origin has no path, query or trailing slash: \"https://app.example/\"")
        assertConfigError(ConfigFixture.minimal(#""cors": {"allowed_origins": ["https://App.example"]}"#),
                          "cors.allowed_origins[0]: write the origin in lowercase, as browsers send it: \"https://App.example\"")
    }

    func testRouteCanOnlyOptOut() throws {
        let config = try load(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "public": true, "cors": false}]"#))
        XCTAssertFalse(config.routes[0].cors)
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "public": true, "cors": true}]"#),
                          "routes[0].cors: a route can only opt out of CORS (\"cors\": false); CORS itself is the top-level \"cors\"")
    }
}
