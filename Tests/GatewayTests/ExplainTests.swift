import XCTest
@testable import Gateway

/// `portcullis explain`: each step of a decision, computed by the pipeline a live request takes.
/// Tokens come from issuer A's forged key (accepted by the standard fixture).
final class ExplainTests: XCTestCase {
    var fixture: AuthGatewayFixture!

    override func setUpWithError() throws { fixture = try AuthGatewayFixture() }
    override func tearDown() { fixture?.stop() }

    private func token(scope: String = "read:port_calls", extra: [(String, String?)] = []) -> String {
        let now = fixture.clock.unixSeconds()
        return AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, scope: scope, extra: extra))
    }

    private func explain(_ path: String, token: String?) -> Explanation {
        fixture.gateway.authorizer.explain(method: "GET", target: path, authorization: token.map { "Bearer " + $0 })
    }

    func testPublicRouteIsForwardedWithoutAToken() {
        let e = explain("/v1/status", token: nil)
        XCTAssertEqual(e.requirement, "public (no token)")
        XCTAssertEqual(e.decision, "forward")
        XCTAssertEqual(e.upstreamTarget, "/v1/status")
        XCTAssertNil(e.tokenVerdict)
    }

    func testValidTokenWithTheScopeIsForwardedAndItsScopesShown() {
        let e = explain("/v1/port-calls/7", token: token())
        XCTAssertTrue(e.tokenVerdict?.hasPrefix("valid (issuer \(AuthKeys.issuerA)") == true, e.tokenVerdict ?? "")
        XCTAssertEqual(e.tokenScopes, ["read:port_calls"])
        XCTAssertNil(e.tokenBinding)
        XCTAssertEqual(e.status, 200)
        XCTAssertEqual(e.decision, "forward")
    }

    func testMissingScopeIsDeniedWith403() {
        let e = explain("/v1/admin/x", token: token())
        XCTAssertEqual(e.decision, "deny")
        XCTAssertEqual(e.status, 403)
        XCTAssertEqual(e.tokenScopes, ["read:port_calls"])
    }

    func testDPoPBoundTokenNamesItsKeyAndIsDeniedWithoutAProof() {
        let cnf = AuthTokenForge.json([("jkt", AuthTokenForge.str("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"))])
        let e = explain("/v1/port-calls/7", token: token(extra: [("cnf", cnf)]))
        XCTAssertEqual(e.tokenBinding, "DPoP key 0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I (cnf.jkt): every request needs a DPoP proof signed by it")
        XCTAssertEqual(e.decision, "deny", "explain sends no DPoP proof")
        XCTAssertEqual(e.status, 401)
    }

    func testCertificateBoundTokenIsNamedAndDeniedWithoutACertificate() {
        let cnf = AuthTokenForge.json([("x5t#S256", AuthTokenForge.str("bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"))])
        let e = explain("/v1/port-calls/7", token: token(extra: [("cnf", cnf)]))
        XCTAssertEqual(e.tokenBinding, "a client certificate (cnf.x5t#S256): only on a TLS connection that presents it")
        XCTAssertEqual(e.decision, "deny")
        XCTAssertEqual(e.reason, "certificate_binding_missing")
    }
}
