import XCTest
@testable import Gateway

/// End-to-end: request-targets that try to reach `/v1/admin/**` through the public `/v1/public/**`
/// route (or a lesser-scoped route) by dot-segments, percent-encoding, path parameters, doubled
/// slashes or case. None may reach the upstream as an admin path; the controls show that harmless
/// dot-segments are resolved and forwarded exactly as matched.
final class AuthPathBypassTests: XCTestCase {
    var fixture: AuthGatewayFixture!

    override func setUpWithError() throws { fixture = try AuthGatewayFixture() }
    override func tearDown() { fixture?.stop() }

    /// Sends `target` (with `token` when given) and checks the exact status and that the upstream saw nothing.
    private func assertNeverForwarded(_ target: String, token: String? = nil, status: Int,
                                      file: StaticString = #filePath, line: UInt = #line) {
        let r = fixture.send("GET", target, token: token)
        XCTAssertEqual(r?.status, status, target, file: file, line: line)
        XCTAssertEqual(fixture.upstream.requests.map(\.target), [], target, file: file, line: line)
    }

    func testDotDotFromPublicRouteIsAuthorizedAsTheAdminPath() {
        assertNeverForwarded("/v1/public/../admin/x", status: 401)
    }

    func testPercentEncodedDotDotIsDecodedAndAuthorizedAsTheAdminPath() {
        assertNeverForwarded("/v1/public/%2e%2e/admin/x", status: 401)
        assertNeverForwarded("/v1/public/%2E%2E/admin/x", status: 401)
        assertNeverForwarded("/v1/public/.%2e/admin/x", status: 401)
    }

    func testEncodedSlashIsRejected() {
        assertNeverForwarded("/v1/public/..%2Fadmin/x", status: 400)
        assertNeverForwarded("/v1/public/..%2fadmin/x", status: 400)
        assertNeverForwarded("/v1/public/%2e%2e%2fadmin/x", status: 400)
    }

    func testDotDotWithPathParameterIsRejected() {
        assertNeverForwarded("/v1/public/..;/admin/x", status: 400)
        assertNeverForwarded("/v1/public/..;jsessionid=1/admin/x", status: 400)
    }

    func testDoubledSlashesDoNotHideTheAdminPath() {
        assertNeverForwarded("/v1//admin/x", status: 401)
        assertNeverForwarded("//v1/admin/x", status: 401)
        assertNeverForwarded("/v1/public//..//admin/x", status: 401)
    }

    func testBackslashAndNulAreRejected() {
        assertNeverForwarded("/v1/public/..%5Cadmin/x", status: 400)
        assertNeverForwarded("/v1/public/%00/../admin/x", status: 400)
    }

    func testDotDotAboveTheRootIsRejected() {
        assertNeverForwarded("/../v1/admin/x", status: 400)
    }

    func testPathParameterOnAdminSegmentIsStillAuthorizedAsAdmin() {
        assertNeverForwarded("/v1/admin;x=1/users", status: 401)
    }

    func testCaseVariantsOfTheAdminPathMatchNoRoute() {
        assertNeverForwarded("/V1/ADMIN/x", status: 404)
        assertNeverForwarded("/v1/Admin/x", status: 404)
    }

    func testDotDotFromALesserScopedRouteGets403() {
        let token = AuthTokenForge.rsaToken(now: fixture.clock.unixSeconds())  // read:port_calls only
        assertNeverForwarded("/v1/port-calls/../admin/x", token: token, status: 403)
        assertNeverForwarded("/v1/port-calls/%2e%2e/admin/x", token: token, status: 403)
    }

    func testHarmlessDotSegmentsAreResolvedAndForwardedAsMatched() {
        XCTAssertEqual(fixture.send("GET", "/v1/public/a/../b?q=1")?.status, 200)
        XCTAssertEqual(fixture.send("GET", "/v1/public/./%2e/c")?.status, 200)
        XCTAssertEqual(fixture.upstream.requests.map(\.target), ["/v1/public/b?q=1", "/v1/public/c"])
    }

    func testDoubleEncodedDotDotStaysInsideThePublicRoute() {
        XCTAssertEqual(fixture.send("GET", "/v1/public/%252e%252e/admin/x")?.status, 200)
        let target = fixture.upstream.requests.first?.target ?? ""
        XCTAssertTrue(target.hasPrefix("/v1/public/%25"), "forwarded as the public path it matched: \(target)")
        XCTAssertFalse(target.hasPrefix("/v1/admin"))
    }
}
