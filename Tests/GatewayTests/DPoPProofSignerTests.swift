import XCTest
import JOSE
import PortcullisCrypto
@testable import Gateway

/// `portcullis dpop proof` signs what the gateway verifies, for every key type (ES256, EdDSA, RS256).
final class DPoPProofSignerTests: XCTestCase {
    func testProofsOfEveryKeyTypeVerify() throws {
        let url = "http://gateway.test/v1/port-calls/1"
        for type in SigningKey.KeyType.allCases {
            let signer = DPoPProofSigner(key: try SigningKey.generate(type))
            let proof = try signer.proof(method: "GET", url: url, accessToken: "tok", nonce: "n-1", now: 1_000)
            let verified = try DPoPProofVerifier().verify(Substring(proof), for: DPoPRequest(
                method: "GET", targetURI: HTTPTargetURI.normalize(url)!, accessToken: "tok", boundThumbprint: signer.thumbprint), now: 1_000)
            XCTAssertEqual(verified.thumbprint, signer.thumbprint, type.rawValue)
            XCTAssertEqual(verified.nonce, "n-1")
            XCTAssertFalse(signer.jwkJSON.contains("\"d\""), "never a private member")
        }
    }
}
