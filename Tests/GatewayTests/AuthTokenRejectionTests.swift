import XCTest
import PortcullisCrypto
@testable import Gateway

/// End-to-end: one test per attack on the token. Each malicious token is sent through the whole
/// gateway to a protected route and must get 401 `invalid_token` with a Bearer challenge and the
/// JSON body, never reach the upstream, and never be echoed. Tokens are built by hand
/// (`AuthTokenForge`) so that each differs from an accepted token (see the baseline test) in the
/// one property under attack.
final class AuthTokenRejectionTests: XCTestCase {
    var fixture: AuthGatewayFixture!

    override func setUpWithError() throws { fixture = try AuthGatewayFixture() }
    override func tearDown() { fixture?.stop() }

    private var now: Int64 { fixture.clock.unixSeconds() }
    private typealias Forge = AuthTokenForge

    private func assertRejected(_ token: String, because reason: String?, file: StaticString = #filePath, line: UInt = #line) {
        assertRejected(fixture.send("GET", "/v1/port-calls/1", token: token), token: token, by: fixture,
                       descriptionContains: reason, file: file, line: line)
    }

    /// The control: the forge's default token is accepted, so every rejection below is caused by
    /// the one property each test changes.
    func testBaselineForgedTokenIsAccepted() {
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: Forge.rsaToken(now: now))?.status, 200)
        let es = Forge.signed(header: Forge.rsaHeader(kid: AuthKeys.forgeECKid, alg: "ES256"), claims: Forge.claims(now: now),
                              key: AuthKeys.forgeEC, alg: .es256)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: es)?.status, 200)
    }

    func testAcceptsTokenExpiredWithinClockSkew() {
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: Forge.rsaToken(now: now, claims: Forge.claims(now: now, exp: now - 30)))?.status, 200)
    }

    func testRejectsAlgNone() {
        let claims = Forge.claims(now: now, scope: "admin")
        assertRejected(Forge.signingInput(header: "{\"alg\":\"none\",\"typ\":\"at+jwt\"}", claims: claims) + ".", because: nil)
        assertRejected(Forge.signingInput(header: "{\"alg\":\"none\",\"kid\":\"forge-rsa\"}", claims: claims) + ".c2ln", because: "alg none")
    }

    func testRejectsAlgNoneInOtherCase() {
        let token = Forge.signingInput(header: "{\"alg\":\"None\",\"kid\":\"forge-rsa\",\"typ\":\"at+jwt\"}", claims: Forge.claims(now: now)) + ".c2ln"
        assertRejected(token, because: nil)
    }

    func testRejectsTamperedPayload() {
        let valid = Forge.rsaToken(now: now).split(separator: ".")
        let token = valid[0] + "." + Forge.b64(Forge.claims(now: now, scope: "read:port_calls admin")) + "." + valid[2]
        assertRejected(token, because: "signature")
    }

    func testRejectsTamperedSignature() {
        var bytes = Array(Forge.rsaToken(now: now).utf8)
        let i = bytes.count - 40
        bytes[i] = bytes[i] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        assertRejected(String(decoding: bytes, as: UTF8.self), because: "signature")
    }

    func testRejectsHS256SignedWithTheRSAPublicKeyAsSecret() throws {
        let jwk = AuthKeys.forgeRSA.publicJWK(kid: AuthKeys.forgeRSAKid, alg: .rs256)
        let jwkText = String(decoding: try JSONSerialization.data(withJSONObject: jwk, options: [.sortedKeys]), as: UTF8.self)
        // The attacker's candidate "secrets": the published JWK text, the published JWKS document, the modulus text.
        let secrets = [Array(jwkText.utf8), Array(AuthKeys.issuerADocument().utf8), Array((jwk["n"] ?? "").utf8)]
        for secret in secrets {
            let token = Forge.hs256(header: Forge.rsaHeader(alg: "HS256"), claims: Forge.claims(now: now), secret: secret)
            assertRejected(token, because: "not allowed")
        }
    }

    func testRejectsJkuHeaderNamingAnAttackerKeySet() {
        fixture.stub.serve("/attacker/jwks.json", body: AuthKeys.jwks([AuthKeys.attackerRSA.publicJWK(kid: "attacker-1", alg: .rs256)]))
        let header = Forge.rsaHeader(kid: "attacker-1", extra: [("jku", Forge.str(fixture.stub.baseURL + "/attacker/jwks.json"))])
        assertRejected(Forge.signed(header: header, claims: Forge.claims(now: now), key: AuthKeys.attackerRSA, alg: .rs256),
                       because: "key")
        XCTAssertEqual(fixture.stub.hits("/attacker/jwks.json"), 0, "keys are never fetched from jku")
    }

    func testRejectsX5uHeaderNamingAnAttackerURL() {
        fixture.stub.serve("/attacker/cert.pem", body: "-----BEGIN CERTIFICATE-----")
        let header = Forge.rsaHeader(kid: "attacker-1", extra: [("x5u", Forge.str(fixture.stub.baseURL + "/attacker/cert.pem"))])
        assertRejected(Forge.signed(header: header, claims: Forge.claims(now: now), key: AuthKeys.attackerRSA, alg: .rs256),
                       because: "key")
        XCTAssertEqual(fixture.stub.hits("/attacker/cert.pem"), 0, "keys are never fetched from x5u")
    }

    func testRejectsEmbeddedJwkHeaderWithAttackerKey() throws {
        let jwk = String(decoding: try JSONSerialization.data(withJSONObject: AuthKeys.attackerRSA.publicJWK(kid: "attacker-1", alg: .rs256)), as: UTF8.self)
        let header = Forge.rsaHeader(kid: "attacker-1", extra: [("jwk", jwk)])
        assertRejected(Forge.signed(header: header, claims: Forge.claims(now: now), key: AuthKeys.attackerRSA, alg: .rs256),
                       because: "key")
    }

    func testRejectsEmbeddedJwkHeaderReusingATrustedKid() throws {
        let jwk = String(decoding: try JSONSerialization.data(withJSONObject: AuthKeys.attackerRSA.publicJWK(kid: AuthKeys.forgeRSAKid, alg: .rs256)), as: UTF8.self)
        let header = Forge.rsaHeader(extra: [("jwk", jwk)])
        assertRejected(Forge.signed(header: header, claims: Forge.claims(now: now), key: AuthKeys.attackerRSA, alg: .rs256),
                       because: "signature")
    }

    func testRejectsAttackerSignatureUnderATrustedKid() {
        assertRejected(Forge.signed(header: Forge.rsaHeader(), claims: Forge.claims(now: now), key: AuthKeys.attackerRSA, alg: .rs256),
                       because: "signature")
    }

    func testRejectsWrongAudience() {
        assertRejected(Forge.rsaToken(now: now, claims: Forge.claims(now: now, aud: Forge.str("another-api"))), because: "audience")
    }

    func testRejectsAudienceArrayWithoutOurAudience() {
        assertRejected(Forge.rsaToken(now: now, claims: Forge.claims(now: now, aud: "[\"a-api\",\"b-api\"]")), because: "audience")
    }

    func testRejectsUnknownIssuer() {
        assertRejected(Forge.rsaToken(now: now, claims: Forge.claims(now: now, iss: "https://evil.test")), because: "issuer")
    }

    func testRejectsIssuerDifferingOnlyByTrailingSlash() {
        assertRejected(Forge.rsaToken(now: now, claims: Forge.claims(now: now, iss: AuthKeys.issuerA + "/")), because: "issuer")
    }

    func testRejectsExpiredToken() {
        assertRejected(Forge.rsaToken(now: now, claims: Forge.claims(now: now, exp: now - 120, iat: now - 900)), because: "expired")
    }

    func testRejectsTokenNotYetValid() {
        assertRejected(Forge.rsaToken(now: now, claims: Forge.claims(now: now, nbf: now + 600)), because: "not valid before")
    }

    func testRejectsTokenIssuedInTheFuture() {
        assertRejected(Forge.rsaToken(now: now, claims: Forge.claims(now: now, iat: now + 600)), because: "future")
    }

    func testRejectsTokenWithoutExp() {
        assertRejected(Forge.rsaToken(now: now, claims: Forge.claims(now: now, omit: ["exp"])), because: "exp")
    }

    func testRejectsJWEFiveSegments() {
        let token = Forge.b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"forge-rsa\"}") + ".ZW5jcnlwdGVka2V5.aXY.Y2lwaGVydGV4dA.dGFn"
        assertRejected(token, because: "JWE")
    }

    func testRejectsUnknownCriticalHeader() {
        let header = Forge.rsaHeader(extra: [("crit", "[\"urn:example:must-understand\"]"), ("urn:example:must-understand", "true")])
        assertRejected(Forge.rsaToken(now: now, header: header), because: "critical")
    }

    func testRejectsWrongTyp() {
        assertRejected(Forge.rsaToken(now: now, header: Forge.rsaHeader(typ: "JWT")), because: "type")
    }

    func testRejectsAlgorithmThatDoesNotFitTheKidsKey() {
        // ES256 under the RSA key's kid, validly signed with a trusted EC key: algorithm confusion.
        let token = Forge.signed(header: Forge.rsaHeader(kid: AuthKeys.forgeRSAKid, alg: "ES256"), claims: Forge.claims(now: now),
                                 key: AuthKeys.forgeEC, alg: .es256)
        assertRejected(token, because: "does not fit")
    }

    func testRejectsAlgorithmNotAllowedForTheIssuer() {
        let header = Forge.json([("alg", "\"ES256\""), ("kid", Forge.str(AuthKeys.issuerBKid))])
        let valid = Forge.signed(header: header, claims: Forge.claims(now: now, iss: AuthKeys.issuerB), key: AuthKeys.issuerBEC, alg: .es256)
        XCTAssertEqual(fixture.send("GET", "/v1/me", token: valid)?.status, 200, "control: ES256 is B's algorithm")
        let rs = Forge.signed(header: Forge.json([("alg", "\"RS256\""), ("kid", Forge.str(AuthKeys.issuerBKid))]),
                              claims: Forge.claims(now: now, iss: AuthKeys.issuerB), key: AuthKeys.forgeRSA, alg: .rs256)
        assertRejected(fixture.send("GET", "/v1/port-calls/1", token: rs), token: rs, by: fixture, upstreamRequestsBefore: 1,
                       descriptionContains: "not allowed")
    }

    func testRejectsDEREncodedES256Signature() throws {
        let header = Forge.rsaHeader(kid: AuthKeys.forgeECKid, alg: "ES256")
        let claims = Forge.claims(now: now)
        let raw = try AuthKeys.forgeEC.sign(alg: .es256, message: Array(Forge.signingInput(header: header, claims: claims).utf8))
        let der = try XCTUnwrap(ECDSASignature.der(fromRaw: raw, curve: .p256))
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: Forge.withSignature(header: header, claims: claims, signature: raw))?.status,
                       200, "control: the raw r‖s form is accepted")
        let token = Forge.withSignature(header: header, claims: claims, signature: der)
        assertRejected(fixture.send("GET", "/v1/port-calls/1", token: token), token: token, by: fixture, upstreamRequestsBefore: 1,
                       descriptionContains: "signature")
    }

    func testRejectsTokenWithoutKidWhenSeveralKeysFit() {
        // Issuer A publishes two RSA keys: never "try every key".
        assertRejected(Forge.rsaToken(now: now, header: Forge.rsaHeader(kid: nil)), because: "several keys")
    }

    func testRejectsStandardBase64Alphabet() {
        var token = Forge.rsaToken(now: now)
        while !token.contains("-") && !token.contains("_") { token = Forge.rsaToken(now: now) }
        let standard = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        assertRejected(standard, because: "malformed")
    }

    func testRejectsOversizedToken() {
        let pad = String(repeating: "x", count: 20_000)
        assertRejected(Forge.rsaToken(now: now, claims: Forge.claims(now: now, extra: [("pad", Forge.str(pad))])), because: "exceeds")
    }

    func testRejectsTwoSegmentToken() {
        let parts = Forge.rsaToken(now: now).split(separator: ".")
        assertRejected(parts[0] + "." + parts[1], because: "malformed")
    }

    func testRejectionDoesNotEchoAttackerChosenClaimValues() {
        let claims = Forge.claims(now: now, iss: "https://evil.test/MARKERISS", aud: Forge.str("MARKERAUD"), sub: "MARKERSUB")
        let r = fixture.send("GET", "/v1/port-calls/1", token: Forge.rsaToken(now: now, claims: claims))
        XCTAssertEqual(r?.status, 401)
        XCTAssertFalse(r?.visibleText.contains("MARKER") ?? true, r?.visibleText ?? "")
    }

    func testRejectsDuplicateClaimNames() {
        // Two parsers reading a duplicated "scope" differently is how privilege confusion starts.
        let claims = Forge.claims(now: now, scope: "read:port_calls", extra: [("scope", Forge.str("manage:system"))])
        let token = Forge.rsaToken(now: now, claims: claims)
        assertRejected(fixture.send("GET", "/v1/admin/x", token: token), token: token, by: fixture, descriptionContains: "duplicate")
    }

    func testRejectsDuplicateHeaderParameters() {
        let header = "{\"alg\":\"RS256\",\"kid\":\"forge-rsa\",\"typ\":\"at+jwt\",\"alg\":\"none\"}"
        assertRejected(Forge.rsaToken(now: now, header: header), because: "duplicate")
    }
}
