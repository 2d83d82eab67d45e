import XCTest
import JOSE
import Policy
@testable import Config

final class ConfigDefaultsAndWarningsTests: XCTestCase {
    func testDefaultsOfAMinimalConfig() throws {
        let config = try load(ConfigFixture.minimal())
        XCTAssertEqual(config.workers, 0)
        XCTAssertEqual(config.realm, "portcullis")
        XCTAssertEqual(config.superuserScopes, ["admin"])
        XCTAssertEqual(config.scopeAliases, [:])
        XCTAssertEqual(config.issuers, [])
        XCTAssertEqual(config.identityHeaders, [
            IdentityHeader(header: "X-Auth-Client-Id", claim: "client_id"),
            IdentityHeader(header: "X-Auth-Scopes", claim: "scope"),
            IdentityHeader(header: "X-Auth-Subject", claim: "sub"),
        ])
        XCTAssertEqual(config.limits, Limits(maxRequestLineBytes: 8192, maxHeaderBytes: 32768, maxHeaderCount: 100,
                                             maxBodyBytes: 1 << 30, maxConnections: 16384))
        XCTAssertEqual(config.timeouts, Timeouts(headerReadMilliseconds: 10000, idleKeepAliveMilliseconds: 60000,
                                                 shutdownGraceMilliseconds: 10000))
        XCTAssertEqual(config.tokenCache, TokenCacheSettings(maxEntries: 10000, ttlSeconds: 300))
        XCTAssertNil(config.demoAPI)
        XCTAssertNil(config.devIssuer)
        XCTAssertEqual(config.log.level, .info)
        let upstream = try XCTUnwrap(config.upstreams["api"])
        XCTAssertEqual(upstream, UpstreamSettings(name: "api", targets: [UpstreamTarget(host: "127.0.0.1", port: 9100)],
                                                  connectTimeoutMilliseconds: 2000, responseTimeoutMilliseconds: 30000,
                                                  maxIdlePerTarget: 1024, failTimeoutSeconds: 10, maxFails: 1))
        let route = config.routes[0]
        XCTAssertEqual(route, RouteSpec(methods: nil, path: "/v1/**", upstream: "api", isPublic: true, allScopes: [],
                                        anyScopes: [], issuers: nil, stripPrefix: nil, forwardAuthorization: true, index: 0))
    }

