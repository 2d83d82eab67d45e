import XCTest
@testable import JOSE

final class ValidTokenTests: XCTestCase {
    func testEveryAlgorithmVerifies() {
        for name in ["rs256", "rs384", "rs512", "ps256", "ps384", "ps512", "es256", "es384", "es512", "eddsa", "hs256", "hs384", "hs512"] {
            let verified = assertAccepted("\(name)_valid")
            XCTAssertEqual(verified?.algorithm?.rawValue.lowercased(), name, name)
        }
    }

    func testVerifiedTokenCarriesClaims() throws {
        let t = try XCTUnwrap(assertAccepted("rs256_valid"))
        XCTAssertEqual(t.issuer, "https://issuer.test")
        XCTAssertEqual(t.subject, "user-42")
        XCTAssertEqual(t.audiences, ["portcullis-api"])
        XCTAssertEqual(t.scopes, ["orders:read", "orders:write"])
        XCTAssertEqual(t.clientID, "cli-1")
        XCTAssertEqual(t.keyID, "rsa-1")
        XCTAssertEqual(t.expiresAt, Fixtures.shared.now + 3600)
        XCTAssertEqual(t.stringClaim("sub"), "user-42")
        XCTAssertNil(t.stringClaim("iat"))
    }

    func testScpArrayAudienceArrayAndAzp() throws {
        let t = try XCTUnwrap(assertAccepted("scp_array_valid"))
        XCTAssertEqual(t.scopes, ["a:read", "b:write"])
        XCTAssertEqual(t.audiences, ["other", "portcullis-api"])
        XCTAssertEqual(t.clientID, "cli-azp")
    }

    func testNoKidWithExactlyOneFittingKeyIsAccepted() {
        XCTAssertNil(assertAccepted("no_kid_one_fitting_key")?.keyID.flatMap { $0 == "ec-384" ? nil : $0 })
    }

    func testClockSkewIsApplied() {
        assertAccepted("expired_within_skew")
        let fixtures = Fixtures.shared
        XCTAssertThrowsError(try fixtures.verify("expired_within_skew", now: fixtures.now + 31))
        XCTAssertNoThrow(try fixtures.verify("nbf_future", now: fixtures.now + 240))
        XCTAssertNoThrow(try fixtures.verify("iat_future", now: fixtures.now + 240))
    }

    func testTypAcceptsMediaTypeFormCaseInsensitively() {
        assertAccepted("strict_at_jwt_valid")
        assertAccepted("strict_application_at_jwt_valid")
    }

    func testExpiredDescriptionNamesTheInstantOnly() {
        do {
            _ = try Fixtures.shared.verify("expired")
            XCTFail("accepted")
        } catch {
            XCTAssertEqual(error.description, "token expired at 2026-11-18T11:04:40Z")
            XCTAssertFalse(error.description.contains("eyJ"))
        }
    }

    func testNoRejectionDescriptionEchoesTokenBytes() {
        for (name, fixture) in Fixtures.shared.tokens {
            do {
                _ = try Fixtures.shared.verify(name)
            } catch {
                let segments = fixture.token.split(separator: ".").filter { $0.count >= 8 }
                for segment in segments { XCTAssertFalse(error.description.contains(segment), name) }
                XCTAssertFalse(error.description.contains("user-42"), name)
            }
        }
    }

    func testPEMKeyLoadsAndVerifiesFixtureSignature() throws {
        let fixtures = Fixtures.shared
        let parsed = try TokenVerifier().parse(Array(fixtures.tokens["rs256_valid"]!.token.utf8))
        let jwk = JWK(keyID: nil, algorithm: nil, publicKey: try .init(pem: fixtures.rsa1PublicPEM))
        let config = fixtures.issuers["https://issuer.test"]!.configuration
        XCTAssertNoThrow(try TokenVerifier().verify(parsed, key: .jwk(jwk), issuer: config, now: fixtures.now))
    }
}
