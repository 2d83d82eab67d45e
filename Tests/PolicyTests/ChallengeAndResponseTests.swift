import Foundation
import XCTest
@testable import Policy

final class ChallengeAndResponseTests: XCTestCase {
    private func json(_ body: [UInt8]) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: Data(body))
        return try XCTUnwrap(object as? [String: String])
    }

    func testMissingTokenGetsBareChallengeWithoutErrorAttribute() throws {
        let response = Denial(.tokenMissing).response(realm: "portcullis")
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(response.header("WWW-Authenticate"), "Bearer realm=\"portcullis\"")
        XCTAssertEqual(try json(response.body), ["error": "invalid_token", "error_description": "Bearer token required"])
        XCTAssertEqual(response.header("Content-Type"), "application/json")
        XCTAssertEqual(response.header("Cache-Control"), "no-store")
    }

    func testOtherSchemeGetsBareBearerChallenge() throws {
        let response = Denial(.unsupportedScheme).response(realm: "api")
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(response.header("WWW-Authenticate"), "Bearer realm=\"api\"")
    }

    func testInvalidTokenCarriesReasonInHeaderAndBody() throws {
        let response = Denial(.invalidToken(code: "token_expired", description: "token expired at 1700000000"))
            .response(realm: "portcullis")
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(response.header("WWW-Authenticate"),
                       "Bearer realm=\"portcullis\", error=\"invalid_token\", error_description=\"token expired at 1700000000\"")
        XCTAssertEqual(try json(response.body), ["error": "invalid_token", "error_description": "token expired at 1700000000"])
        XCTAssertEqual(Denial(.invalidToken(code: "token_expired", description: "x")).code, "token_expired")
    }

    func testInsufficientScopeIs403WithScopeInHeaderAndBody() throws {
        let response = Denial(.insufficientScope(required: "read:invoices", description: "requires one of read:invoices, write:invoices"))
            .response(realm: "portcullis")
        XCTAssertEqual(response.status, 403)
        let challenge = try AuthParamParser.parse(try XCTUnwrap(response.header("WWW-Authenticate")))
        XCTAssertEqual(challenge.scheme, "Bearer")
        XCTAssertEqual(challenge["error"], "insufficient_scope")
        XCTAssertEqual(challenge["scope"], "read:invoices")
        XCTAssertEqual(try json(response.body), ["error": "insufficient_scope",
                                                 "error_description": "requires one of read:invoices, write:invoices",
                                                 "scope": "read:invoices"])
    }

    func testMalformedAuthorizationIs400InvalidRequest() throws {
        let response = Denial(.malformedAuthorization(.multipleFields)).response(realm: "portcullis")
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual(try AuthParamParser.parse(response.header("WWW-Authenticate")!)["error"], "invalid_request")
        XCTAssertEqual(try json(response.body)["error"], "invalid_request")
    }

    func testIssuerNotAllowedIs401InvalidToken() throws {
        let response = Denial(.issuerNotAllowed).response(realm: "portcullis")
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(try json(response.body), ["error": "invalid_token", "error_description": "issuer not accepted for this route"])
    }

    func testQuotesBackslashesAndControlsInReasonCannotBreakTheHeader() throws {
        let nasty = "bad \"sig\" \\ here\r\nSet-Cookie: x=1\u{7f}\u{e9}"
        let response = Denial(.invalidToken(code: "x", description: nasty)).response(realm: "re\"alm\\")
        let header = try XCTUnwrap(response.header("WWW-Authenticate"))
        XCTAssertFalse(header.contains("\r") || header.contains("\n"))
        let challenge = try AuthParamParser.parse(header)
        XCTAssertEqual(challenge["realm"], "re\"alm\\")
        XCTAssertEqual(challenge["error_description"], "bad \"sig\" \\ here  Set-Cookie: x=1 ?")
        XCTAssertEqual(try json(response.body)["error_description"], "bad \"sig\" \\ here  Set-Cookie: x=1 ?")
    }

    /// Fuzz: random reason strings with quotes, backslashes, commas, equals, controls and non-ASCII
    /// always round-trip through an independent RFC 7235 parser as their sanitized form, with no
    /// extra or missing parameters.
    func testRandomReasonsRoundTripThroughAuthParamParser() throws {
        var rng = SplitMix64(seed: 2024)
        let pieces: [String] = ["\"", "\\", ",", "=", " ", "a", "Z", "9", "error=\"x\"", "\t", "\r", "\n", "\u{0}",
                                "\u{7f}", "é", "😀", "scope", "\\\"", "\"\\", "realm=", ";", "'"]
        for _ in 0..<500 {
            var reason = ""
            for _ in 0..<Int(rng.next() % 12) { reason += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let scope = rng.next() % 2 == 0 ? nil : "read:x " + reason
            let challenge = BearerChallenge(realm: "portcullis", error: "invalid_token", description: reason, scope: scope)
            let parsed = try AuthParamParser.parse(challenge.headerValue)
            XCTAssertEqual(parsed.scheme, "Bearer")
            XCTAssertEqual(parsed.parameters.map(\.0), ["realm", "error", "error_description"] + (scope == nil ? [] : ["scope"]))
            XCTAssertEqual(parsed["error_description"], BearerChallenge.sanitize(reason), reason.debugDescription)
            XCTAssertEqual(parsed["scope"], scope.map(BearerChallenge.sanitize))
            XCTAssertTrue(challenge.headerValue.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
            let body = ErrorResponse(status: 401, challenge: challenge, bodyDescription: "").body
            XCTAssertEqual(try json(body)["error_description"], BearerChallenge.sanitize(reason))
        }
    }

    func testPlainGatewayErrorsAreJSONWithTheirStatus() throws {
        let cases: [(ErrorResponse, Int, String)] = [
            (.badRequest(PathRejection(.encodedSlash)), 400, "bad_request"),
            (.notFound(), 404, "not_found"),
            (.methodNotAllowed(allow: ["GET", "HEAD"]), 405, "method_not_allowed"),
            (.requestTimeout(), 408, "request_timeout"),
            (.contentTooLarge(), 413, "content_too_large"),
            (.uriTooLong(), 414, "uri_too_long"),
            (.headerFieldsTooLarge(), 431, "request_header_fields_too_large"),
            (.notImplemented("transfer coding not supported"), 501, "not_implemented"),
            (.badGateway(), 502, "bad_gateway"),
            (.serviceUnavailable(retryAfterSeconds: 5, "keys of the issuer are unavailable"), 503, "service_unavailable"),
            (.gatewayTimeout(), 504, "gateway_timeout"),
        ]
        for (response, status, error) in cases {
            XCTAssertEqual(response.status, status)
            XCTAssertEqual(try json(response.body)["error"], error)
            XCTAssertFalse(try json(response.body)["error_description"]?.isEmpty ?? true)
            XCTAssertEqual(response.header("Content-Type"), "application/json")
            XCTAssertNotEqual(response.reasonPhrase, "Error")
        }
        XCTAssertEqual(ErrorResponse.methodNotAllowed(allow: ["GET", "HEAD"]).header("Allow"), "GET, HEAD")
        XCTAssertEqual(ErrorResponse.serviceUnavailable(retryAfterSeconds: 5).header("Retry-After"), "5")
        XCTAssertEqual(try json(ErrorResponse.badRequest(PathRejection(.encodedSlash)).body)["error_description"],
                       "encoded slash (%2F) in path")
    }
}