    func testSectionDefaultsWhenPresentButEmpty() throws {
        let config = try load(ConfigFixture.minimal(#""demo_api": {}, "dev_issuer": {}, "identity_headers": {}, "superuser_scopes": []"#))
        XCTAssertEqual(ConfigLoader.warnings(for: config).map(\.description), [
            "dev_issuer.issuer: tokens of the development issuer are not accepted: no issuers[] entry has issuer \"http://127.0.0.1:9000\"",
        ])
        XCTAssertEqual(config.demoAPI, DemoAPISettings(listen: ListenAddress(host: "127.0.0.1", port: 9100)))
        XCTAssertEqual(config.devIssuer, DevIssuerSettings())
        XCTAssertEqual(config.devIssuer?.issuer, "http://127.0.0.1:9000")
        XCTAssertEqual(config.identityHeaders, [])
        XCTAssertEqual(config.superuserScopes, [])
    }

    func testExplicitValuesAreRead() throws {
        let config = try load(ConfigFixture.minimal(#"""
            "workers": 2, "realm": "ports", "limits": {"max_body_bytes": 0, "max_connections": 10},
            "timeouts": {"header_read_ms": 500}, "token_cache": {"max_entries": 0}, "log": {"level": "debug"},
            "demo_api": {"listen": "[::1]:0"}
            """#))
        XCTAssertEqual(config.workers, 2)
        XCTAssertEqual(config.realm, "ports")
        XCTAssertEqual(config.limits.maxBodyBytes, 0)
        XCTAssertEqual(config.limits.maxConnections, 10)
        XCTAssertEqual(config.timeouts.headerReadMilliseconds, 500)
        XCTAssertEqual(config.tokenCache.maxEntries, 0)
        XCTAssertEqual(config.log.level, .debug)
        XCTAssertEqual(config.demoAPI?.listen, ListenAddress(host: "::1", port: 0))
        XCTAssertEqual(config.demoAPI?.listen.description, "[::1]:0")
    }

    func testStripPrefixIsStoredNormalized() throws {
        let config = try load(ConfigFixture.with(routes: #"[{"path": "/api/**", "upstream": "api", "public": true, "strip_prefix": "/%61pi"}]"#))
        XCTAssertEqual(config.routes[0].stripPrefix, "/api")
        XCTAssertEqual(config.routes[0].upstreamPath(for: "/api/v1/x"), "/v1/x")
    }

    func testWarnsAboutShadowedRoutes() throws {
        let config = try load(ConfigFixture.with(routes: #"""
            [{"path": "/v1/**", "upstream": "api", "scopes": ["a"]},
             {"methods": ["GET"], "path": "/v1/x/{id}", "upstream": "api", "scopes": ["b"]}]
            """#, issuers: "[\(ConfigFixture.issuer)]"))
        XCTAssertEqual(ConfigLoader.warnings(for: config).map(\.description),
                       ["routes[1]: never matches: routes[0] (/v1/**) takes every request it could match"])
    }

    func testWarnsAboutAliasesToUnusedScopes() throws {
        let config = try load(ConfigFixture.with(routes: #"[{"path": "/v1/**", "upstream": "api", "scopes": ["read:a"]}]"#,
                                                 issuers: "[\(ConfigFixture.issuer)]",
                                                 extra: #""scope_aliases": {"a:read": "read:a", "b:read": "read:b"}"#))
        XCTAssertEqual(ConfigLoader.warnings(for: config).map(\.description),
                       ["scope_aliases.b:read: alias target \"read:b\" is not required by any route"])
    }

    func testWarnsAboutProtectedRoutesWithoutIssuersAndPlainHTTPKeys() throws {
        let noIssuers = try load(ConfigFixture.with(routes: #"[{"path": "/v1/**", "upstream": "api"}]"#))
        XCTAssertEqual(ConfigLoader.warnings(for: noIssuers).map(\.description),
                       ["routes[0]: no issuers are configured, so this protected route always answers 401"])
        let plain = try load(ConfigFixture.with(routes: #"[{"path": "/v1/**", "upstream": "api"}]"#,
                                                issuers: #"[{"issuer": "i", "jwks_uri": "http://keys.example/jwks", "algorithms": ["RS256"]}]"#))
        XCTAssertEqual(ConfigLoader.warnings(for: plain).map(\.description),
                       ["issuers[0].jwks_uri: keys fetched over plain http from a non-loopback host can be spoofed in transit"])
    }

    func testMakeAccessPolicyUsesAliasesSuperusersAndRealm() throws {
        let config = try load(ConfigFixture.with(routes: #"[{"path": "/v1/**", "upstream": "api", "scopes": ["read:a"]}]"#,
                                                 issuers: "[\(ConfigFixture.issuer)]",
                                                 extra: #""scope_aliases": {"a:read": "read:a"}, "superuser_scopes": ["root"], "realm": "r""#))
        let policy = try config.makeAccessPolicy()
        XCTAssertEqual(policy.realm, "r")
        XCTAssertEqual(policy.decide(routeIndex: 0, issuer: "https://id.example", grantedScopes: ["a:read"]), .allow)
        XCTAssertEqual(policy.decide(routeIndex: 0, issuer: "https://id.example", grantedScopes: ["root"]), .allow)
        XCTAssertEqual(policy.decide(routeIndex: 0, issuer: "https://id.example", grantedScopes: ["admin"]).code, "insufficient_scope")
    }

    func testLoadReportsUnreadableFile() {
        XCTAssertThrowsError(try ConfigLoader.load(path: "/nonexistent/portcullis.json", environment: [:])) { error in
            XCTAssertEqual((error as? ConfigError)?.description, "/nonexistent/portcullis.json: cannot read the configuration file")
        }
    }

    func testDocumentIsReadByTheStrictParserAfterAByteOrderMark() throws {
        XCTAssertEqual(try ConfigLoader.document(Array("\u{FEFF}{\"a\":\"\\u00e9\",\"b\":[1,-2.5e3,true,null]}".utf8)),
                       .object(["a": .string("é"), "b": .array([.number(1), .number(-2500), .bool(true), .null])]))
        XCTAssertNoThrow(try ConfigLoader.document(Array((String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).utf8)))
        for bad in ["{\"a\":01}", "{\"a\":\"\\ud800\"}", "{\"a\":\"x\ny\"}", "{\"a\":tru}", "{,}", "{\"a\":1,\"a\":2}",
                    String(repeating: "[", count: 65) + String(repeating: "]", count: 65)] {
            XCTAssertThrowsError(try ConfigLoader.document(Array(bad.utf8)), bad)
        }
    }
}
