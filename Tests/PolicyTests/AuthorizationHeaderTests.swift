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

    func testRejectTableCoversEveryByteValue() {
        XCTAssertEqual(AuthorizationHeader.b64TokenRejects.utf8CodeUnitCount, 256)
    }

    func testEveryByteIsClassifiedAsRFC6750Says() {
        // b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        let allowed = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/".utf8))
        for byte in UInt8(0)...UInt8(255) where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "=") {
            // Short (bytewise tail) and long (the byte inside a 16-byte vector block) tokens.
            for (prefix, suffix) in [("a", "b"), ("abcdefgh", "ijklmnopqrstuvwxyz")] {
                var bytes = Array("Bearer \(prefix)".utf8)
                bytes.append(byte)
                bytes.append(contentsOf: suffix.utf8)
                let value = String(decoding: bytes, as: UTF8.self)
                guard value.utf8.elementsEqual(bytes) else { continue }   // not valid UTF-8 alone: covered below
                let parsed = AuthorizationHeader.parse(values: [value])
                if allowed.contains(byte) {
                    XCTAssertEqual(parsed, .bearer(token: Substring(prefix + String(UnicodeScalar(byte)) + suffix)), "byte \(byte)")
                } else {
                    XCTAssertEqual(parsed, .malformed(.invalidToken), "byte \(byte)")
                }
            }
        }
        XCTAssertEqual(AuthorizationHeader.parse(values: ["Bearer ab\u{80}"]), .malformed(.invalidToken))
        XCTAssertEqual(AuthorizationHeader.parse(values: ["Bearer abcdefghijklmno\u{80}pqrstuvwxyz"]), .malformed(.invalidToken))
        XCTAssertEqual(AuthorizationHeader.parse(values: ["Bearer ab=="]), .bearer(token: "ab=="))
        XCTAssertEqual(AuthorizationHeader.parse(values: ["Bearer ab=c="]), .malformed(.invalidToken))
    }

    func testRejectsEmptyOrSchemelessValue() {
        XCTAssertEqual(AuthorizationHeader.parse(values: [""]), .malformed(.noScheme))
        XCTAssertEqual(AuthorizationHeader.parse(values: ["  \"x\""]), .malformed(.noScheme))
    }

    func testOtherSchemes() {
        for value in ["Basic dXNlcjpwYXNz", "Digest username=\"x\"", "Bearerx abc", "DPoPx abc", "Basic"] {
            XCTAssertEqual(AuthorizationHeader.parse(values: [value]), .otherScheme, value)
        }
    }

    /// RFC 9449 §7.1: the `DPoP` scheme (any case) carries a token that needs a proof.
    func testDPoPScheme() {
        XCTAssertEqual(AuthorizationHeader.parse(values: ["DPoP abc"]), .dpop(token: "abc"))
        XCTAssertEqual(AuthorizationHeader.parse(values: ["dpop  abc.def"]), .dpop(token: "abc.def"))
        XCTAssertEqual(AuthorizationHeader.parse(values: ["DPoP"]), .malformed(.missingToken))
        XCTAssertEqual(AuthorizationHeader.parse(values: ["DPoP a b"]), .malformed(.invalidToken))
    }

    func testMalformationCodesAreDistinct() {
        let codes = AuthorizationHeader.Malformation.allCases.map(\.rawValue)
        XCTAssertEqual(Set(codes).count, codes.count)
    }
}
