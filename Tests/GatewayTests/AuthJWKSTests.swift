import XCTest
import Locks
import DevIssuer
@testable import Gateway

/// End-to-end: the issuers' key sets as the gateway sees them through a counting JWKS stub —
/// rotation through the unknown-`kid` path, removal at the next refresh, an unknown-`kid` flood,
/// and an issuer whose keys can never be fetched.
final class AuthJWKSTests: XCTestCase {
    var fixture: AuthGatewayFixture?

    override func tearDown() { fixture?.stop() }

    func testKeyAddedAtIssuerIsAcceptedAfterOneUnknownKidRefresh() throws {
        let dev = AuthKeys.makeDevIssuer()
        var a = AuthIssuerSpec.issuerA
        a.document = AuthKeys.issuerADocument(dev: dev)
        let f = try AuthGatewayFixture(issuers: [a, .issuerB])
        fixture = f
        let now = f.clock.unixSeconds()
        let before = try dev.mintAccessToken(clientID: "c", subject: "s", scopes: [], now: now)
        XCTAssertEqual(f.send("GET", "/v1/me", token: before)?.status, 200)
        XCTAssertEqual(f.jwksFetches(), 1, "the start-up fetch only")

        try dev.rotateKeys(now: now)
        f.stub.serve(a.path, body: AuthKeys.issuerADocument(dev: dev))
        let rotatedRS = try dev.mintAccessToken(clientID: "c", subject: "s", scopes: [], now: now)
        let rotatedES = try dev.mintAccessToken(clientID: "c", subject: "s", scopes: [], now: now, alg: .es256)
        XCTAssertNotEqual(rotatedRS.split(separator: ".")[0], before.split(separator: ".")[0], "new kid")

        XCTAssertEqual(f.send("GET", "/v1/me", token: rotatedRS)?.status, 200, "new kid accepted at once")
        XCTAssertEqual(f.jwksFetches(), 2, "after exactly one refresh")
        XCTAssertEqual(f.send("GET", "/v1/me", token: rotatedES)?.status, 200)
        XCTAssertEqual(f.send("GET", "/v1/me", token: before)?.status, 200, "the retired key is still published")
        XCTAssertEqual(f.jwksFetches(), 2, "no further fetch")
    }

    func testKeyRemovedAtIssuerStopsBeingAcceptedAtTheNextRefreshEvenWhenCached() throws {
        var a = AuthIssuerSpec.issuerA
        a.extra += "\"jwks_refresh\": { \"default_seconds\": 1, \"min_seconds\": 1 },"
        let f = try AuthGatewayFixture(issuers: [a, .issuerB])
        fixture = f
        let token = AuthTokenForge.rsaToken(now: f.clock.unixSeconds())
        XCTAssertEqual(f.send("GET", "/v1/me", token: token)?.status, 200)
        XCTAssertEqual(f.gateway.authorizer.authenticator.cache.count, 1)

        f.stub.serve(a.path, body: AuthKeys.jwks(AuthKeys.jwkList(of: AuthKeys.devIssuer)))  // forge-rsa removed
        var accepted = 1
        var last: AuthResponse?
        let deadline = Date().addingTimeInterval(6)
        while Date() < deadline {
            last = f.send("GET", "/v1/me", token: token)
            if last?.status != 200 { break }
            accepted += 1
            usleep(100_000)
        }
        assertRejected(last, token: token, by: f, upstreamRequestsBefore: accepted, descriptionContains: "key")
        XCTAssertEqual(f.gateway.authorizer.authenticator.cache.count, 0, "entries of the removed kid were invalidated")
    }

    func testFloodOfRandomKidTokensCausesAtMostOneFetch() throws {
        let f = try AuthGatewayFixture()
        fixture = f
        let now = f.clock.unixSeconds()
        let statuses = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 24) { _ in
            let header = AuthTokenForge.rsaHeader(kid: UUID().uuidString)
            let token = AuthTokenForge.signed(header: header, claims: AuthTokenForge.claims(now: now), key: AuthKeys.attackerRSA, alg: .rs256)
            let status = f.send("GET", "/v1/me", token: token)?.status ?? -1
            statuses.withLock { $0.append(status) }
        }
        for _ in 0..<16 {
            let token = AuthTokenForge.rsaToken(now: now, header: AuthTokenForge.rsaHeader(kid: UUID().uuidString))
            statuses.withLock { $0.append(f.send("GET", "/v1/me", token: token)?.status ?? -1) }
        }
        XCTAssertEqual(statuses.withLock { $0 }, Array(repeating: 401, count: 40))
        XCTAssertLessThanOrEqual(f.jwksFetches() - 1, 1, "one unknown-kid refresh at most, then rate-limited")
        XCTAssertEqual(f.upstream.requests.count, 0)
        XCTAssertEqual(f.send("GET", "/v1/me", token: AuthTokenForge.rsaToken(now: now))?.status, 200, "known keys still work")
    }

    func testIssuerWhoseKeysWereNeverFetchedAnswers503WithRetryAfter() throws {
        let down = AuthIssuerSpec(issuer: AuthKeys.issuerDown, path: "/down/jwks.json", document: nil, algorithms: ["ES256"])
        let f = try AuthGatewayFixture(issuers: [.issuerA, .issuerB, down])
        fixture = f
        let now = f.clock.unixSeconds()
        let header = AuthTokenForge.json([("alg", "\"ES256\""), ("kid", "\"down-1\"")])
        let token = AuthTokenForge.signed(header: header, claims: AuthTokenForge.claims(now: now, iss: AuthKeys.issuerDown),
                                          key: AuthKeys.forgeEC, alg: .es256)
        let r = f.send("GET", "/v1/me", token: token)
        assertJSONError(r, status: 503, error: "service_unavailable")
        let retryAfter = Int(r?.headers["retry-after"] ?? "")
        XCTAssertNotNil(retryAfter, "Retry-After: \(r?.headers["retry-after"] ?? "-")")
        XCTAssertGreaterThanOrEqual(retryAfter ?? 0, 1)
        XCTAssertNil(r?.headers["www-authenticate"], "our problem, not the client's: no challenge")
        let deadline = Date().addingTimeInterval(5)
        while f.jwksFetches(2) == 0 && Date() < deadline { usleep(10_000) }
        XCTAssertGreaterThanOrEqual(f.jwksFetches(2), 1, "the gateway did try to fetch")
        XCTAssertEqual(f.upstream.requests.count, 0, "never accepted")
        if let r { assertNoTokenBytes(r, token: token) }
        XCTAssertEqual(f.send("GET", "/v1/me", token: AuthTokenForge.rsaToken(now: now))?.status, 200, "other issuers unaffected")
    }
}
