import Foundation
import XCTest
import Config
@testable import Gateway

/// End-to-end RFC 7662 introspection (issue 13) against a stub authorization server: opaque tokens
/// accepted with their scopes and identity, inactive / wrong-`aud` / wrong-`iss` answers refused,
/// outages answered 503 with `Retry-After` (never 200, never 401), results cached under the token's
/// hash, concurrent first requests sharing one call.
final class IntrospectionTests: XCTestCase {
    static let opaqueIssuer = "https://opaque.test"
    var stub: JWKSStubServer!
    var fixture: AuthGatewayFixture!
    var secretFile = ""
    /// Released by the test when the stub should answer (single-flight test); nil: answer at once.
    let gate = Gate()

    final class Gate: @unchecked Sendable {
        private let lock = NSLock()
        private var semaphore: DispatchSemaphore?
        func close() -> DispatchSemaphore { let s = DispatchSemaphore(value: 0); lock.lock(); semaphore = s; lock.unlock(); return s }
        func pass() { lock.lock(); let s = semaphore; lock.unlock(); if let s { s.wait(); s.signal() } }
    }
    /// The bodies the stub received (form-encoded), and their Authorization fields.
    let seen = Seen()

    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [(authorization: String?, body: String)] = []
        func add(_ a: String?, _ b: String) { lock.lock(); items.append((a, b)); lock.unlock() }
        var all: [(authorization: String?, body: String)] { lock.lock(); defer { lock.unlock() }; return items }
    }

    override func setUpWithError() throws {
        stub = try JWKSStubServer.started()
        secretFile = NSTemporaryDirectory() + "introspection-secret-\(UUID().uuidString)"
        try Data("s3cret/+=\n".utf8).write(to: URL(fileURLWithPath: secretFile))
        let now = Int(Date().timeIntervalSince1970)
        stub.handle("/introspect") { [seen, gate] headers, body in
            seen.add(headers["authorization"], body)
            gate.pass()
            let token = body.split(separator: "&").first { $0.hasPrefix("token=") }.map { String($0.dropFirst(6)) } ?? ""
            func json(_ text: String) -> JWKSStubServer.Response { JWKSStubServer.Response(status: 200, body: Array(text.utf8)) }
            let common = "\"sub\": \"user-9\", \"client_id\": \"spa\", \"iss\": \"\(Self.opaqueIssuer)\""
            switch token {
            case "active-string": return json("{\"active\": \"true\", \(common), \"aud\": \"\(AuthKeys.audience)\"}")
            case _ where token.hasPrefix("active"):
                return json("{\"active\": true, \(common), \"scope\": \"read:port_calls\", \"aud\": \"\(AuthKeys.audience)\", \"exp\": \(now + 3600)}")
            case "inactive": return json("{\"active\": false}")
            case "refresh": return json("{\"active\": true, \(common), \"token_type\": \"refresh_token\", \"aud\": \"\(AuthKeys.audience)\"}")
            case "wrong-aud": return json("{\"active\": true, \(common), \"scope\": \"read:port_calls\", \"aud\": \"someone-else\"}")
            case "wrong-iss":
                return json("{\"active\": true, \"sub\": \"u\", \"iss\": \"https://evil.test\", \"scope\": \"read:port_calls\", \"aud\": \"\(AuthKeys.audience)\"}")
            case "expired": return json("{\"active\": true, \(common), \"aud\": \"\(AuthKeys.audience)\", \"exp\": \(now - 3600)}")
            case "server-error": return JWKSStubServer.Response(status: 500, body: Array("{}".utf8))
            case "not-json": return json("<html>")
            default: return json("{\"active\": false}")
            }
        }
        fixture = try AuthGatewayFixture(issuers: AuthIssuerSpec.standard + [introspectionIssuer(timeoutMs: 2000)])
    }

    /// The opaque-token issuer, introspected at the stub.
    func introspectionIssuer(timeoutMs: Int) -> AuthIssuerSpec {
        AuthIssuerSpec(
            issuer: Self.opaqueIssuer, path: "/none", document: nil,
            extra: """
            "introspection": { "endpoint": "\(stub.baseURL)/introspect", "client_id": "portcullis", "client_secret_file": "\(secretFile)",
                               "auth_method": "client_secret_basic", "cache_ttl_seconds": 60, "negative_cache_ttl_seconds": 5, "timeout_ms": \(timeoutMs) },
            """, keySource: false)
    }

    override func tearDown() {
        fixture?.stop()
        stub?.stop()
        try? FileManager.default.removeItem(atPath: secretFile)
    }

    var introspector: TokenIntrospector { fixture.gateway.authorizer.authenticator.introspectors[0] }
    var calls: Int { stub.hits("/introspect") }
    func count(_ result: String) -> Int { fixture.gateway.introspectionCounters.value(issuer: Self.opaqueIssuer, result: result) }

    func testActiveOpaqueTokenIsForwardedWithIdentityAndCachedUnderItsHash() throws {
        let r = fixture.send("GET", "/v1/port-calls/17", token: "active-1")
        XCTAssertEqual(r?.status, 200)
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Subject"), ["user-9"])
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Client-Id"), ["spa"])
        XCTAssertEqual(fixture.upstreamHeader("X-Auth-Scopes"), ["read:port_calls"])
        XCTAssertEqual(fixture.send("GET", "/v1/invoices/inv-1", token: "active-1")?.status, 403, "scope rules apply as for JWTs")
        XCTAssertEqual(calls, 1, "the second request is a cache hit")
        XCTAssertEqual(count("active"), 1)
        // client_secret_basic: Basic base64(form-encoded id ":" form-encoded secret); the token in the form body.
        let first = try XCTUnwrap(seen.all.first)
        XCTAssertEqual(first.authorization, "Basic " + Data("portcullis:s3cret%2F%2B%3D".utf8).base64EncodedString())
        XCTAssertEqual(first.body, "token=active-1&token_type_hint=access_token")
        XCTAssertTrue(fixture.gateway.authorizer.policy.routes.routes.count > 0)
    }

    func testInactiveTokenIsRejectedAndNegativelyCached() throws {
        for _ in 0..<2 {
            let r = fixture.send("GET", "/v1/port-calls/17", token: "inactive")
            XCTAssertEqual(r?.status, 401)
            XCTAssertEqual(r?.json?["error"] as? String, "invalid_token")
            XCTAssertEqual(r?.json?["error_description"] as? String, "token is not active")
        }
        XCTAssertEqual(calls, 1, "the inactive answer is remembered for negative_cache_ttl_seconds")
        XCTAssertEqual(count("inactive"), 1)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/17", token: "active-string")?.status, 401, "only the JSON literal true is active")
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testWrongAudienceFromIntrospectionIsRejected() throws {
        let r = fixture.send("GET", "/v1/port-calls/17", token: "wrong-aud")
        XCTAssertEqual(r?.status, 401)
        XCTAssertEqual(r?.json?["error_description"] as? String, "token audience is not accepted",
                       "\(["timeout", "error", "http_status"].map { count($0) })")
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testWrongIssuerFromIntrospectionIsRejected() throws {
        let r = fixture.send("GET", "/v1/port-calls/17", token: "wrong-iss")
        XCTAssertEqual(r?.status, 401)
        XCTAssertEqual(r?.json?["error_description"] as? String, "introspected token names another issuer")
        XCTAssertEqual(fixture.upstream.requests.count, 0)
    }

    func testRefreshTokenIntrospectedActiveIsRejected() throws {
        let r = fixture.send("GET", "/v1/port-calls/17", token: "refresh")
        XCTAssertEqual(r?.status, 401)
        XCTAssertEqual(r?.json?["error_description"] as? String, "token is not an access token")
    }

    func testExpiredAnswerIsRejected() throws {
        let r = fixture.send("GET", "/v1/port-calls/17", token: "expired")
        XCTAssertEqual(r?.status, 401)
        XCTAssertTrue((r?.json?["error_description"] as? String)?.hasPrefix("token expired at") ?? false)
    }

    private func assertUnavailable(_ token: String, file: StaticString = #filePath, line: UInt = #line) {
        let r = fixture.send("GET", "/v1/port-calls/17", token: token)
        XCTAssertEqual(r?.status, 503, file: file, line: line)
        XCTAssertEqual(r?.json?["error"] as? String, "service_unavailable", file: file, line: line)
        XCTAssertEqual(r?.json?["error_description"] as? String, "token introspection unavailable", file: file, line: line)
        XCTAssertNotNil(r?.headers["retry-after"], file: file, line: line)
    }

    func testIntrospectionOutageTimeoutAndNon200AreServiceUnavailable() throws {
        assertUnavailable("server-error")
        assertUnavailable("not-json")
        stub.setDown(true)
        assertUnavailable("active-outage")
        stub.setDown(false)
        // The stub holds its answer until the gateway has given up (timeout_ms), then lets it go.
        let held = gate.close()
        assertUnavailable("active-slow")
        held.signal()
        XCTAssertEqual(fixture.upstream.requests.count, 0)
        XCTAssertEqual(count("http_status"), 1)
        XCTAssertEqual(count("timeout"), 1)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/17", token: "active-outage")?.status, 200, "failures are not cached")
    }

    func testTwentyConcurrentFirstRequestsMakeOneIntrospectionCall() throws {
        let gate = self.gate.close()
        let group = DispatchGroup()
        let statuses = Statuses()
        for _ in 0..<20 {
            group.enter()
            Thread { [fixture] in
                statuses.add(fixture!.send("GET", "/v1/port-calls/17", token: "active-shared")?.status ?? 0)
                group.leave()
            }.start()
        }
        let deadline = Date().addingTimeInterval(5)
        while introspector.waitingRequests < 20 && Date() < deadline { usleep(2_000) }
        XCTAssertEqual(introspector.waitingRequests, 20, "all 20 requests wait for the same call; \(["timeout", "error", "http_status", "overloaded"].map { count($0) }) calls \(calls)")
        gate.signal()
        XCTAssertEqual(group.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(statuses.all, Array(repeating: 200, count: 20))
        XCTAssertEqual(calls, 1)
    }

    final class Statuses: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Int] = []
        func add(_ s: Int) { lock.lock(); items.append(s); lock.unlock() }
        var all: [Int] { lock.lock(); defer { lock.unlock() }; return items }
    }

    func testJWTsStillVerifyOfflineAndRouteIssuersSelectIntrospection() throws {
        let jwt = try AuthKeys.devIssuer.mintAccessToken(clientID: "svc", subject: "alice", scopes: ["read:port_calls"],
                                                         now: fixture.clock.unixSeconds(), alg: .rs256)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: jwt)?.status, 200)
        // /v1/partner/** accepts only issuer B: an opaque token has no introspection issuer there.
        let partner = fixture.send("GET", "/v1/partner/x", token: "active-2")
        XCTAssertEqual(partner?.status, 401)
        XCTAssertEqual(calls, 0, "no call for a route that accepts no introspection issuer")
    }

    /// A reload that replaces the introspection issuer while a call is in flight: the request that
    /// waits for it is still answered from that call (the old introspector lives until its call
    /// completes, nothing cancels it), and the next request asks the new introspector.
    func testReloadDuringASlowIntrospectionCallStillAnswersTheWaitingRequest() throws {
        let held = gate.close()
        let answered = DispatchSemaphore(value: 0)
        let statuses = Statuses()
        Thread { [fixture] in
            statuses.add(fixture!.send("GET", "/v1/port-calls/17", token: "active-reload")?.status ?? 0)
            answered.signal()
        }.start()
        let old = introspector
        let deadline = Date().addingTimeInterval(5)
        while old.waitingRequests < 1 && Date() < deadline { usleep(2_000) }
        XCTAssertEqual(old.waitingRequests, 1, "the request waits for the introspection call")
        // timeout_ms changes: a changed issuer, so the reload builds a new introspector.
        let text = AuthGatewayFixture.configText(issuers: AuthIssuerSpec.standard + [introspectionIssuer(timeoutMs: 2500)],
                                                 routes: AuthRoutes.standard, upstreamPort: fixture.upstream.port,
                                                 stubURL: fixture.stub.baseURL, logLevel: "error")
        _ = try fixture.gateway.reload(config: ConfigLoader.parse(bytes: Array(text.utf8), baseDirectory: NSTemporaryDirectory()))
        XCTAssertFalse(introspector === old, "the reload replaced the introspector")
        held.signal()
        XCTAssertEqual(answered.wait(timeout: .now() + 5), .success, "the waiting request is answered")
        XCTAssertEqual(statuses.all, [200], "answered from the call that was in flight")
        XCTAssertEqual(old.waitingRequests, 0)
        XCTAssertEqual(fixture.upstream.requests.count, 1)
        // The new introspector has its own (empty) cache: the same token is asked about again.
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/17", token: "active-reload")?.status, 200)
        XCTAssertEqual(calls, 2)
    }
}
