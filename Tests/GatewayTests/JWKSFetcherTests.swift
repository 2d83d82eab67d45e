import Foundation
import JOSE
import Locks
import XCTest
@testable import Gateway

/// Keys parsed from `{"keys":[{"kid":"a"},...]}`; anything else throws.
struct StubKeySet: JWKSKeySet {
    struct Unparseable: Error {}
    let keyIDs: Set<String>
    func hasKey(id: String) -> Bool { keyIDs.contains(id) }
    var keyCount: Int { keyIDs.count }

    static func parse(_ bytes: [UInt8]) throws -> StubKeySet {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let keys = object["keys"] as? [[String: Any]] else { throw Unparseable() }
        return StubKeySet(keyIDs: Set(keys.compactMap { $0["kid"] as? String }))
    }

    static func document(_ kids: String...) -> String {
        "{\"keys\":[" + kids.map { "{\"kty\":\"OKP\",\"kid\":\"\($0)\"}" }.joined(separator: ",") + "]}"
    }
}

/// Records what a fetcher reports through its hooks.
final class FetcherProbe: Sendable {
    let events = Locked<[JWKSCacheEvent]>([])
    let removed = Locked<Set<String>>([])
}

/// Short intervals so each scenario takes well under a few seconds.
func fastPolicy(defaultTTL: Double = 60, unknownKeyInterval: Double = 30) -> JWKSCachePolicy {
    JWKSCachePolicy(defaultTTL: defaultTTL, minTTL: 0.2, maxTTL: 3_600, refreshFraction: 0.85,
                    unknownKeyRefreshInterval: unknownKeyInterval, negativeCacheTTL: 60,
                    initialBackoff: 0.05, maxBackoff: 0.2, maxStaleness: 3_600, fetchTimeout: 2)
}

extension JWKSLookupResult where Keys == StubKeySet {
    var keyIDs: Set<String>? { if case .keys(let k) = self { return k.keyIDs } else { return nil } }
    var isUnknownKey: Bool { if case .unknownKey = self { return true } else { return false } }
    var isAwait: Bool { if case .awaitRefresh = self { return true } else { return false } }
    var retryAfter: Int? { if case .unavailable(let s) = self { return s } else { return nil } }
}

final class JWKSFetcherTests: XCTestCase {
    var server: JWKSStubServer!
    let probe = FetcherProbe()

    override func setUpWithError() throws {
        server = try JWKSStubServer.started()
    }

    override func tearDown() {
        server.stop()
    }

    func makeFetcher(_ source: JWKSSource? = nil, policy: JWKSCachePolicy = fastPolicy()) -> JWKSFetcher<StubKeySet> {
        let probe = probe
        let fetcher = JWKSFetcher<StubKeySet>(
            label: "test", source: source ?? .url(URL(string: server.baseURL + "/jwks")!), policy: policy,
            options: JWKSFetcherOptions(timerJitterFraction: 0), parse: StubKeySet.parse,
            log: { event in probe.events.withLock { $0.append(event) } },
            onKeysChanged: { ids in probe.removed.withLock { $0.formUnion(ids) } })
        addTeardownBlock { fetcher.stop() }
        return fetcher
    }

