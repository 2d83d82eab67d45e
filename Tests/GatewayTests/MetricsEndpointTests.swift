import XCTest
import Foundation
import Config
@testable import Gateway

/// `/metrics` end to end: a `RunningGateway` from a config with named routes, a live and a dead
/// upstream and trusted issuers; specific requests must move specific series, and the document must
/// pass the reference Prometheus parser.
final class MetricsEndpointTests: XCTestCase {
    var fixture: AuthGatewayFixture!

    static let routes = """
    { "name": "status", "methods": ["GET"], "path": "/v1/status", "upstream": "api", "public": true },
    { "name": "port-calls", "methods": ["GET"], "path": "/v1/port-calls/**", "upstream": "api", "scopes": ["read:port_calls"] },
    { "path": "/dead/**", "upstream": "dead", "public": true }
    """

    override func setUpWithError() throws {
        let dead = TestUpstream(); let deadPort = dead.port; dead.stop()
        fixture = try AuthGatewayFixture(routes: Self.routes, extraTopLevel: #""admin": {"listen": "127.0.0.1:0"},"#,
                                         extraUpstreams: #", "dead": { "targets": ["http://127.0.0.1:\#(deadPort)"] }"#)
    }
    override func tearDown() { fixture?.stop() }

    private var now: Int64 { fixture.clock.unixSeconds() }

    private func scrape(file: StaticString = #filePath, line: UInt = #line) throws -> PrometheusScrape {
        let port = try XCTUnwrap(fixture.gateway.adminServer?.port)
        let m = try XCTUnwrap(BlockingSocket.connect(port: port))
        defer { m.close() }
        m.write("GET /metrics HTTP/1.1\r\nHost: admin\r\n\r\n")
        let r = try XCTUnwrap(m.readResponse(), file: file, line: line)
        XCTAssertEqual(r.status, 200, file: file, line: line)
        XCTAssertEqual(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8", file: file, line: line)
        return try PrometheusScrape(String(decoding: r.body, as: UTF8.self), file: file, line: line)
    }

    func testSpecificRequestsMoveSpecificSeriesAndTheDocumentParses() throws {
        let valid = AuthTokenForge.rsaToken(now: now)
        let expired = AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, exp: now - 3600, iat: now - 7200))
        let evil = AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, iss: "https://evil.example/attacker-chosen"))
        XCTAssertEqual(fixture.send("GET", "/v1/status")?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1")?.status, 401)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: expired)?.status, 401)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: evil)?.status, 401)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: valid)?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/2", token: valid)?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/dead/x")?.status, 502)
        XCTAssertEqual(fixture.send("GET", "/nowhere")?.status, 404)
        XCTAssertEqual(fixture.send("BREW", "/v1/status")?.status, 405)

        let m = try scrape()
        m.assertWellFormed()
        let total = "portcullis_requests_total"
        XCTAssertEqual(m.value(total, ["route": "status", "method": "GET", "status": "200"]), 1)
        XCTAssertEqual(m.value(total, ["route": "port-calls", "method": "GET", "status": "401"]), 3)
        XCTAssertEqual(m.value(total, ["route": "port-calls", "method": "GET", "status": "200"]), 2)
        XCTAssertEqual(m.value(total, ["route": "2", "method": "GET", "status": "502"]), 1, "an unnamed route is labelled by its index")
        XCTAssertEqual(m.value(total, ["route": "none", "method": "GET", "status": "404"]), 1)
        XCTAssertEqual(m.value(total, ["route": "none", "method": "other", "status": "405"]), 1, "unknown methods fold into other")
        XCTAssertEqual(m.value("portcullis_upstream_errors_total", ["upstream": "dead", "kind": "connect"]), 1)
        XCTAssertEqual(m.value("portcullis_upstream_errors_total", ["upstream": "api"]), 0)
        XCTAssertEqual(m.value("portcullis_auth_denials_total", ["reason": "token_missing", "issuer": "none"]), 1)
        XCTAssertEqual(m.value("portcullis_auth_denials_total", ["reason": "expired", "issuer": AuthKeys.issuerA]), 1)
        XCTAssertEqual(m.value("portcullis_auth_denials_total", ["reason": "unknown_issuer", "issuer": "none"]), 1)
        XCTAssertEqual(m.value("portcullis_request_duration_seconds_count", ["route": "port-calls"]), 5)
        XCTAssertEqual(m.value("portcullis_request_duration_seconds_bucket", ["route": "status", "le": "+Inf"]), 1)
        XCTAssertEqual(m.value("portcullis_upstream_duration_seconds_count", ["upstream": "api"]), 3)
        XCTAssertEqual(m.value("portcullis_token_cache_misses_total"), 3, "expired, untrusted and the first valid token were verified")
        XCTAssertEqual(m.value("portcullis_token_cache_hits_total"), 1, "the second valid request hit the cache")
        XCTAssertEqual(m.value("portcullis_token_cache_entries"), 1)
        XCTAssertGreaterThanOrEqual(m.value("portcullis_jwks_fetches_total", ["issuer": AuthKeys.issuerA, "result": "success"]) ?? 0, 1)
        XCTAssertGreaterThan(m.value("portcullis_jwks_keys", ["issuer": AuthKeys.issuerA]) ?? 0, 0)
        XCTAssertNotNil(m.value("portcullis_jwks_keys_age_seconds", ["issuer": AuthKeys.issuerB]))
        XCTAssertEqual(m.value("portcullis_build_info", ["version": BuildInfo.version]), 1)
        XCTAssertNotNil(m.value("portcullis_connections_open"))
        for name in ["process_resident_memory_bytes", "process_open_fds", "process_cpu_seconds_total", "process_start_time_seconds"] {
            XCTAssertGreaterThan(m.value(name) ?? 0, 0, name)
        }
        // Names of earlier releases keep working.
        XCTAssertEqual(m.value("portcullis_decisions_total", ["code": "token_missing"]), 1)
        XCTAssertEqual(m.value("portcullis_requests_forwarded_total"), 4, "status, two valid tokens, the dead upstream")
        XCTAssertEqual(m.value("portcullis_requests_answered_locally_total"), 5, "three 401s, the 404 and the 405")
        XCTAssertNotNil(m.value("portcullis_issuer_keys", ["issuer": AuthKeys.issuerA]))
    }

    /// Cardinality attack: labels come only from bounded sets, never from what a client sends
    /// (an untrusted `iss`, a path, a method).
    func testClientChosenValuesNeverBecomeLabels() throws {
        let evil = AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, iss: "https://evil.example/attacker-chosen"))
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/attacker-path-1", token: evil)?.status, 401)
        XCTAssertEqual(fixture.send("GET", "/attacker-path-2")?.status, 404)
        XCTAssertEqual(fixture.send("ATTACKERMETHOD", "/v1/status")?.status, 405)
        let m = try scrape()
        for chosen in ["evil.example", "attacker-path", "ATTACKERMETHOD"] {
            XCTAssertFalse(m.text.contains(chosen), "\(chosen) became a label value")
        }
    }
}

