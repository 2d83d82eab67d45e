import XCTest
@testable import Policy

/// One named test per known path-confusion attack against a gateway with a public prefix
/// (`/v1/public/**`) in front of a protected one (`/v1/admin/**`, admin scope).
final class PathAttackTests: XCTestCase {
    private let table = try! RouteTable(routes: [
        RouteSpec(path: "/v1/public/**", upstream: "u", isPublic: true, index: 0),
        RouteSpec(path: "/v1/admin/**", upstream: "u", allScopes: ["admin"], index: 1),
    ])

    /// What the gateway would do: a 400 code, or the route index and the path forwarded upstream.
    private func outcome(_ target: String) -> String {
        let normalized: NormalizedTarget
        do { normalized = try PathNormalizer.normalize(target) } catch { return error.code.rawValue }
        switch table.match(method: "GET", path: normalized.path) {
        case .matched(let index, _): return "route \(index) \(normalized.path)"
        case .methodNotAllowed: return "405"
        case .notFound: return "404 \(normalized.path)"
        }
    }

    func testRejectsPlainDotDotEscapeFromPublicPrefix() {
        XCTAssertEqual(outcome("/v1/public/../admin/x"), "route 1 /v1/admin/x")
    }

    func testRejectsPercentEncodedDotDotEscape() {
        XCTAssertEqual(outcome("/v1/public/%2e%2e/admin/x"), "route 1 /v1/admin/x")
        XCTAssertEqual(outcome("/v1/public/%2E./admin/x"), "route 1 /v1/admin/x")
    }

    func testRejectsEncodedSlash() {
        XCTAssertEqual(outcome("/v1/public/..%2Fadmin/x"), "path_encoded_slash")
        XCTAssertEqual(outcome("/v1/public/..%2fadmin/x"), "path_encoded_slash")
    }

    func testRejectsTomcatDotDotSemicolon() {
        XCTAssertEqual(outcome("/v1/public/..;/admin/x"), "path_dot_segment_with_parameters")
        XCTAssertEqual(outcome("/v1/public/..;a=b/admin/x"), "path_dot_segment_with_parameters")
        XCTAssertEqual(outcome("/v1/public/..%3B/admin/x"), "path_dot_segment_with_parameters")
    }

    func testRejectsEmptySegmentWithParameters() {
        XCTAssertEqual(outcome("/v1/public/;x/../../admin"), "path_dot_segment_with_parameters")
    }

    func testPathParametersDoNotHideAProtectedSegment() {
        XCTAssertEqual(outcome("/v1/admin;jsessionid=1/x"), "route 1 /v1/admin;jsessionid=1/x")
        XCTAssertEqual(outcome("/v1/admin%3bx/x"), "route 1 /v1/admin%3Bx/x")
    }

    func testDoubleSlashIsMergedBeforeMatching() {
        XCTAssertEqual(outcome("//v1//admin//x"), "route 1 /v1/admin/x")
        XCTAssertEqual(outcome("/v1/public//../admin"), "route 1 /v1/admin")
    }

    func testRejectsBackslashSeparator() {
        XCTAssertEqual(outcome("/v1/public/..\\admin/x"), "path_backslash")
        XCTAssertEqual(outcome("/v1/public/..%5cadmin/x"), "path_backslash")
    }

    func testRejectsNulByte() {
        XCTAssertEqual(outcome("/v1/public/x%00/../../admin"), "path_nul")
        XCTAssertEqual(outcome("/v1/public/x\u{0}"), "path_nul")
    }

    func testRejectsClimbAboveRoot() {
        XCTAssertEqual(outcome("/v1/public/../../../etc/passwd"), "path_above_root")
    }

    func testRejectsIISUnicodeEscape() {
        XCTAssertEqual(outcome("/v1/public/%u002e%u002e/admin"), "path_malformed_percent_encoding")
    }

    func testRejectsCRLFInjectionInTarget() {
        XCTAssertEqual(outcome("/v1/public/x\r\nHost: evil"), "path_invalid_character")
        XCTAssertEqual(outcome("/v1/public/x?a=\r\n"), "path_invalid_character")
    }

    func testRejectsOverlongUTF8Dot() {
        // %C0%AE is an overlong encoding of "." that old decoders accepted.
        XCTAssertEqual(outcome("/v1/public/%C0%AE%C0%AE/admin"), "path_invalid_utf8")
        XCTAssertEqual(outcome("/v1/public/%E0%80%AE/admin"), "path_invalid_utf8")
        XCTAssertEqual(outcome("/v1/public/%C3/admin"), "path_invalid_utf8")
        XCTAssertEqual(outcome("/v1/public/%ED%A0%80"), "path_invalid_utf8")
        XCTAssertEqual(outcome("/v1/public/caf%C3%A9/%F0%9F%98%80"), "route 0 /v1/public/caf%C3%A9/%F0%9F%98%80")
        XCTAssertEqual(outcome("/v1/public/\u{c0}\u{ae}"), "path_invalid_character")
    }

    func testCaseVariantDoesNotReachPublicRoute() {
        XCTAssertEqual(outcome("/V1/PUBLIC/../admin"), "404 /V1/admin")
        XCTAssertEqual(outcome("/v1/ADMIN/x"), "404 /v1/ADMIN/x")
    }

    func testDoubleEncodingIsNotDecodedTwice() {
        XCTAssertEqual(outcome("/v1/public/%252e%252e/admin"), "route 0 /v1/public/%252e%252e/admin")
    }
}
