import XCTest
@testable import JOSE
import TextCoding

final class KeySelectionTests: XCTestCase {
    let main = Fixtures.shared.issuers["https://issuer.test"]!

    func header(_ name: String) throws -> JOSEHeader {
        try TokenVerifier().parse(Array(Fixtures.shared.tokens[name]!.token.utf8)).header
    }

    func testKidSelectsExactlyThatKey() throws {
        guard case .key(.jwk(let k)) = main.configuration.selectKey(for: try header("es512_valid"), in: main.keys) else {
            return XCTFail("no key")
        }
        XCTAssertEqual(k.keyID, "ec-521")
    }

    func testUnknownKidIsReportedForRefresh() throws {
        guard case .unknownKey(let kid) = main.configuration.selectKey(for: try header("kid_unknown"), in: main.keys) else {
            return XCTFail("expected unknownKey")
        }
        XCTAssertEqual(kid, "rotated-away")
    }

    func testRotationThroughANewKeySet() throws {
        let h = try header("kid_unknown")
        guard case .unknownKey = main.configuration.selectKey(for: h, in: main.keys) else { return XCTFail() }
        let rotated = JWKSet(keys: [JWK(keyID: "rotated-away", algorithm: nil, publicKey: main.keys.keys[0].publicKey)])
        guard case .key = main.configuration.selectKey(for: h, in: rotated) else { return XCTFail("new key not picked") }
        guard case .unknownKey = main.configuration.selectKey(for: try header("rs256_valid"), in: rotated) else {
            return XCTFail("removed key still selected")
        }
    }

    func testNoKidAndNoFittingKeyIsUnknown() throws {
        let onlyEd = JWKSet(keys: main.keys.keys.filter { $0.keyType == .okp })
        guard case .unknownKey(nil) = main.configuration.selectKey(for: try header("no_kid_one_fitting_key"), in: onlyEd) else {
            return XCTFail("expected unknownKey(nil)")
        }
    }

    func testDuplicateKidIsAmbiguous() throws {
        let k = main.keys.keys[0]
        let twice = JWKSet(keys: [k, JWK(keyID: k.keyID, algorithm: nil, publicKey: k.publicKey)])
        guard case .rejected(let r) = main.configuration.selectKey(for: try header("rs256_valid"), in: twice) else {
            return XCTFail()
        }
        XCTAssertEqual(r.code, .ambiguousKey)
    }

