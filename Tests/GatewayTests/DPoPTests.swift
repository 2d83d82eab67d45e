import Foundation
import XCTest
import PortcullisCrypto
@testable import Gateway

/// End-to-end DPoP (RFC 9449, issue 13): bound tokens need the `DPoP` scheme and one valid proof on
/// every request; each attack gets `invalid_dpop_proof` (or `invalid_token`) with the DPoP challenge
/// and never reaches the upstream.
final class DPoPTests: XCTestCase {
    var fixture: AuthGatewayFixture!
    var key: DPoPKey!
    static let url = "http://gateway.test/v1/port-calls/1"

    override func setUpWithError() throws {
        fixture = try AuthGatewayFixture()
        key = try DPoPKey.generate()
    }
    override func tearDown() { fixture?.stop() }

    var now: Int64 { fixture.clock.unixSeconds() }

    func boundToken(to key: DPoPKey? = nil) throws -> String {
        try AuthKeys.devIssuer.mintAccessToken(clientID: "spa", subject: "alice", scopes: ["read:port_calls"], now: now,
                                               alg: .es256, dpopThumbprint: (key ?? self.key).thumbprint)
    }

    func send(_ token: String, proofs: [String], method: String = "GET", target: String = "/v1/port-calls/1",
              scheme: String = "DPoP") -> AuthResponse? {
        fixture.send(method, target, headers: [("Authorization", "\(scheme) \(token)")] + proofs.map { ("DPoP", $0) })
    }

