import XCTest
@testable import Gateway

/// One loop's request counters: the shortcut to the previous request's series (dictionary indexes
/// kept across requests) must count exactly what plain dictionary updates count, whatever the order
/// of series, new series inserted in between, and scrapes copying the value mid-way.
final class RequestMetricsTests: XCTestCase {
    private typealias Key = RequestMetrics.RequestKey

    func testCountsMatchAPlainTallyAcrossSeriesChangesInsertionsAndScrapeCopies() {
        var metrics = RequestMetrics()
        var expected: [Key: Int] = [:]
        var expectedDurations: [String: Int] = [:]
        var expectedUpstream: [String: Int] = [:]
        var scrapes: [RequestMetrics] = []
        // A deterministic walk over 40 routes, two methods, four statuses and 6 upstreams: runs of the
        // same series (the shortcut's hits), switches, and a new series every few requests (each
        // insertion may move every other entry of the dictionary).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<5_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = Int(state >> 33)
            let route = i % 7 == 0 ? "route-\(r % 40)" : "route-\(i / 50 % 40)"
            let method: MethodLabel = r % 5 == 0 ? .post : .get
            let status = [200, 200, 401, 403, 503][r % 5]
            let upstream = "upstream-\(r % 6)"
            metrics.countRequest(route: route, method: method, status: status, nanoseconds: Int64(r % 1_000_000))
            expected[Key(route: route, method: method, status: UInt16(status)), default: 0] += 1
            expectedDurations[route, default: 0] += 1
            if r % 3 != 0 {
                metrics.countUpstreamResponse(upstream: upstream, nanoseconds: 1_000)
                expectedUpstream[upstream, default: 0] += 1
            }
            if i % 613 == 0 { scrapes.append(metrics) }   // a scrape's copy shares the storage until the next count
        }
        XCTAssertEqual(metrics.requests, expected)
        XCTAssertEqual(metrics.requestDurations.mapValues(\.count), expectedDurations)
        XCTAssertEqual(metrics.upstreamDurations.mapValues(\.count), expectedUpstream)
        // The copies kept what they had when taken: counting went on in the loop's own value only.
        XCTAssertEqual(scrapes.first?.requests.values.reduce(0, +), 1)
        XCTAssertEqual(scrapes.map { $0.requests.values.reduce(0, +) }, (0..<scrapes.count).map { $0 * 613 + 1 })
    }

    func testMergingIntoACountingValueKeepsItsCountsRight() {
        var loop = RequestMetrics()
        for _ in 0..<3 { loop.countRequest(route: "a", method: .get, status: 200, nanoseconds: 10) }
        var other = RequestMetrics()
        other.countRequest(route: "b", method: .get, status: 200, nanoseconds: 10)
        other.countRequest(route: "a", method: .get, status: 200, nanoseconds: 10)
        loop.merge(other)   // inserts "b": the remembered positions must be forgotten
        loop.countRequest(route: "a", method: .get, status: 200, nanoseconds: 10)
        XCTAssertEqual(loop.requests[RequestMetrics.RequestKey(route: "a", method: .get, status: 200)], 5)
        XCTAssertEqual(loop.requests[RequestMetrics.RequestKey(route: "b", method: .get, status: 200)], 1)
        XCTAssertEqual(loop.requestDurations["a"]?.count, 5)
    }
}
