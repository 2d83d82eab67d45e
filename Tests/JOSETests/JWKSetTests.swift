import XCTest
import PortcullisCrypto
@testable import JOSE

final class JWKSetTests: XCTestCase {
    static let rsaN = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
    static let ecKey = #"{"kty":"EC","crv":"P-256","kid":"ec1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#
    static let rsaKey = #"{"kty":"RSA","kid":"rsa1","alg":"RS256","use":"sig","n":"\#(rsaN)","e":"AQAB"}"#
    static let edKey = #"{"kty":"OKP","crv":"Ed25519","kid":"ed1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#

    func parse(_ s: String) throws -> JWKSet { try JWKSet(json: Array(s.utf8)) }

    func testParsesRSAECAndEd25519Keys() throws {
        let set = try parse(#"{"keys":[\#(Self.rsaKey),\#(Self.ecKey),\#(Self.edKey)]}"#)
        XCTAssertEqual(set.keys.map(\.keyID), ["rsa1", "ec1", "ed1"])
        XCTAssertEqual(set.keys.map(\.publicKey.kind), [.rsa(bits: 2048), .ec(.p256), .ed25519])
        XCTAssertEqual(set.keys[0].algorithm, .rs256)
        XCTAssertTrue(set.skipped.isEmpty)
        XCTAssertEqual(set.keyIDs, ["rsa1", "ec1", "ed1"])
    }

    func testSkipsUnusableKeysWithoutFailingTheSet() throws {
        let members = [
            #"{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}"#,
            #"{"kty":"RSA","kid":"enc","use":"enc","n":"\#(Self.rsaN)","e":"AQAB"}"#,
            #"{"kty":"RSA","kid":"ops","key_ops":["encrypt"],"n":"\#(Self.rsaN)","e":"AQAB"}"#,
            #"{"kty":"RSA","kid":"oaep","alg":"RSA-OAEP","n":"\#(Self.rsaN)","e":"AQAB"}"#,
            #"{"kty":"RSA","kid":"small","n":"0TQGH4DQ5AEY7CyqdeEV2xddIqLFJxJMZSN8b8TybBhOyQfdzQMst7zaJF1N9K2d-9lnSfCUjXW17ekMct2XTM--IEAlrtkEZ0O_xGeOV0rSYTCQ-mEHoVG_8Ru-Whnc5Fku3YceVap3V_kclLdrDP61ceoqpUlFP70ShHNl_r0","e":"AQAB"}"#,
            #"{"kty":"EC","kid":"es384-on-p256","alg":"ES384","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
            #"{"kty":"EC","kid":"offcurve","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4"}"#,
            #"{"kty":"OKP","kid":"x25519","crv":"X25519","x":"3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08"}"#,
            #"{"kty":"RSA","kid":"padded","n":"\#(Self.rsaN)","e":"AQAB=="}"#,
            #"{"kty":"OKP","kid":"private","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}"#,
            "42",
            Self.edKey,
        ]
        let set = try parse(#"{"keys":[\#(members.joined(separator: ","))]}"#)
        XCTAssertEqual(set.keys.map(\.keyID), ["ed1"])
        XCTAssertEqual(set.skipped.map(\.reason), [
            .symmetricKey, .notForSignature, .operationsExcludeVerify, .unsupportedAlgorithm,
            .invalidKeyMaterial, .algorithmKeyMismatch, .invalidKeyMaterial, .unsupportedCurve,
            .invalidMember, .privateKeyMaterial, .notAnObject,
        ])
        XCTAssertEqual(set.skipped[0].keyID, "hmac")
    }

    func testEmptySetIsValid() throws {
        XCTAssertTrue(try parse(#"{"keys":[]}"#).keys.isEmpty)
        XCTAssertTrue(try parse(#"{"keys":[{"kty":"oct","k":"AA"}]}"#).keys.isEmpty)
    }

    func testRejectsDocumentsThatAreNotAKeySet() {
        for (doc, reason) in [("[]", JWKSetParseError.Reason.notAnObject), (#"{"key":[]}"#, .missingKeys),
                              ("<html>", .invalidJSON), (#"{"keys":[]"#, .invalidJSON)] {
            XCTAssertThrowsError(try parse(doc)) { error in
                XCTAssertEqual((error as? JWKSetParseError)?.reason, reason, doc)
            }
        }
    }

    func testJWKAlgorithmFit() throws {
        let set = try parse(#"{"keys":[\#(Self.rsaKey),\#(Self.ecKey)]}"#)
        XCTAssertTrue(set.keys[0].fits(.rs256))
        XCTAssertFalse(set.keys[0].fits(.rs384), "JWK alg RS256 pins the algorithm")
        XCTAssertFalse(set.keys[0].fits(.hs256))
        XCTAssertFalse(set.keys[0].fits(.es256))
        XCTAssertTrue(set.keys[1].fits(.es256))
        XCTAssertFalse(set.keys[1].fits(.es384))
    }
}