    /// A `kid` shared by keys of different types picks the one that fits the algorithm, and is
    /// ambiguous only when several fit.
    func testSharedKidPicksTheOneKeyThatFits() throws {
        let rsa = main.keys.keys.first { $0.keyType == .rsa }!
        let ec = main.keys.keys.first { $0.keyType == .ec && $0.fits(.es256) }!
        let set = JWKSet(keys: [JWK(keyID: "shared", algorithm: nil, publicKey: rsa.publicKey),
                                JWK(keyID: "shared", algorithm: nil, publicKey: ec.publicKey)])
        let token = Base64URL.encode(Array(#"{"alg":"ES256","kid":"shared"}"#.utf8)) + "." + Base64URL.encode(Array("{}".utf8)) + ".c2ln"
        let h = try TokenParser().parse(token).header
        guard case .key(.jwk(let picked)) = main.configuration.selectKey(for: h, in: set) else { return XCTFail("no key") }
        XCTAssertTrue(picked.fits(.es256))
        XCTAssertEqual(picked.keyType, .ec)
        let twoEC = JWKSet(keys: set.keys + [JWK(keyID: "shared", algorithm: nil, publicKey: ec.publicKey)])
        guard case .rejected(let r) = main.configuration.selectKey(for: h, in: twoEC) else { return XCTFail("expected ambiguity") }
        XCTAssertEqual(r.code, .ambiguousKey)
    }

    func testVerifyRechecksKeyFitEvenWithoutSelection() throws {
        let parsed = try TokenVerifier().parse(Array(Fixtures.shared.tokens["rsa_key_with_es256_header"]!.token.utf8))
        let rsa = main.keys.keys.first { $0.keyID == "rsa-1" }!
        XCTAssertThrowsError(try TokenVerifier().verify(parsed, key: .jwk(rsa), issuer: main.configuration, now: Fixtures.shared.now)) {
            XCTAssertEqual(($0 as? TokenRejection)?.code, .keyAlgorithmMismatch)
        }
    }
}

final class IssuerConfigurationTests: XCTestCase {
    func code(_ body: () throws -> IssuerConfiguration) -> IssuerConfigurationError.Code? {
        do { _ = try body(); return nil } catch { return (error as? IssuerConfigurationError)?.code }
    }

    func testRejectsInconsistentConfigurations() {
        XCTAssertEqual(code { try IssuerConfiguration(issuer: "", allowedAlgorithms: [.rs256]) }, .emptyIssuer)
        XCTAssertEqual(code { try IssuerConfiguration(issuer: "i", allowedAlgorithms: []) }, .noAlgorithms)
        XCTAssertEqual(code { try IssuerConfiguration(issuer: "i", allowedAlgorithms: [.hs256]) }, .symmetricAlgorithmWithoutSecret)
        XCTAssertEqual(code { try IssuerConfiguration(issuer: "i", allowedAlgorithms: [.rs256], sharedSecret: Array(repeating: 1, count: 64)) },
                       .secretWithoutSymmetricAlgorithm)
        XCTAssertEqual(code { try IssuerConfiguration(issuer: "i", allowedAlgorithms: [.hs256, .hs512], sharedSecret: Array(repeating: 1, count: 32)) },
                       .secretTooShort)
        XCTAssertEqual(code { try IssuerConfiguration(issuer: "i", allowedAlgorithms: [.rs256], clockSkewSeconds: -1) }, .clockSkewOutOfRange)
        XCTAssertNil(code { try IssuerConfiguration(issuer: "i", allowedAlgorithms: [.hs256, .rs256], sharedSecret: Array(repeating: 1, count: 32)) })
    }

    func testSecretIsRedactedInDescriptions() throws {
        let c = try IssuerConfiguration(issuer: "i", allowedAlgorithms: [.hs256], sharedSecret: Array("supersecretsupersecretsupersecret".utf8))
        XCTAssertFalse(String(describing: c).contains("supersecret"))
        XCTAssertFalse(String(reflecting: c).contains("115, 117, 112"), "secret bytes must not be reflected either")
    }

    func testTypMatching() {
        XCTAssertTrue(TokenVerifier.typeMatches("at+jwt", required: "at+jwt"))
        XCTAssertTrue(TokenVerifier.typeMatches("AT+JWT", required: "at+jwt"))
        XCTAssertTrue(TokenVerifier.typeMatches("application/at+jwt", required: "at+jwt"))
        XCTAssertFalse(TokenVerifier.typeMatches("JWT", required: "at+jwt"))
        XCTAssertFalse(TokenVerifier.typeMatches(nil, required: "at+jwt"))
        XCTAssertTrue(TokenVerifier.typeMatches("Application/AT+jwt", required: "at+JWT"))
        XCTAssertFalse(TokenVerifier.typeMatches("application/", required: "at+jwt"))
        XCTAssertFalse(TokenVerifier.typeMatches("applicatioX/at+jwt", required: "at+jwt"))
        XCTAssertFalse(TokenVerifier.typeMatches("at+jw", required: "at+jwt"))
        XCTAssertFalse(TokenVerifier.typeMatches("at+jwt ", required: "at+jwt"))
        XCTAssertFalse(TokenVerifier.typeMatches("at+jw\u{212A}", required: "at+jwk"), "only ASCII letters fold")
    }

    func testTimestampFormatting() {
        XCTAssertEqual(Timestamp.rfc3339(0), "1970-01-01T00:00:00Z")
        XCTAssertEqual(Timestamp.rfc3339(951_782_400), "2000-02-29T00:00:00Z")
        XCTAssertEqual(Timestamp.rfc3339(1_795_000_000), "2026-11-18T11:06:40Z")
        XCTAssertEqual(Timestamp.rfc3339(-1), "1969-12-31T23:59:59Z")
    }

    func testScopeSplitting() {
        XCTAssertEqual(VerifiedToken.splitScopes("  a  b:c d "), ["a", "b:c", "d"])
        XCTAssertEqual(VerifiedToken.splitScopes(""), [])
    }

    /// `scopeText` (the identity header value) is the scopes joined by single spaces whatever the
    /// claim's spacing; a claim already in that form is used as it is.
    func testScopeTextIsSingleSpaced() {
        func token(_ claims: JSONObject) -> VerifiedToken {
            VerifiedToken(trustedClaims: claims, issuer: "i", audiences: [], expiresAt: nil)
        }
        XCTAssertEqual(token(["scope": .string("  a  b:c d ")]).scopeText, "a b:c d")
        XCTAssertEqual(token(["scope": .string("a b:c d")]).scopeText, "a b:c d")
        XCTAssertEqual(token(["scope": .string("a b:c d")]).scopes, ["a", "b:c", "d"])
        XCTAssertEqual(token(["scope": .string("a\tb")]).scopes, ["a\tb"], "only spaces separate")
        XCTAssertEqual(token(["scope": .string("   ")]).scopeText, "")
        XCTAssertEqual(token(["scope": .string("")]).scopes, [])
        XCTAssertEqual(token(["scp": .array([.string("x"), .string("y")])]).scopeText, "x y")
        XCTAssertEqual(token(["scp": .string(" x  y")]).scopeText, "x y")
    }
}