    func assertInvalidProof(_ r: AuthResponse?, _ description: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r?.status, 401, file: file, line: line)
        XCTAssertEqual(r?.json?["error"] as? String, "invalid_dpop_proof", file: file, line: line)
        XCTAssertEqual(r?.json?["error_description"] as? String, description, file: file, line: line)
        let challenge = r?.headers["www-authenticate"] ?? ""
        XCTAssertTrue(challenge.hasPrefix("DPoP algs=\""), challenge, file: file, line: line)
        XCTAssertTrue(challenge.contains("error=\"invalid_dpop_proof\""), challenge, file: file, line: line)
        XCTAssertEqual(fixture.upstream.requests.count, 0, "never forwarded", file: file, line: line)
    }

    func testValidProofIsForwardedAndCacheHitsStillNeedAFreshProof() throws {
        let token = try boundToken()
        XCTAssertEqual(send(token, proofs: [try key.proof("GET", Self.url, token: token, iat: now)])?.status, 200)
        XCTAssertEqual(send(token, proofs: [try key.proof("GET", Self.url, token: token, iat: now)])?.status, 200)
        XCTAssertEqual(fixture.upstream.requests.count, 2)
        XCTAssertEqual(send(token, proofs: [])?.status, 401, "a cached token without a proof is refused")
    }

    func testProofReplayIsRejected() throws {
        let token = try boundToken()
        let proof = try key.proof("GET", Self.url, token: token, iat: now)
        XCTAssertEqual(send(token, proofs: [proof])?.status, 200)
        let replay = send(token, proofs: [proof])
        XCTAssertEqual(replay?.status, 401)
        XCTAssertEqual(replay?.json?["error_description"] as? String, "DPoP proof was already used")
        XCTAssertEqual(fixture.upstream.requests.count, 1)
    }

    func testProofForAnotherURIIsRejected() throws {
        let token = try boundToken()
        for url in ["http://gateway.test/v1/port-calls/2", "https://gateway.test/v1/port-calls/1", "http://evil.test/v1/port-calls/1",
                    "http://gateway.test:8080/v1/port-calls/1"] {
            assertInvalidProof(send(token, proofs: [try key.proof("GET", url, token: token, iat: now)]),
                               "DPoP proof htu does not match the request URI")
        }
        // Equivalent spellings (RFC 3986 §6) and a query are fine.
        for url in ["HTTP://Gateway.Test:80/v1/port-calls/1", "http://gateway.test/v1/%70ort-calls/1", "http://gateway.test/v1/port-calls/1?x=1"] {
            XCTAssertEqual(send(token, proofs: [try key.proof("GET", url, token: token, iat: now)], target: "/v1/port-calls/1?page=2")?.status, 200, url)
        }
    }

    func testProofSignedWithAnotherKeyIsRejected() throws {
        let token = try boundToken()
        let other = try DPoPKey.generate()
        assertInvalidProof(send(token, proofs: [try other.proof("GET", Self.url, token: token, iat: now)]),
                           "DPoP proof key does not match the token's binding")
        // The bound key's jwk in the header, signed by another key: the signature fails.
        let forged = try other.proof("GET", Self.url, token: token, iat: now, headerJWK: key.jwk)
        assertInvalidProof(send(token, proofs: [forged]), "DPoP proof signature is invalid")
    }

    func testBoundTokenSentAsBearerIsRejected() throws {
        let token = try boundToken()
        let r = send(token, proofs: [try key.proof("GET", Self.url, token: token, iat: now)], scheme: "Bearer")
        XCTAssertEqual(r?.status, 401)
        XCTAssertEqual(r?.json?["error"] as? String, "invalid_token")
        XCTAssertEqual(r?.json?["error_description"] as? String, "DPoP-bound token must be sent with the DPoP scheme")
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testProofClaimAttacksAreRejected() throws {
        let token = try boundToken()
        assertInvalidProof(send(token, proofs: [try key.proof("POST", Self.url, token: token, iat: now)]),
                           "DPoP proof htm does not match the request method")
        assertInvalidProof(send(token, proofs: [try key.proof("GET", Self.url, token: token, iat: now - 301)]),
                           "DPoP proof iat is outside the accepted window")
        assertInvalidProof(send(token, proofs: [try key.proof("GET", Self.url, token: token, iat: now + 120)]),
                           "DPoP proof iat is outside the accepted window")
        assertInvalidProof(send(token, proofs: [try key.proof("GET", Self.url, token: token, iat: now, ath: "AAAA")]),
                           "DPoP proof ath does not match the access token")
        assertInvalidProof(send(token, proofs: [try key.proof("GET", Self.url, token: nil, iat: now)]),
                           "DPoP proof ath does not match the access token")
        assertInvalidProof(send(token, proofs: [try key.proof("GET", Self.url, token: token, iat: now, typ: "JWT")]),
                           "DPoP proof typ is not dpop+jwt")
        var withPrivate = key.jwk
        withPrivate["d"] = "AAAA"
        assertInvalidProof(send(token, proofs: [try key.proof("GET", Self.url, token: token, iat: now, headerJWK: withPrivate)]),
                           "DPoP proof jwk contains private key material")
        assertInvalidProof(send(token, proofs: []), "DPoP proof required")
        let a = try key.proof("GET", Self.url, token: token, iat: now), b = try key.proof("GET", Self.url, token: token, iat: now)
        assertInvalidProof(send(token, proofs: [a, b]), "more than one DPoP proof")
        assertInvalidProof(send(token, proofs: ["not.a.jws"]), "DPoP proof is not a valid compact JWS")
        // alg none / HS256 proofs: refused by algorithm before any key is looked at.
        let none = Base64URLTestText.encode("{\"typ\":\"dpop+jwt\",\"alg\":\"none\"}") + "." + Base64URLTestText.encode("{}") + "."
        assertInvalidProof(send(token, proofs: [none]), "DPoP proof algorithm is not accepted")
        let hs = AuthTokenForge.hs256(header: "{\"typ\":\"dpop+jwt\",\"alg\":\"HS256\"}", claims: "{}", secret: Array(repeating: 1, count: 32))
        assertInvalidProof(send(token, proofs: [hs]), "DPoP proof algorithm is not accepted")
    }

    func testUnboundTokenWithDPoPSchemeIsRejected() throws {
        let plain = try AuthKeys.devIssuer.mintAccessToken(clientID: "svc", subject: "bob", scopes: ["read:port_calls"], now: now, alg: .es256)
        let r = send(plain, proofs: [try key.proof("GET", Self.url, token: plain, iat: now)])
        XCTAssertEqual(r?.status, 401)
        XCTAssertEqual(r?.json?["error"] as? String, "invalid_token")
        XCTAssertTrue(r?.headers["www-authenticate"]?.hasPrefix("DPoP ") ?? false)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: plain)?.status, 200, "unbound tokens still work as Bearer")
    }
}

/// base64url of text, for hand-made proofs.
enum Base64URLTestText {
    static func encode(_ text: String) -> String { AuthTokenForge.b64(text) }
}
