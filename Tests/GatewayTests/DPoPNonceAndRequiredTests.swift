import Foundation
import XCTest
@testable import Gateway

/// `"dpop": "required"` issuers and stateless server nonces (RFC 9449 §8).
final class DPoPNonceAndRequiredTests: XCTestCase {
    var fixture: AuthGatewayFixture!
    var key: DPoPKey!
    var secretFile = ""
    static let url = "http://gateway.test/v1/port-calls/1"

    override func setUpWithError() throws {
        secretFile = NSTemporaryDirectory() + "dpop-nonce-\(UUID().uuidString)"
        try Data(String(repeating: "n", count: 32).utf8).write(to: URL(fileURLWithPath: secretFile))
        var issuerA = AuthIssuerSpec.issuerA
        issuerA.extra += "\"dpop\": \"required\","
        fixture = try AuthGatewayFixture(issuers: [issuerA, .issuerB],
                                         extraTopLevel: "\"dpop\": {\"nonce_secret_file\": \"\(secretFile)\", \"nonce_window_seconds\": 60},")
        key = try DPoPKey.generate()
    }
    override func tearDown() {
        fixture?.stop()
        try? FileManager.default.removeItem(atPath: secretFile)
    }

    var now: Int64 { fixture.clock.unixSeconds() }

    func testUnboundTokenOfRequiredIssuerIsRejected() throws {
        let plain = try AuthKeys.devIssuer.mintAccessToken(clientID: "svc", subject: "bob", scopes: ["read:port_calls"], now: now, alg: .rs256)
        let r = fixture.send("GET", "/v1/port-calls/1", token: plain)
        XCTAssertEqual(r?.status, 401)
        XCTAssertEqual(r?.json?["error_description"] as? String, "this issuer's tokens must be DPoP-bound")
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testRoutesAcceptingARequiredIssuerChallengeWithDPoPToo() throws {
        let missing = fixture.send("GET", "/v1/port-calls/1")
        XCTAssertEqual(missing?.status, 401)
        let challenges = missing?.headers["www-authenticate"] ?? ""
        XCTAssertTrue(challenges.hasPrefix("Bearer realm="), challenges)
        XCTAssertTrue(challenges.contains("DPoP algs=\""), challenges)
        // /v1/partner/** accepts only issuer B (dpop allowed): Bearer only.
        XCTAssertFalse(fixture.send("GET", "/v1/partner/x")?.headers["www-authenticate"]?.contains("DPoP") ?? true)
    }

    func testMissingOrForgedNonceGetsUseDPoPNonceWithAFreshOne() throws {
        let token = try AuthKeys.devIssuer.mintAccessToken(clientID: "spa", subject: "alice", scopes: ["read:port_calls"], now: now,
                                                           alg: .rs256, dpopThumbprint: key.thumbprint)
        func send(_ proof: String) -> AuthResponse? {
            fixture.send("GET", "/v1/port-calls/1", headers: [("Authorization", "DPoP \(token)"), ("DPoP", proof)])
        }
        let first = send(try key.proof("GET", Self.url, token: token, iat: now))
        XCTAssertEqual(first?.status, 401)
        XCTAssertEqual(first?.json?["error"] as? String, "use_dpop_nonce")
        XCTAssertTrue(first?.headers["www-authenticate"]?.contains("error=\"use_dpop_nonce\"") ?? false)
        let nonce = try XCTUnwrap(first?.headers["dpop-nonce"])
        XCTAssertEqual(send(try key.proof("GET", Self.url, token: token, iat: now, nonce: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))?.json?["error"] as? String,
                       "use_dpop_nonce", "a forged nonce")
        XCTAssertEqual(send(try key.proof("GET", Self.url, token: token, iat: now, nonce: nonce))?.status, 200)
        fixture.clock.advance(seconds: 121)
        let stale = send(try key.proof("GET", Self.url, token: token, iat: now, nonce: nonce))
        XCTAssertEqual(stale?.json?["error"] as? String, "use_dpop_nonce", "a nonce older than two windows")
        XCTAssertEqual(fixture.upstream.requests.count, 1)
    }

    func testNonceIsCheckableByAnyReplicaWithTheSameKey() {
        let a = DPoPNonce(key: Array("k".utf8), windowSeconds: 60), b = DPoPNonce(key: Array("k".utf8), windowSeconds: 60)
        let other = DPoPNonce(key: Array("x".utf8), windowSeconds: 60)
        let nonce = a.current(now: 1_000)
        XCTAssertTrue(b.isValid(nonce, now: 1_000))
        XCTAssertTrue(b.isValid(nonce, now: 1_079), "valid in the next window")
        XCTAssertFalse(b.isValid(nonce, now: 1_200))
        XCTAssertFalse(other.isValid(nonce, now: 1_000))
    }

    func testReplayCacheIsBounded() {
        let cache = DPoPReplayCache(capacity: 3)
        for i in 0..<10 { XCTAssertTrue(cache.firstUse("jti-\(i)", until: 100, now: 0)) }
        XCTAssertEqual(cache.count, 3)
        XCTAssertFalse(cache.firstUse("jti-9", until: 100, now: 0))
        XCTAssertTrue(cache.firstUse("jti-9", until: 200, now: 150), "expired entries may be used again")
    }
}