extension MetricsEndpointTests {
    /// The scrape is answered asynchronously (after every loop has reported): pipelined admin
    /// requests behind it must still be answered, in order.
    func testPipelinedAdminRequestsAreAnsweredInOrder() throws {
        let port = try XCTUnwrap(fixture.gateway.adminServer?.port)
        let c = try XCTUnwrap(BlockingSocket.connect(port: port))
        defer { c.close() }
        c.write("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\nGET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let first = try XCTUnwrap(c.readResponse())
        let second = try XCTUnwrap(c.readResponse())
        let third = try XCTUnwrap(c.readResponse())
        XCTAssertTrue(String(decoding: first.body, as: UTF8.self).contains("portcullis_requests_total"))
        XCTAssertEqual(String(decoding: second.body, as: UTF8.self), #"{"status":"ok"}"#)
        XCTAssertTrue(String(decoding: third.body, as: UTF8.self).contains("portcullis_build_info"))
        XCTAssertEqual(third.headers["connection"], "close")
    }
}

extension MetricsEndpointTests {
    /// Counts are kept by label, so a reload that renumbers routes moves nothing between series, and
    /// a route added by the reload shows up under its own name.
    func testReloadThatRenumbersRoutesKeepsCountsUnderTheirNames() throws {
        XCTAssertEqual(fixture.send("GET", "/v1/status")?.status, 200)
        let routes = #"{ "name": "fresh", "methods": ["GET"], "path": "/fresh/**", "upstream": "api", "public": true },"# + Self.routes
        let text = AuthGatewayFixture.configText(issuers: fixture.issuers, routes: routes, upstreamPort: fixture.upstream.port,
                                                 stubURL: fixture.stub.baseURL, logLevel: "error",
                                                 extraTopLevel: #""admin": {"listen": "127.0.0.1:\#(fixture.gateway.adminServer!.port)"},"#,
                                                 extraUpstreams: #", "dead": { "targets": ["http://127.0.0.1:1"] }"#)
        try fixture.gateway.reload(config: ConfigLoader.parse(bytes: Array(text.utf8), baseDirectory: NSTemporaryDirectory()))
        XCTAssertEqual(fixture.send("GET", "/v1/status")?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/fresh/x")?.status, 200)
        let m = try scrape()
        XCTAssertEqual(m.value("portcullis_requests_total", ["route": "status", "status": "200"]), 2)
        XCTAssertEqual(m.value("portcullis_requests_total", ["route": "fresh", "status": "200"]), 1)
        XCTAssertNil(m.value("portcullis_requests_total", ["route": "0"]), "no count moved to an index label")
    }
}
