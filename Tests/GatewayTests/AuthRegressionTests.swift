import XCTest
@testable import Gateway

/// Regression tests for defects found while writing the auth end-to-end suite (both fixed).
final class AuthRegressionTests: XCTestCase {
    var fixture: AuthGatewayFixture?

    override func tearDown() { fixture?.stop() }

    // Was a bug: a client header `X_Auth_Subject` (underscores) reached the upstream untouched. CGI, WSGI,
    // PHP-FPM and Rack upstreams (and nginx with underscores_in_headers on) map both `X-Auth-Subject`
    // and `X_Auth_Subject` to HTTP_X_AUTH_SUBJECT, so on a public route the client chooses the identity
    // the upstream reads, and on a protected route it competes with ours. Fix: in
    // PolicyAuthorizer.forward / UpstreamRequest.head, also remove client fields whose name equals a
    // mapped identity header after mapping "_" to "-" (or answer 400 for such names).
    func testUnderscoreVariantsOfIdentityHeadersNeverReachTheUpstream() throws {
        let f = try AuthGatewayFixture()
        fixture = f
        XCTAssertEqual(f.send("GET", "/v1/status", headers: [("X_Auth_Subject", "root"), ("x_auth_scopes", "admin")])?.status, 200)
        let names = f.upstream.requests.first?.headers.map { $0.0.lowercased().replacingOccurrences(of: "_", with: "-") } ?? []
        XCTAssertFalse(names.contains("x-auth-subject"))
        XCTAssertFalse(names.contains("x-auth-scopes"))
    }

    // Was a bug: `"log": {"level": "critical"}` (and "notice", "trace"), accepted by the config loader, fall
    // back to `info` in RunningGateway (Sources/Gateway/Bootstrap/GatewayBootstrap.swift:35,
    // `Telemetry.LogLevel(name:) ?? .info`), so the quietest level logs more than "error". Fix: map
    // the config's level explicitly (trace→debug, notice→info, critical→error or a new critical level).
    func testLogLevelCriticalIsAtLeastAsQuietAsError() throws {
        let f = try AuthGatewayFixture(logLevel: "critical")
        fixture = f
        XCTAssertGreaterThanOrEqual(f.gateway.logger.minimumLevel, .error)
    }
}
