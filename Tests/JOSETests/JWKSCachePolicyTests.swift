import XCTest
@testable import JOSE

final class JWKSCachePolicyTests: XCTestCase {
    func testDefaultsAreUsableAndDocumentedValues() {
        let policy = JWKSCachePolicy()
        XCTAssertEqual(policy.problems, [])
        XCTAssertEqual(policy.ttl(maxAge: nil), 300)
        XCTAssertEqual(policy.unknownKeyRefreshInterval, 30)
        XCTAssertEqual(policy.maxStaleness, 86_400)
    }

    func testBackoffDoublesToCap() {
        let policy = JWKSCachePolicy()
        XCTAssertEqual((1...9).map { policy.backoff(afterFailures: $0) }, [1, 2, 4, 8, 16, 32, 60, 60, 60])
        XCTAssertEqual(policy.backoff(afterFailures: 1_000_000), 60, "no overflow for long outages")
    }

    func testInvalidSettingsAreNamed() {
        var policy = JWKSCachePolicy()
        policy.minTTL = 100
        policy.maxTTL = 10
        policy.refreshFraction = 1.5
        policy.maxBackoff = 0.5
        XCTAssertEqual(policy.problems.map { String($0.prefix { $0 != ":" }) }, ["maxTTL", "refreshFraction", "maxBackoff"])
    }
}
