import Foundation
import Dispatch
import XCTest
@testable import DevIssuer

/// Concurrency, record expiry, and the demo configuration.
final class IssuerLifecycleTests: XCTestCase {
    func testConcurrentTokenRequestsAllSucceedWithDistinctJTIs() throws {
        let issuer = try makeIssuer()
        let count = 64
        let results = Mutexed<[String]>([])
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let response = issuer.handle(post("/oauth/token", [("grant_type", "client_credentials")],
                                              headers: [basic("service", "s3cret+/=value")]), now: t0 + Int64(index))
            let token = json(response)["access_token"] as? String ?? ""
            results.append(jwtParts(token)?.claims["jti"] as? String ?? "missing")
        }
        let jtis = results.value
        XCTAssertEqual(jtis.count, count)
        XCTAssertEqual(Set(jtis).count, count)
        XCTAssertFalse(jtis.contains("missing"))
    }

    func testLatePollAfterTombstoneLifetimeIsInvalidGrant() throws {
        let issuer = try makeIssuer()
        let start = json(issuer.handle(post("/oauth/device_authorization", [("client_id", "tv")]), now: t0))
        let deviceCode = try XCTUnwrap(start["device_code"] as? String)
        func poll(_ now: Int64) -> DevResponse {
            issuer.handle(post("/oauth/token", [("grant_type", GrantType.deviceCode.rawValue), ("client_id", "tv"),
                                                ("device_code", deviceCode)]), now: now)
        }
        assertOAuthError(poll(t0 + 1199), "expired_token")
        assertOAuthError(poll(t0 + 1260), "invalid_grant", status: 400)
    }

    func testCodeReplayAfterExpiryStillRevokesItsTokens() throws {
        let issuer = try makeIssuer()
        let pkce = pkcePair()
        let authorized = issuer.handle(get("/oauth/authorize", [("response_type", "code"), ("client_id", "web"),
                                                                ("redirect_uri", webRedirect), ("code_challenge", pkce.challenge),
                                                                ("code_challenge_method", "S256")]), now: t0)
        let code = try XCTUnwrap(redirectParameters(authorized)["code"])
        let exchange = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", webRedirect),
                        ("code_verifier", pkce.verifier)]
        let tokens = json(issuer.handle(post("/oauth/token", exchange, headers: [basic("web", "web-secret")]), now: t0 + 1))
        let access = try XCTUnwrap(tokens["access_token"] as? String)
        // Long after the code expired (and after several sweeps), a replay still revokes the family.
        _ = issuer.handle(get("/.well-known/jwks.json"), now: t0 + 1800)
        assertOAuthError(issuer.handle(post("/oauth/token", exchange, headers: [basic("web", "web-secret")]), now: t0 + 1900),
                         "invalid_grant")
        let active = json(issuer.handle(post("/oauth/introspect", [("token", access)], headers: [basic("web", "web-secret")]),
                                        now: t0 + 1901))["active"] as? Bool
        XCTAssertEqual(active, false)
    }

    func testDemoConfigurationIsValidAndIssuesTokens() throws {
        var configuration = DevIssuerConfiguration.demo(issuer: "http://127.0.0.1:9000", audience: "portcullis")
        configuration.keysDirectory = sharedKeysDirectory
        let issuer = try DevIssuer(configuration: configuration)
        let response = issuer.handle(post("/oauth/token", [("grant_type", "client_credentials"), ("scope", "read:port_calls"),
                                                            ("client_id", "portcullis-cli"),
                                                            ("client_secret", "portcullis-cli-secret")]), now: t0)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(json(response)["scope"] as? String, "read:port_calls")
    }
}

/// A tiny lock-protected box for collecting results from concurrent test closures.
final class Mutexed<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func append<Element>(_ element: Element) where Value == [Element] {
        lock.lock(); defer { lock.unlock() }
        stored.append(element)
    }
}
