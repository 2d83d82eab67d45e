import XCTest
@testable import JOSE
import TextCoding

/// One test per attack or rejection cause, each against a generated fixture.
final class AttackRejectionTests: XCTestCase {
    func testRejectsAlgNone() {
        assertRejected("alg_none", .algNone)
        assertRejected("alg_None", .algNone)
        assertRejected("alg_NONE", .algNone)
    }
    func testRejectsHS256SignedWithRSAPublicKey() { assertRejected("hs256_signed_with_rsa_public_key", .algorithmNotAllowed) }
    func testRejectsHS256ConfusionOnSharedSecretIssuer() { assertRejected("hs256_confusion_on_hs_issuer_with_kid", .badSignature) }
    func testRejectsRSAKeyWithES256Header() { assertRejected("rsa_key_with_es256_header", .keyAlgorithmMismatch) }
    func testRejectsES384HeaderWithP256Key() { assertRejected("es384_header_with_p256_key", .keyAlgorithmMismatch) }
    func testRejectsJWKAlgMismatch() { assertRejected("jwk_alg_mismatch", .keyAlgorithmMismatch) }
    func testRejectsAlgorithmNotAllowedForIssuer() { assertRejected("alg_not_allowed_for_issuer", .algorithmNotAllowed) }
    func testRejectsUnsupportedAlgorithm() { assertRejected("unsupported_alg", .unsupportedAlgorithm) }
    func testRejectsDEREncodedES256Signature() { assertRejected("es256_der_signature", .badSignature) }
    func testRejectsES256WithRZero() { assertRejected("es256_r_zero", .badSignature) }
    func testRejectsES256WithSZero() { assertRejected("es256_s_zero", .badSignature) }
    func testRejectsES256WithRAndSZero() { assertRejected("es256_r_s_zero", .badSignature) }
    func testRejectsES256WithREqualToOrder() { assertRejected("es256_r_equals_n", .badSignature) }
    func testRejectsES256WithSEqualToOrder() { assertRejected("es256_s_equals_n", .badSignature) }
    func testRejectsES256WithSPlusOrder() { assertRejected("es256_s_plus_n", .badSignature) }
    func testRejectsPS256WithWrongSaltLength() { assertRejected("ps256_wrong_salt_length", .badSignature) }
    func testRejectsJKUAttackerKey() { assertRejected("jku_attacker_key", .unknownKey) }
    func testRejectsEmbeddedJWKAttackerKey() { assertRejected("jwk_embedded_attacker_key", .badSignature) }
    func testRejectsX5UAttackerKey() { assertRejected("x5u_attacker_key", .badSignature) }
    func testRejectsUnknownKid() { assertRejected("kid_unknown", .unknownKey) }
    func testRejectsKidOfEncryptionKey() { assertRejected("kid_of_enc_key", .unknownKey) }
    func testRejectsNoKidWithTwoFittingKeys() { assertRejected("no_kid_two_fitting_keys", .ambiguousKey) }
    func testRejectsBadSignature() { assertRejected("rs256_bad_signature", .badSignature) }
    func testRejectsSwappedPayload() { assertRejected("payload_swapped", .badSignature) }
    func testRejectsUnknownCrit() { assertRejected("crit_unknown", .unsupportedCritical) }
    func testRejectsTypJWTWhenAtJWTRequired() { assertRejected("strict_typ_jwt", .typMismatch) }
    func testRejectsMissingTypWhenRequired() { assertRejected("strict_typ_missing", .typMismatch) }
    func testRejectsMissingRequiredClaim() { assertRejected("strict_missing_required_claim", .missingClaim) }
    func testRejectsExpired() { assertRejected("expired", .expired) }
    func testRejectsNotYetValid() { assertRejected("nbf_future", .notYetValid) }
    func testRejectsIssuedInFuture() { assertRejected("iat_future", .issuedInFuture) }
    func testRejectsWrongAudience() { assertRejected("wrong_aud", .audienceMismatch) }
    func testRejectsMissingAudience() { assertRejected("missing_aud", .audienceMismatch) }
    func testRejectsWrongIssuer() { assertRejected("wrong_iss", .unknownIssuer) }
    func testRejectsMissingExp() { assertRejected("missing_exp", .missingClaim) }
    func testRejectsNonNumericExp() { assertRejected("exp_not_number", .malformed, .invalidClaimType) }
    func testRejectsJWE() { assertRejected("jwe_five_segments", .jwe) }
    func testRejectsTwoSegments() { assertRejected("two_segments", .malformed, .segmentCount) }
    func testRejectsFourSegments() { assertRejected("four_segments", .malformed, .segmentCount) }
    func testRejectsEmptySignature() { assertRejected("empty_signature", .malformed, .emptySignature) }
    func testRejectsPaddedBase64Header() { assertRejected("padded_base64_header", .malformed, .headerEncoding) }
    func testRejectsPaddedBase64Signature() { assertRejected("padded_base64_signature", .malformed, .signatureEncoding) }
    func testRejectsStandardBase64Alphabet() { assertRejected("standard_alphabet_signature", .malformed, .signatureEncoding) }
    func testRejectsNonCanonicalBase64() { assertRejected("noncanonical_base64_signature", .malformed, .signatureEncoding) }
    func testRejectsWhitespaceInToken() { assertRejected("whitespace_in_token", .malformed, .headerEncoding) }
    func testRejectsDuplicateClaim() { assertRejected("duplicate_claim", .malformed, .claimsJSON) }
    func testRejectsHeaderNotObject() { assertRejected("header_not_object", .malformed, .headerNotObject) }
    func testRejectsClaimsNotObject() { assertRejected("claims_not_object", .malformed, .claimsNotObject) }
    func testRejectsHeaderWithoutAlg() { assertRejected("header_missing_alg", .malformed, .missingAlgorithm) }

    func testRejectsOversizedToken() {
        let huge = [UInt8](repeating: UInt8(ascii: "A"), count: 16385)
        XCTAssertThrowsError(try TokenVerifier().parse(huge)) { XCTAssertEqual(($0 as? TokenRejection)?.code, .tokenTooLarge) }
    }

    func testRejectsDeeplyNestedClaims() throws {
        let header = Base64URL.encode(Array(#"{"alg":"RS256"}"#.utf8))
        let deep = String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40)
        let token = "\(header).\(Base64URL.encode(Array(deep.utf8))).AAAA"
        XCTAssertThrowsError(try TokenVerifier().parse(Array(token.utf8))) {
            XCTAssertEqual(($0 as? TokenRejection)?.malformedReason, .claimsJSON)
        }
    }

    /// Every fixture, whatever its name, ends as the generator said it must.
    func testEveryFixtureMatchesItsExpectation() {
        let fixtures = Fixtures.shared
        XCTAssertGreaterThan(fixtures.tokens.count, 60)
        for (name, fixture) in fixtures.tokens.sorted(by: { $0.key < $1.key }) {
            do {
                _ = try fixtures.verify(name)
                XCTAssertEqual(fixture.expect, "valid", name)
            } catch {
                XCTAssertEqual(error.code.rawValue, fixture.expect, "\(name): \(error.description)")
                if let reason = fixture.malformedReason { XCTAssertEqual(error.malformedReason?.rawValue, reason, name) }
            }
        }
    }
}
