import XCTest
@testable import Config

final class ConfigErrorTests: XCTestCase {
    func testInvalidJSONNamesLineAndColumn() {
        assertConfigError("{\n  \"listen\": \"x\",\n  oops\n}", "line 3 column 3: invalid JSON: syntax error")
        assertConfigError("{\"a\": 1} x", "line 1 column 10: invalid JSON: unexpected data after the document")
        assertConfigError("[1, 2", "line 1 column 6: invalid JSON: syntax error")
    }

    /// Found by the `config` fuzz target: a DEL in a key reached the error text (log/terminal injection).
    func testControlCharactersInKeysAndValuesNeverReachTheErrorText() {
        assertConfigError(ConfigFixture.minimal(#""identity_headers": {"X-Auth-S\u007Fbject": "sub"}"#),
                          #"identity_headers["X-Auth-S?bject"]: invalid header name"#)
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "b\u001b[31m\nX"}]"#),
                          #"routes[0].upstream: no upstream named "b?[31m?X""#)
    }

    func testRootMustBeAnObject() {
        assertConfigError("[]", "(root): expected an object, got an array")
    }

    func testMissingRequiredKey() {
        assertConfigError("{\(ConfigFixture.upstreams), \(ConfigFixture.routes)}", "(root): missing required key \"listen\"")
        assertConfigError(ConfigFixture.with(routes: #"[{"upstream": "api"}]"#), "routes[0]: missing required key \"path\"")
    }

    func testUnknownKeyIsAnErrorWithSuggestion() {
        assertConfigError(ConfigFixture.minimal(#""listn": 1"#), "listn: unknown key (did you mean \"listen\"?)")
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "scope": ["a"]}]"#),
                          "routes[0].scope: unknown key (did you mean \"scopes\"?)")
        assertConfigError(ConfigFixture.minimal(#""limits": {"max_body": 1}"#), "limits.max_body: unknown key")
    }

    func testDuplicateKeyIsAnError() {
        assertConfigError(ConfigFixture.minimal(#""realm": "a", "realm": "b""#), "line 1 column 173: invalid JSON: duplicate key \"realm\"")
        assertConfigError(#"{"listen": "127.0.0.1:1", "upstreams": {"a": {"targets": ["http://h"]}, "a": {"targets": ["http://h"]}}, "routes": []}"#,
                          "line 1 column 73: invalid JSON: duplicate key \"a\"")
    }

    func testWrongType() {
        assertConfigError(ConfigFixture.minimal(#""workers": "4""#), "workers: expected an integer, got a string")
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "public": "yes"}]"#),
                          "routes[0].public: expected true or false, got a string")
        assertConfigError(ConfigFixture.minimal(#""timeouts": {"header_read_ms": 1.5}"#),
                          "timeouts.header_read_ms: expected an integer, got 1.5")
    }

    func testNonPositiveDurations() {
        assertConfigError(ConfigFixture.minimal(#""timeouts": {"idle_keepalive_ms": 0}"#),
                          "timeouts.idle_keepalive_ms: must be greater than 0, got 0")
        assertConfigError(#"{"listen": "127.0.0.1:1", "upstreams": {"api": {"targets": ["http://h"], "connect_timeout_ms": -5}}, \#(ConfigFixture.routes)}"#,
                          "upstreams.api.connect_timeout_ms: must be greater than 0, got -5")
        assertConfigError(ConfigFixture.minimal(#""token_cache": {"ttl_seconds": 0}"#),
                          "token_cache.ttl_seconds: must be greater than 0, got 0")
    }

    func testOutOfRangeValue() {
        assertConfigError(ConfigFixture.minimal(#""workers": 5000"#), "workers: 5000 is out of range 0...1024")
    }

    func testBadListenAddresses() {
        assertConfigError(#"{"listen": "127.0.0.1:99999", \#(ConfigFixture.upstreams), \#(ConfigFixture.routes)}"#,
                          "listen: invalid port \"99999\" (expected 0...65535)")
        assertConfigError(#"{"listen": "8080", \#(ConfigFixture.upstreams), \#(ConfigFixture.routes)}"#,
                          "listen: expected host:port, got \"8080\"")
        assertConfigError(#"{"listen": "256.1.1.1:80", \#(ConfigFixture.upstreams), \#(ConfigFixture.routes)}"#,
                          "listen: host must be an IPv4 address, [IPv6] or localhost, got \"256.1.1.1\"")
    }

    func testBadUpstreamTargets() {
        func upstream(_ target: String) -> String {
            #"{"listen": "127.0.0.1:1", "upstreams": {"api": {"targets": ["\#(target)"]}}, \#(ConfigFixture.routes)}"#
        }
        assertConfigError(upstream("ftp://h:443"), "upstreams.api.targets[0]: URL scheme must be http or https, got \"ftp://h:443\"")
        assertConfigError(upstream("http://h:0"), "upstreams.api.targets[0]: invalid port in URL \"http://h:0\"")
        assertConfigError(upstream("http://h/base"), "upstreams.api.targets[0]: a target is http(s)://host[:port] without path or query")
        assertConfigError(upstream("http://u:p@h"), "upstreams.api.targets[0]: URL must not contain user info")
        assertConfigError(#"{"listen": "127.0.0.1:1", "upstreams": {"api": {"targets": []}}, \#(ConfigFixture.routes)}"#,
                          "upstreams.api.targets: must not be empty")
    }

    func testRouteNamesMissingUpstream() {
        let routes = #"[{"path": "/a", "upstream": "api", "public": true}, {"path": "/b", "upstream": "api", "public": true}, {"path": "/c", "upstream": "billing"}]"#
        assertConfigError(ConfigFixture.with(routes: routes), "routes[2].upstream: no upstream named \"billing\"")
    }

    func testRouteNamesMissingIssuer() {
        let routes = #"[{"path": "/a", "upstream": "api", "issuers": ["https://id.example", "https://other.example"]}]"#
        assertConfigError(ConfigFixture.with(routes: routes, issuers: "[\(ConfigFixture.issuer)]"),
                          "routes[0].issuers[1]: no issuer named \"https://other.example\"")
    }

    func testBadPathPattern() {
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "v1/x", "upstream": "api"}]"#),
                          "routes[0].path: path must start with /")
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/v1/**/x", "upstream": "api"}]"#),
                          "routes[0].path: ** must be the last segment")
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "strip_prefix": "/b"}]"#),
                          "routes[0].strip_prefix: must be literal leading segments of the route path \"/a\"")
    }

    func testBadMethods() {
        assertConfigError(ConfigFixture.with(routes: #"[{"methods": ["get"], "path": "/a", "upstream": "api"}]"#),
                          "routes[0].methods: methods are case-sensitive: \"get\" should be \"GET\"")
        assertConfigError(ConfigFixture.with(routes: #"[{"methods": [], "path": "/a", "upstream": "api"}]"#),
                          "routes[0].methods: must not be empty")
        assertConfigError(ConfigFixture.with(routes: #"[{"methods": ["GET", "GET"], "path": "/a", "upstream": "api"}]"#),
                          "routes[0].methods[1]: duplicate value \"GET\"")
    }

    func testEmptyScopes() {
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "scopes": []}]"#),
                          "routes[0].scopes: must not be empty")
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "any_scopes": [""]}]"#),
                          "routes[0].any_scopes[0]: must not be empty")
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "scopes": ["read x"]}]"#),
                          "routes[0].scopes[0]: invalid scope \"read x\": printable ASCII without space, '\"' or '\\'")
    }

    func testPublicRouteMustNotNameScopes() {
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "public": true, "scopes": ["a"]}]"#),
                          "routes[0].scopes: a public route must not name scopes")
    }

    func testEmptyRoutesAndUpstreams() {
        assertConfigError(#"{"listen": "127.0.0.1:1", \#(ConfigFixture.upstreams), "routes": []}"#, "routes: must not be empty")
        assertConfigError(#"{"listen": "127.0.0.1:1", "upstreams": {}, \#(ConfigFixture.routes)}"#,
                          "upstreams: must name at least one upstream")
    }

    func testAliasErrors() {
        assertConfigError(ConfigFixture.minimal(#""scope_aliases": {"a": "b", "b": "c"}"#),
                          "scope_aliases.a: alias target \"b\" is itself an alias")
        assertConfigError(ConfigFixture.minimal(#""scope_aliases": {"port-calls:read": 3}"#),
                          "scope_aliases[\"port-calls:read\"]: expected a string, got a number")
    }

    func testIdentityHeaderErrors() {
        assertConfigError(ConfigFixture.minimal(#""identity_headers": {"Authorization": "sub"}"#),
                          "identity_headers.Authorization: Authorization cannot be an identity header")
        assertConfigError(ConfigFixture.minimal(#""identity_headers": {"X-A": "sub", "x-a": "azp"}"#),
                          "identity_headers.x-a: duplicate header (names are case-insensitive)")
        assertConfigError(ConfigFixture.minimal(#""identity_headers": {"X A": "sub"}"#),
                          "identity_headers[\"X A\"]: invalid header name")
    }

    func testUnknownLogLevel() {
        assertConfigError(ConfigFixture.minimal(#""log": {"level": "verbose"}"#),
                          "log.level: unknown level \"verbose\"; known: trace, debug, info, notice, warning, error, critical")
    }

    func testRealmWithQuote() {
        assertConfigError(ConfigFixture.minimal(#""realm": "a\"b""#), "realm: realm must be printable ASCII without '\"' or '\\'")
    }

    func testDevIssuerClientErrors() {
        assertConfigError(ConfigFixture.minimal(#""dev_issuer": {"clients": [{"client_id": "s", "grant_types": ["client_credentials"]}]}"#),
                          "dev_issuer.clients[0].grant_types: client_credentials needs a client_secret (confidential client)")
        assertConfigError(ConfigFixture.minimal(#""dev_issuer": {"clients": [{"client_id": "s", "grant_types": ["password"]}]}"#),
                          "dev_issuer.clients[0].grant_types[0]: unknown grant type \"password\"; known: authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:device_code")
        assertConfigError(ConfigFixture.minimal(#""dev_issuer": {"clients": [{"client_id": "a", "grant_types": ["authorization_code"]}]}"#),
                          "dev_issuer.clients[0].redirect_uris: authorization_code needs at least one redirect URI")
        assertConfigError(ConfigFixture.minimal(#""dev_issuer": {"clients": [{"client_id": "a", "client_secret": "x", "grant_types": ["client_credentials"]}, {"client_id": "a", "client_secret": "y", "grant_types": ["client_credentials"]}]}"#),
                          "dev_issuer.clients[1].client_id: duplicate client_id \"a\"")
    }

    func testSecretsAreNeverEchoed() {
        do {
            _ = try load(ConfigFixture.minimal(#""dev_issuer": {"clients": [{"client_id": "s", "client_secret": "hunter2-secret", "grant_types": ["nope"]}]}"#))
            XCTFail("expected an error")
        } catch {
            XCTAssertFalse(error.description.contains("hunter2"))
        }
    }
}
