import XCTest
@testable import JOSE
import PortcullisCrypto
import TextCoding

/// The lazy claims reader (`ClaimSet` over `JSONParser.memberSpans`): it reads what the strict
/// parser reads, and rejects what it rejects, with the same error, even in members nobody reads.
final class ClaimSetTests: XCTestCase {
    private func claims(_ json: String) throws -> ClaimSet {
        try XCTUnwrap(ClaimSet.read(Array(json.utf8)))
    }

    /// The same error from the lazy reader and the parser (and an error at all).
    private func assertBothReject(_ json: String, _ reason: JSONParseError.Reason, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(json.utf8)
        var parserError: JSONParseError?
        do throws(JSONParseError) { _ = try JSONParser.parse(bytes) } catch { parserError = error }
        XCTAssertEqual(parserError?.reason, reason, "parser", file: file, line: line)
        do throws(JSONParseError) {
            _ = try ClaimSet.read(bytes)
            XCTFail("claims reader accepted \(json)", file: file, line: line)
        } catch {
            XCTAssertEqual(error, parserError, "claims reader", file: file, line: line)
        }
    }

    func testReadsEveryMemberAsTheParserDoes() throws {
        let json = #"{"iss":"https:\/\/issuer.test","sub":"caf\u00e9","aud":["a","b"],"exp":1795000000,"nbf":1.5e9,"#
            + #""ok":true,"none":null,"cnf":{"jkt":"t"},"a_member_name_longer_than_16":"long","\u0073cope":"x y","é":"ü"}"#
        let lazy = try claims(json)
        let object = try XCTUnwrap(JSONParser.parse(Array(json.utf8)).objectValue)
        XCTAssertTrue(lazy.isLazy)
        XCTAssertEqual(lazy.count, object.count)
        for (name, value) in object { XCTAssertEqual(lazy[name], value, name) }
        XCTAssertEqual(lazy.object.names, object.names)
        XCTAssertEqual(lazy["iss"], .string("https://issuer.test"))
        XCTAssertEqual(lazy["scope"], .string("x y"), "escaped name")
        XCTAssertNil(lazy["a_member_name_longer_than_17"])
        XCTAssertNil(lazy["Iss"])
    }

