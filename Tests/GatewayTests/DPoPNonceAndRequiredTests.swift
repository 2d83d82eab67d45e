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

    /// RFC 9449 §8.2: a proof whose nonce is from the previous window is served, and the response
    /// carries the current nonce, so a client that keeps calling never meets a `use_dpop_nonce` 401.
    func testProofWithLastWindowsNonceIsServedWithTheNextNonce() throws {
        let token = try AuthKeys.devIssuer.mintAccessToken(clientID: "spa", subject: "alice", scopes: ["read:port_calls"], now: now,
                                                           alg: .rs256, dpopThumbprint: key.thumbprint)
        func send(_ nonce: String?) throws -> AuthResponse? {
            fixture.send("GET", "/v1/port-calls/1", headers: [("Authorization", "DPoP \(token)"),
                                                             ("DPoP", try key.proof("GET", Self.url, token: token, iat: now, nonce: nonce))])
        }
        let first = try XCTUnwrap(try send(nil)?.headers["dpop-nonce"])
        let fresh = try send(first)
        XCTAssertEqual(fresh?.status, 200)
        XCTAssertNil(fresh?.headers["dpop-nonce"], "a nonce of the current window needs no renewal")

        fixture.clock.advance(seconds: 60)   // `first` is now the previous window's nonce
        let renewing = try send(first)
        XCTAssertEqual(renewing?.status, 200, "the previous window's nonce is still accepted")
        let next = try XCTUnwrap(renewing?.headers["dpop-nonce"], "and the answer carries the current one")
        XCTAssertNotEqual(next, first)
        XCTAssertEqual(try send(next)?.status, 200)
        XCTAssertNil(try send(next)?.headers["dpop-nonce"])

        fixture.clock.advance(seconds: 60)
        XCTAssertEqual(try send(first)?.json?["error"] as? String, "use_dpop_nonce", "two windows old: refused")
        XCTAssertEqual(fixture.upstream.requests.count, 4)
    }

    /// The client never sees two `DPoP-Nonce` values: a renewal replaces the upstream's own field;
    /// without a renewal the upstream's passes through.
    func testRenewedNonceReplacesTheUpstreamsOwn() throws {
        let url = "http://gateway.test/v1/port-calls/dpop-nonce"
        let token = try AuthKeys.devIssuer.mintAccessToken(clientID: "spa", subject: "alice", scopes: ["read:port_calls"], now: now,
                                                           alg: .rs256, dpopThumbprint: key.thumbprint)
        func send(_ nonce: String?) throws -> AuthResponse? {
            fixture.send("GET", "/v1/port-calls/dpop-nonce", headers: [("Authorization", "DPoP \(token)"),
                                                                      ("DPoP", try key.proof("GET", url, token: token, iat: now, nonce: nonce))])
        }
        let nonce = try XCTUnwrap(try send(nil)?.headers["dpop-nonce"])
        XCTAssertEqual(try send(nonce)?.headers["dpop-nonce"], "upstream-nonce", "no renewal: the upstream's field passes")
        fixture.clock.advance(seconds: 60)
        let renewed = try XCTUnwrap(try send(nonce))
        XCTAssertEqual(renewed.status, 200)
        let field = try XCTUnwrap(renewed.headers["dpop-nonce"])
        XCTAssertFalse(field.contains("upstream-nonce") || field.contains(","), "one DPoP-Nonce field, the gateway's: \(field)")
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
