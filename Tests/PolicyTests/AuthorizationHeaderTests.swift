import XCTest
@testable import Policy

final class AuthorizationHeaderTests: XCTestCase {
    func testValidBearerTokens() {
        let cases: [(String, String)] = [
            ("Bearer abc.def.ghi", "abc.def.ghi"),
            ("bearer abc", "abc"),
            ("BEARER abc", "abc"),
            ("Bearer   a-b_c~d+e/f==", "a-b_c~d+e/f=="),
            ("  Bearer abc  ", "abc"),
        ]
        for (value, token) in cases {
            XCTAssertEqual(AuthorizationHeader.parse(values: [value]), .bearer(token: Substring(token)), value)
        }
    }

    func testMissingHeader() {
        XCTAssertEqual(AuthorizationHeader.parse(values: []), .missing)
    }

    func testRejectsTwoAuthorizationFields() {
        XCTAssertEqual(AuthorizationHeader.parse(values: ["Bearer a", "Bearer b"]), .malformed(.multipleFields))
    }

    func testRejectsBearerWithoutToken() {
        XCTAssertEqual(AuthorizationHeader.parse(values: ["Bearer"]), .malformed(.missingToken))
        XCTAssertEqual(AuthorizationHeader.parse(values: ["Bearer    "]), .malformed(.missingToken))
    }

    func testRejectsTokenWithSpaces() {
        XCTAssertEqual(AuthorizationHeader.parse(values: ["Bearer abc def"]), .malformed(.invalidToken))
    }

    func testRejectsTokenOutsideB64TokenAlphabet() {
        for value in ["Bearer abc,def", "Bearer \"abc\"", "Bearer a=b", "Bearer ====", "Bearer abc\u{e9}", "Bearer\tabc",
                      "Bearer abc;x"] {
            XCTAssertEqual(AuthorizationHeader.parse(values: [value]), .malformed(.invalidToken), value.debugDescription)
        }
    }

    func testRejectsEmptyOrSchemelessValue() {
        XCTAssertEqual(AuthorizationHeader.parse(values: [""]), .malformed(.noScheme))
        XCTAssertEqual(AuthorizationHeader.parse(values: ["  \"x\""]), .malformed(.noScheme))
    }

    func testOtherSchemes() {
        for value in ["Basic dXNlcjpwYXNz", "Digest username=\"x\"", "Bearerx abc", "DPoP abc", "Basic"] {
            XCTAssertEqual(AuthorizationHeader.parse(values: [value]), .otherScheme, value)
        }
    }

    func testMalformationCodesAreDistinct() {
        let codes = AuthorizationHeader.Malformation.allCases.map(\.rawValue)
        XCTAssertEqual(Set(codes).count, codes.count)
    }
}