    func testStringComparisonInPlace() throws {
        let c = try claims(#"{"iss":"https:\/\/issuer.test","sub":"u","exp":1}"#)
        XCTAssertEqual(c.string(.iss, equals: "https://issuer.test"), true, "escaped value compares decoded")
        XCTAssertEqual(c.string(.iss, equals: "https://issuer.tes"), false)
        XCTAssertEqual(c.string(.sub, equals: "u"), true)
        XCTAssertEqual(c.string(.exp, equals: "1"), false, "a number is not the string")
        XCTAssertNil(c.string(.aud, equals: "u"))
        XCTAssertEqual(try claims("{\"iss\":\"\u{212A}\"}").string(.iss, equals: "K"), false, "bytes, not canonical equivalence")
    }

    func testLargeObjectIsParsedWhole() throws {
        let many = (0..<(JSONParser.maximumIndexedMembers + 1)).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let c = try claims("{\(many)}")
        XCTAssertFalse(c.isLazy)
        XCTAssertEqual(c["k32"], .number(32))
        assertBothReject("{\(many),\"k3\":1}", .duplicateKey)
    }

    /// A name longer than 16 bytes written with escapes would be decoded again for every later
    /// name with the same packed form, so such a payload is parsed whole instead.
    func testLongEscapedNameTakesTheParser() throws {
        let c = try claims(#"{"iss":"a","a_member_name_longer_than_\u00316":1}"#)
        XCTAssertFalse(c.isLazy)
        XCTAssertEqual(c["a_member_name_longer_than_16"], .number(1))
        XCTAssertEqual(c["iss"], .string("a"))
        XCTAssertTrue(try claims(#"{"\u0069ss":"a","a_member_name_longer_than_16":1}"#).isLazy, "short escaped and long plain names stay lazy")
    }

    func testNonObjectHasNoClaims() throws {
        XCTAssertNil(try ClaimSet.read(Array("[1]".utf8)))
        XCTAssertNil(try ClaimSet.read(Array("\"iss\"".utf8)))
    }

    // One test per rejection the lazy reader makes itself (the parser's own are in JSONParserTests).

    func testDuplicateClaimRejected() { assertBothReject(#"{"iss":"a","iss":"b"}"#, .duplicateKey) }

    func testDuplicateClaimSpelledWithEscapeRejected() { assertBothReject(#"{"iss":"a","i\u0073s":"b"}"#, .duplicateKey) }

    func testDuplicateLongClaimNameRejected() {
        assertBothReject(#"{"a_member_name_longer_than_16":1,"a_member_name_longer_than_16":2}"#, .duplicateKey)
        assertBothReject(#"{"a_member_name_longer_than_16":1,"a_member_name_longer_than_\u00316":2}"#, .duplicateKey)
    }

    func testInvalidUTF8InAnUnreadClaimRejected() {
        var bytes = Array(#"{"iss":"a","jti":"x"}"#.utf8)
        bytes.insert(contentsOf: [0xc0, 0xaf], at: bytes.count - 3)
        var parserError: JSONParseError?
        do throws(JSONParseError) { _ = try JSONParser.parse(bytes) } catch { parserError = error }
        XCTAssertEqual(parserError?.reason, .invalidString)
        do throws(JSONParseError) { _ = try ClaimSet.read(bytes); XCTFail("overlong UTF-8 accepted") } catch { XCTAssertEqual(error, parserError) }
    }

    func testControlCharacterInAnUnreadClaimRejected() { assertBothReject("{\"iss\":\"a\",\"jti\":\"x\u{01}\"}", .invalidString) }

    func testBadEscapeInAnUnreadClaimRejected() { assertBothReject(#"{"iss":"a","jti":"\x"}"#, .invalidString) }

    func testLoneSurrogateInAnUnreadClaimRejected() { assertBothReject(#"{"iss":"a","jti":"\ud800"}"#, .invalidString) }

    func testUnterminatedClaimRejected() { assertBothReject(#"{"iss":"a","jti":"x"#, .invalidString) }

    func testDeepNestingInAnUnreadClaimRejected() {
        assertBothReject("{\"x\":" + String(repeating: "[", count: 16) + String(repeating: "]", count: 16) + "}", .depthExceeded)
    }

    func testInvalidNumberInAnUnreadClaimRejected() { assertBothReject(#"{"iss":"a","iat":01}"#, .invalidNumber) }

    func testTrailingDataAfterClaimsRejected() { assertBothReject(#"{"iss":"a"}{"iss":"b"}"#, .trailingData) }

    func testTrailingCommaInClaimsRejected() { assertBothReject(#"{"iss":"a",}"#, .syntax) }

    // Through the verifier: an HS256 token for the fixtures' `https://hs.test` issuer.

    private func hs256(_ claims: [UInt8]) -> [UInt8] {
        let fixtures = Fixtures.shared
        let secret = fixtures.issuers["https://hs.test"]!.configuration.sharedSecret!.bytes
        let input = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(claims)
        let tag = secret.withUnsafeBytes { key in
            Array(input.utf8).withUnsafeBytes { HMAC.authenticationCode(.sha256, key: key, message: $0) }
        }
        return Array((input + "." + Base64URL.encode(tag)).utf8)
    }

    private func verify(_ token: [UInt8]) throws(TokenRejection) -> VerifiedToken {
        let fixtures = Fixtures.shared
        return try TokenVerifier().verify(token, now: fixtures.now) { fixtures.issuers[$0] }
    }

    func testEscapedIssuerVerifiesAsTheConfiguredIssuer() throws {
        let now = Fixtures.shared.now
        let token = hs256(Array(#"{"iss":"https:\/\/hs.test","aud":"portcullis-api","sub":"s\u0031","exp":\#(now + 600)}"#.utf8))
        let verified = try verify(token)
        XCTAssertEqual(verified.issuer, "https://hs.test")
        XCTAssertEqual(verified.subject, "s1")
        XCTAssertEqual(verified.claims["iss"], .string("https://hs.test"))
    }

    func testTokenWithInvalidUTF8InAnUnreadClaimRejected() {
        let now = Fixtures.shared.now
        var claims = Array(#"{"iss":"https://hs.test","aud":"portcullis-api","exp":\#(now + 600),"jti":"ab"}"#.utf8)
        claims.insert(contentsOf: [0xed, 0xa0, 0x80], at: claims.count - 3)   // an encoded surrogate
        XCTAssertThrowsError(try verify(hs256(claims))) { XCTAssertEqual(($0 as? TokenRejection)?.malformedReason, .claimsJSON) }
    }

    func testTokenWithDuplicateUnreadClaimRejected() {
        let now = Fixtures.shared.now
        let claims = Array(#"{"iss":"https://hs.test","aud":"portcullis-api","exp":\#(now + 600),"jti":"a","j\u0074i":"b"}"#.utf8)
        XCTAssertThrowsError(try verify(hs256(claims))) { XCTAssertEqual(($0 as? TokenRejection)?.malformedReason, .claimsJSON) }
    }

    func testScopesAndAudiencesReadFromThePayload() throws {
        let now = Fixtures.shared.now
        let plain = try verify(hs256(Array(#"{"iss":"https://hs.test","aud":"portcullis-api","exp":\#(now + 600),"scope":" a  b:c "}"#.utf8)))
        XCTAssertEqual(plain.scopes, ["a", "b:c"])
        XCTAssertEqual(plain.scopeText, "a b:c")
        XCTAssertEqual(plain.audiences, ["portcullis-api"])
        let escaped = try verify(hs256(Array(#"{"iss":"https://hs.test","aud":["x","portcullis-api"],"exp":\#(now + 600),"scope":"a\u0020b"}"#.utf8)))
        XCTAssertEqual(escaped.scopes, ["a", "b"], "an escaped space separates too")
        XCTAssertEqual(escaped.audiences, ["x", "portcullis-api"])
        let trusted = VerifiedToken(trustedClaims: ["aud": .string("ignored")], issuer: "i", audiences: ["given"], expiresAt: nil)
        XCTAssertEqual(trusted.audiences, ["given"], "a trusted source's audiences are kept as given")
    }

    func testAudienceOfWrongTypeRejected() {
        let now = Fixtures.shared.now
        for aud in [#"["portcullis-api",1]"#, "1", "{}"] {
            let claims = Array(#"{"iss":"https://hs.test","aud":\#(aud),"exp":\#(now + 600)}"#.utf8)
            XCTAssertThrowsError(try verify(hs256(claims)), aud) { XCTAssertEqual(($0 as? TokenRejection)?.malformedReason, .invalidClaimType) }
        }
    }
}