    func waitUntil(_ what: String, timeout: Double = 4, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { return XCTFail("timed out waiting for: \(what)") }
            usleep(10_000)
        }
    }

    func awaitResult(_ fetcher: JWKSFetcher<StubKeySet>, kid: String) -> JWKSLookupResult<StubKeySet>? {
        let done = expectation(description: "refresh for \(kid)")
        let box = Locked<JWKSLookupResult<StubKeySet>?>(nil)
        fetcher.awaitRefresh(kid: kid) { result in
            box.withLock { $0 = result }
            done.fulfill()
        }
        wait(for: [done], timeout: 4)
        return box.withLock { $0 }
    }

    func testFirstFetchThenKeysServedFromSnapshot() {
        server.serve("/jwks", body: StubKeySet.document("a", "b"))
        let fetcher = makeFetcher()
        XCTAssertNotNil(fetcher.lookup(kid: "a").retryAfter, "before start: unavailable, not accepted")
        fetcher.start()
        waitUntil("keys") { fetcher.lookup(kid: "a").keyIDs != nil }
        XCTAssertEqual(fetcher.lookup(kid: "b").keyIDs, ["a", "b"])
        XCTAssertEqual(server.hits("/jwks"), 1)
        XCTAssertEqual(fetcher.health.keyCount, 2)
    }

    func testRotationAddedKeyViaUnknownKidAndRemovedKeyInvalidated() {
        server.serve("/jwks", body: StubKeySet.document("old", "kept"))
        let fetcher = makeFetcher()
        fetcher.start()
        waitUntil("keys") { fetcher.lookup(kid: "old").keyIDs != nil }
        server.serve("/jwks", body: StubKeySet.document("kept", "new"))
        XCTAssertTrue(fetcher.lookup(kid: "new").isAwait)
        XCTAssertEqual(awaitResult(fetcher, kid: "new")?.keyIDs, ["kept", "new"])
        XCTAssertEqual(probe.removed.withLock { $0 }, ["old"])
        XCTAssertTrue(fetcher.lookup(kid: "old").isUnknownKey, "removed key no longer accepted")
        XCTAssertEqual(server.hits("/jwks"), 2)
    }

    func testUnknownKidFloodMakesOneFetch() {
        server.serve("/jwks", body: StubKeySet.document("a"))
        let fetcher = makeFetcher()
        fetcher.start()
        waitUntil("keys") { fetcher.lookup(kid: "a").keyIDs != nil }
        server.setDelay(0.2)
        server.serve("/jwks", body: StubKeySet.document("a", "fresh"))
        let results = Locked<[Int: JWKSLookupResult<StubKeySet>]>([:])
        let group = DispatchGroup()
        DispatchQueue.concurrentPerform(iterations: 1000) { i in
            group.enter()
            let kid = i % 2 == 0 ? "fresh" : "random-\(i)-\(UInt64.random(in: 0...UInt64.max))"
            fetcher.awaitRefresh(kid: kid) { result in
                results.withLock { $0[i] = result }
                group.leave()
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 4), .success)
        let all = results.withLock { $0 }
        XCTAssertEqual(all.count, 1000)
        XCTAssertTrue(all.allSatisfy { $0.key % 2 == 0 ? $0.value.keyIDs == ["a", "fresh"] : $0.value.isUnknownKey },
                      "every waiter shares the one refresh: the new key is found, random kids are not")
        XCTAssertEqual(server.hits("/jwks"), 2, "initial fetch + one coalesced refresh")
        for i in 0..<100 {
            XCTAssertTrue(fetcher.lookup(kid: "again-\(i)").isUnknownKey, "rate-limited: rejected at once")
        }
        XCTAssertTrue(awaitResult(fetcher, kid: "again")?.isUnknownKey ?? false)
        XCTAssertEqual(server.hits("/jwks"), 2, "no fetch within the rate-limit window")
    }

    func testOutageAfterStartKeepsKeysAndRetries() {
        server.serve("/jwks", headers: [("Cache-Control", "max-age=0")], body: StubKeySet.document("a"))
        let fetcher = makeFetcher()
        fetcher.start()
        waitUntil("keys") { fetcher.lookup(kid: "a").keyIDs != nil }
        server.setDown(true)
        waitUntil("two failures") { fetcher.health.consecutiveFailures >= 2 }
        XCTAssertEqual(fetcher.health.lastFailure?.code, "jwks_transport")
        XCTAssertEqual(fetcher.lookup(kid: "a").keyIDs, ["a"], "last good keys kept")
        server.setDown(false)
        server.serve("/jwks", status: 503, body: "maintenance")
        waitUntil("HTTP failure") { fetcher.health.lastFailure?.code == "jwks_http_status" }
        XCTAssertEqual(fetcher.lookup(kid: "a").keyIDs, ["a"])
        XCTAssertTrue(fetcher.health.isStale)
        XCTAssertTrue(probe.events.withLock { $0.contains { $0.code == "jwks_transport" && $0.level == .warning } })
    }

    func testGarbageDocumentKeepsLastGoodKeys() {
        server.serve("/jwks", headers: [("Cache-Control", "max-age=0")], body: StubKeySet.document("a"))
        let fetcher = makeFetcher()
        fetcher.start()
        waitUntil("keys") { fetcher.lookup(kid: "a").keyIDs != nil }
        server.serve("/jwks", body: "<html>not a key set</html>")
        waitUntil("parse failure") { fetcher.health.lastFailure?.code == "jwks_unparseable" }
        XCTAssertEqual(fetcher.lookup(kid: "a").keyIDs, ["a"])
        server.serve("/jwks", body: "{\"keys\":[]}")
        waitUntil("empty set failure") { fetcher.health.lastFailure?.code == "jwks_empty" }
        XCTAssertEqual(fetcher.lookup(kid: "a").keyIDs, ["a"])
        XCTAssertTrue(probe.removed.withLock { $0.isEmpty }, "failures never invalidate keys")
    }

    func testStartWhileDownThenRecovery() {
        server.setDown(true)
        let fetcher = makeFetcher()
        fetcher.start()
        waitUntil("first failure") { fetcher.health.consecutiveFailures >= 1 }
        XCTAssertNotNil(fetcher.lookup(kid: "a").retryAfter, "never fetched: 503, never accept")
        XCTAssertTrue(fetcher.health.isUnavailable)
        XCTAssertNotNil(awaitResult(fetcher, kid: "a")?.retryAfter, "waiting is pointless without keys")
        server.serve("/jwks", body: StubKeySet.document("a"))
        server.setDown(false)
        waitUntil("recovery") { fetcher.lookup(kid: "a").keyIDs != nil }
        XCTAssertEqual(fetcher.health.consecutiveFailures, 0)
    }

    func testMaxAgeIsHonouredAndClamped() {
        server.serve("/jwks", headers: [("Cache-Control", "public, max-age=100")], body: StubKeySet.document("a"))
        let fetcher = makeFetcher()
        fetcher.start()
        waitUntil("keys") { fetcher.lookup(kid: "a").keyIDs != nil }
        let health = fetcher.health
        XCTAssertEqual((health.nextRefreshAt ?? 0) - (health.lastSuccessAt ?? 0), 85, accuracy: 0.001)

        server.serve("/long", headers: [("Cache-Control", "max-age=9999999")], body: StubKeySet.document("a"))
        let long = makeFetcher(.url(URL(string: server.baseURL + "/long")!))
        long.start()
        waitUntil("long keys") { long.lookup(kid: "a").keyIDs != nil }
        let clamped = long.health
        XCTAssertEqual((clamped.nextRefreshAt ?? 0) - (clamped.lastSuccessAt ?? 0), 3_600 * 0.85, accuracy: 0.001,
                       "clamped to maxTTL")

        server.serve("/short", headers: [("Cache-Control", "max-age=1")], body: StubKeySet.document("a"))
        let short = makeFetcher(.url(URL(string: server.baseURL + "/short")!))
        short.start()
        waitUntil("refreshes every 0.85 s") { server.hits("/short") >= 3 }
        XCTAssertEqual(server.hits("/jwks"), 1, "max-age=100 means no refetch yet")
    }

    func testDiscoveryFollowsJwksURIOfTheSameIssuer() {
        let issuer = server.baseURL
        server.serve("/.well-known/openid-configuration",
                     body: "{\"issuer\":\"\(issuer)\",\"jwks_uri\":\"\(issuer)/keys\"}")
        server.serve("/keys", body: StubKeySet.document("d1"))
        let fetcher = makeFetcher(.discovery(issuer: issuer))
        fetcher.start()
        waitUntil("keys via discovery") { fetcher.lookup(kid: "d1").keyIDs != nil }
    }

    func testDiscoveryRejectsDocumentOfAnotherIssuer() {
        server.serve("/.well-known/openid-configuration",
                     body: "{\"issuer\":\"https://evil.example\",\"jwks_uri\":\"\(server.baseURL)/keys\"}")
        server.serve("/keys", body: StubKeySet.document("d1"))
        let fetcher = makeFetcher(.discovery(issuer: server.baseURL))
        fetcher.start()
        waitUntil("discovery failure") { fetcher.health.lastFailure?.code == "jwks_discovery" }
        XCTAssertNotNil(fetcher.lookup(kid: "d1").retryAfter)
        XCTAssertEqual(server.hits("/keys"), 0)
    }

    func testFileSourceIsRereadOnRefresh() throws {
        let path = NSTemporaryDirectory() + "jwks-\(UInt64.random(in: 0...UInt64.max)).json"
        try StubKeySet.document("f1").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fetcher = makeFetcher(.file(path: path), policy: fastPolicy(defaultTTL: 0.2))
        fetcher.start()
        waitUntil("file keys") { fetcher.lookup(kid: "f1").keyIDs != nil }
        try StubKeySet.document("f2").write(toFile: path, atomically: true, encoding: .utf8)
        waitUntil("rotated file keys") { fetcher.lookup(kid: "f2").keyIDs != nil }
        // The fetcher publishes the new keys before it reports the removed ones (on its queue, after
        // the state lock is released): wait for the report rather than read it right away.
        waitUntil("removed keys reported") { !probe.removed.withLock { $0.isEmpty } }
        XCTAssertEqual(probe.removed.withLock { $0 }, ["f1"])
    }

    func testHTTPRedirectIsFollowedWithinHTTP() {
        server.serve("/moved", status: 302, headers: [("Location", server.baseURL + "/jwks")], body: "")
        server.serve("/jwks", body: StubKeySet.document("r1"))
        let fetcher = makeFetcher(.url(URL(string: server.baseURL + "/moved")!))
        fetcher.start()
        waitUntil("keys after redirect") { fetcher.lookup(kid: "r1").keyIDs != nil }
    }

    func testInlineSource() {
        let fetcher = makeFetcher(.inline(Array(StubKeySet.document("i1").utf8)))
        fetcher.start()
        waitUntil("inline keys") { fetcher.lookup(kid: "i1").keyIDs != nil }
    }

    func testStopResolvesWaitersAsUnavailable() {
        server.serve("/jwks", body: StubKeySet.document("a"))
        let fetcher = makeFetcher()
        fetcher.start()
        waitUntil("keys") { fetcher.lookup(kid: "a").keyIDs != nil }
        server.setDelay(1)
        let done = expectation(description: "waiter resumed")
        fetcher.awaitRefresh(kid: "b") { result in
            XCTAssertNotNil(result.retryAfter)
            done.fulfill()
        }
        fetcher.stop()
        wait(for: [done], timeout: 2)
    }
}
