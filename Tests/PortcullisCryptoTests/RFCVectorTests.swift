import XCTest
import PortcullisCrypto

/// RFC 7515 A.2 (RS256), A.3 (ES256) and RFC 8037 A.4 (Ed25519) known-answer vectors.
final class RFCVectorTests: XCTestCase {
    static let jwtPayload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    static let rsaN = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
    static let rs256Signature = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
    static let ecX = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
    static let ecY = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
    static let es256Signature = "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
    static let edX = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    static let edInput = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    static let edSignature = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

    func rsaKey() throws -> PublicKey { try PublicKey(rsaModulus: b64u(Self.rsaN), exponent: b64u("AQAB")) }

    func testRFC7515A2RS256Verifies() throws {
        let key = try rsaKey()
        XCTAssertEqual(key.kind, .rsa(bits: 2048))
        let input = Array("eyJhbGciOiJSUzI1NiJ9.\(Self.jwtPayload)".utf8)
        let sig = b64u(Self.rs256Signature)
        XCTAssertTrue(key.verify(.rs256, signingInput: input, signature: sig))
        XCTAssertFalse(key.verify(.rs256, signingInput: flipped(input, at: 5), signature: sig))
        XCTAssertFalse(key.verify(.rs256, signingInput: input, signature: flipped(sig, at: 100)))
        XCTAssertFalse(key.verify(.ps256, signingInput: input, signature: sig), "PKCS#1 v1.5 must not pass as PSS")
        XCTAssertFalse(key.verify(.rs384, signingInput: input, signature: sig))
    }

    func testRFC7515A3ES256Verifies() throws {
        let key = try PublicKey(curve: .p256, x: b64u(Self.ecX), y: b64u(Self.ecY))
        XCTAssertEqual(key.kind, .ec(.p256))
        let input = Array("eyJhbGciOiJFUzI1NiJ9.\(Self.jwtPayload)".utf8)
        let sig = b64u(Self.es256Signature)
        XCTAssertTrue(key.verify(.es256, signingInput: input, signature: sig))
        XCTAssertFalse(key.verify(.es256, signingInput: flipped(input, at: 0), signature: sig))
        XCTAssertFalse(key.verify(.es256, signingInput: input, signature: flipped(sig, at: 10)))
        XCTAssertFalse(key.verify(.es256, signingInput: input, signature: flipped(sig, at: -1)))
        XCTAssertFalse(key.verify(.es384, signingInput: input, signature: sig), "curve must match the algorithm")
    }

    func testRFC8037A4Ed25519Verifies() throws {
        let key = try PublicKey(ed25519: b64u(Self.edX))
        XCTAssertEqual(key.kind, .ed25519)
        let input = Array(Self.edInput.utf8)
        let sig = b64u(Self.edSignature)
        XCTAssertTrue(key.verify(.eddsa, signingInput: input, signature: sig))
        XCTAssertFalse(key.verify(.eddsa, signingInput: flipped(input, at: 3), signature: sig))
        XCTAssertFalse(key.verify(.eddsa, signingInput: input, signature: flipped(sig, at: 0)))
        XCTAssertFalse(key.verify(.eddsa, signingInput: input, signature: flipped(sig, at: 63)))
    }

    func testRSAKeyRejectsES256Algorithm() throws {
        let key = try rsaKey()
        let input = Array("eyJhbGciOiJFUzI1NiJ9.\(Self.jwtPayload)".utf8)
        XCTAssertFalse(key.verify(.es256, signingInput: input, signature: b64u(Self.es256Signature)))
        XCTAssertFalse(key.verify(.eddsa, signingInput: input, signature: b64u(Self.edSignature)))
    }
}
