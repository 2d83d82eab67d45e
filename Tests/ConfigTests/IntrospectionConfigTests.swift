import XCTest
@testable import Config

/// `issuers[].introspection` exactly as issue 13 writes it, and its load-time checks.
final class IntrospectionConfigTests: XCTestCase {
    func issuer(_ introspection: String, extra: String = "") -> String {
        ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api"}]"#,
                           issuers: #"[{"issuer": "https://auth.taskade.example", \#(extra) "introspection": \#(introspection)}]"#)
    }

    func testIssueExampleLoads() throws {
        let config = try load(issuer(#"""
        { "endpoint": "https://auth.taskade.example/oauth/introspect", "client_id": "portcullis", "client_secret_env": "INTROSPECTION_SECRET",
          "auth_method": "client_secret_basic", "cache_ttl_seconds": 60, "negative_cache_ttl_seconds": 5, "timeout_ms": 2000 }
        """#), environment: ["INTROSPECTION_SECRET": "s3cret"])
        XCTAssertNil(config.issuers[0].keySource)
        XCTAssertEqual(config.issuers[0].introspection, IntrospectionSettings(
            endpoint: "https://auth.taskade.example/oauth/introspect", clientID: "portcullis",
            secret: .environment(name: "INTROSPECTION_SECRET"), authMethod: .clientSecretBasic,
            cacheTTLSeconds: 60, negativeCacheTTLSeconds: 5, timeoutMilliseconds: 2000))
        XCTAssertEqual(config.issuers[0].introspection?.secret.load(environment: ["INTROSPECTION_SECRET": "s3cret\n"]), "s3cret")
    }

    func testSecretFileAndPostMethodBesideAKeySource() throws {
        let dir = try temporaryDirectory()
        try Data("file-secret\n".utf8).write(to: URL(fileURLWithPath: dir + "/secret"))
        let config = try load(issuer(#"{ "endpoint": "http://127.0.0.1:9000/oauth/introspect", "client_id": "p", "client_secret_file": "secret", "auth_method": "client_secret_post" }"#,
                                     extra: #""jwks_uri": "https://auth.taskade.example/jwks", "algorithms": ["RS256"],"#), baseDirectory: dir)
        XCTAssertEqual(config.issuers[0].keySource, .jwksURI("https://auth.taskade.example/jwks"))
        XCTAssertEqual(config.issuers[0].introspection?.authMethod, .clientSecretPost)
        XCTAssertEqual(config.issuers[0].introspection?.secret.load(), "file-secret")
    }

    func testPlainHTTPOnlyOnLoopback() {
        for host in ["auth.taskade.example", "127.evil.example", "10.0.0.1"] {
            assertConfigError(issuer(#"{ "endpoint": "http://\#(host)/introspect", "client_id": "p", "client_secret_env": "S" }"#),
                              "issuers[0].introspection.endpoint: the introspection endpoint must be https (http only on a loopback host)",
                              environment: ["S": "x"])
        }
        for host in ["127.0.0.1:9000", "localhost", "[::1]:8443"] {
            XCTAssertNoThrow(try load(issuer(#"{ "endpoint": "http://\#(host)/introspect", "client_id": "p", "client_secret_env": "S" }"#),
                                      environment: ["S": "x"]), host)
        }
    }

    func testSecretMustBeExactlyOneAndPresent() {
        assertConfigError(issuer(#"{ "endpoint": "https://a.example/i", "client_id": "p" }"#),
                          "issuers[0].introspection: needs exactly one of client_secret_env or client_secret_file")
        assertConfigError(issuer(#"{ "endpoint": "https://a.example/i", "client_id": "p", "client_secret_env": "MISSING" }"#),
                          "issuers[0].introspection.client_secret_env: environment variable MISSING is not set")
        assertConfigError(issuer(#"{ "endpoint": "https://a.example/i", "client_id": "p", "client_secret_env": "S", "auth_method": "private_key_jwt" }"#),
                          "issuers[0].introspection.auth_method: unknown auth_method \"private_key_jwt\"; known: client_secret_basic, client_secret_post",
                          environment: ["S": "x"])
    }

    func testAlgorithmsWithoutKeySourceAreRefused() {
        assertConfigError(issuer(#"{ "endpoint": "https://a.example/i", "client_id": "p", "client_secret_env": "S" }"#, extra: #""algorithms": ["RS256"],"#),
                          "issuers[0].algorithms: algorithms need a key source (jwks_uri, discovery, jwks_file, jwks, hmac_secret_*); introspected tokens are not verified here",
                          environment: ["S": "x"])
    }

    func testDevClientTokenFormat() throws {
        func dev(_ format: String) -> String {
            ConfigFixture.minimal(#""dev_issuer": {"clients": [{"client_id": "c", "client_secret": "s", "grant_types": ["client_credentials"], "token_format": "\#(format)"}]}"#)
        }
        XCTAssertEqual(try load(dev("opaque")).devIssuer?.clients.first?.tokenFormat, "opaque")
        assertConfigError(dev("paseto"), "dev_issuer.clients[0].token_format: unknown token_format \"paseto\"; known: jwt, opaque")
    }
}
