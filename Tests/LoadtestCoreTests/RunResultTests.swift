import Foundation
import XCTest
@testable import LoadtestCore

final class RunResultTests: XCTestCase {
    private func result(latencies: [UInt64], status: Int, seconds: UInt64 = 1) -> RunResult {
        var result = RunResult(measuredNanoseconds: seconds * 1_000_000_000)
        for latency in latencies { result.recordResponse(status: status, latencyNanoseconds: latency) }
        return result
    }

    func testCountsStatusesAndErrorsAndTheyAddUp() {
        var result = RunResult(measuredNanoseconds: 2_000_000_000)
        for _ in 0..<90 { result.recordResponse(status: 200, latencyNanoseconds: 100_000) }
        for _ in 0..<7 { result.recordResponse(status: 401, latencyNanoseconds: 50_000) }
        for _ in 0..<3 { result.recordResponse(status: 403, latencyNanoseconds: 50_000) }
        result.recordResponse(status: 999, latencyNanoseconds: 1)
        result.recordError(.connectionReset)
        result.recordError(.connectionReset)
        result.recordError(.responseTimeout)
        XCTAssertEqual(result.statuses.map(\.status), [200, 401, 403])
        XCTAssertEqual(result.count(ofStatus: 401), 7)
        XCTAssertEqual(result.outOfRangeStatuses, 1)
        XCTAssertEqual(result.responses, 101)
        XCTAssertEqual(result.successes, 90)
        XCTAssertEqual(result.statuses.reduce(0) { $0 + $1.count } + result.outOfRangeStatuses, result.responses)
        XCTAssertEqual(result.errors.map(\.kind), [.connectionReset, .responseTimeout])
        XCTAssertEqual(result.errorTotal, 3)
        XCTAssertEqual(result.throughput, 50.5, accuracy: 1e-9)
    }

    func testMergeAddsEverything() {
        var a = result(latencies: [1_000, 2_000], status: 200)
        a.recordError(.connectRefused)
        var b = result(latencies: [3_000], status: 503, seconds: 2)
        b.recordError(.connectRefused)
        a.merge(b)
        XCTAssertEqual(a.responses, 3)
        XCTAssertEqual(a.count(ofStatus: 503), 1)
        XCTAssertEqual(a.count(of: .connectRefused), 2)
        XCTAssertEqual(a.latency.max, 3_000)
        XCTAssertEqual(a.measuredNanoseconds, 2_000_000_000, "loops share one window: the longest is kept")
    }

    func testRunReportTextShowsTotalsPercentilesAndStatuses() {
        var result = self.result(latencies: Array(repeating: 123_456, count: 10), status: 200, seconds: 2)
        result.recordResponse(status: 401, latencyNanoseconds: 80_000)
        result.recordError(.closedByPeer)
        let text = RunReport(title: "status → http://127.0.0.1:9100", result: result).text
        XCTAssertTrue(text.hasPrefix("status → http://127.0.0.1:9100\n"), text)
        XCTAssertTrue(text.contains("responses 11 in 2.0 s = 5.5 req/s; 2xx 10; transport errors 1"), text)
        XCTAssertTrue(text.contains("123.5"), "p50 in µs: \(text)")
        XCTAssertTrue(text.contains("200: 10  401: 1"), text)
        XCTAssertTrue(text.contains("closed_by_peer: 1"), text)
    }

    func testRunReportJSONRoundTrips() throws {
        let result = self.result(latencies: [10_000, 20_000, 30_000], status: 200)
        let report = RunReport(title: "t", result: result)
        let bytes = try report.json()
        let decoded = try JSONDecoder().decode(RunReport.self, from: Data(bytes))
        XCTAssertEqual(decoded, report)
        XCTAssertEqual(decoded.run.statusCounts, ["200": 3])
        XCTAssertEqual(decoded.run.latency.p50Nanoseconds, result.latency.value(atPercentile: 50))
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        XCTAssertEqual(object?["kind"] as? String, "loadtest.run")
    }

    func testTextFormatRoundsAndPads() {
        XCTAssertEqual(TextFormat.micros(123_456), "123.5")
        XCTAssertEqual(TextFormat.micros(49), "0.0")
        XCTAssertEqual(TextFormat.micros(signed: -1_250), "-1.3")
        XCTAssertEqual(TextFormat.micros(signed: 900), "+0.9")
        XCTAssertEqual(TextFormat.fixed(2.0 / 3.0, decimals: 3), "0.667")
        XCTAssertEqual(TextFormat.fixed(-1.05, decimals: 0), "-1")
        XCTAssertEqual(TextFormat.fixed(12, decimals: 2), "12.00")
        XCTAssertEqual(TextFormat.right("7", 3), "  7")
    }

    func testSpreadMedianAndRange() {
        XCTAssertEqual(Spread(of: [5, 1, 3]), Spread(median: 3, min: 1, max: 5))
        XCTAssertEqual(Spread(of: [4, 1, 3, 2]), Spread(median: 2.5, min: 1, max: 4))
        XCTAssertEqual(Spread(of: []), Spread(median: 0, min: 0, max: 0))
    }

    func testRunReportChartPlotsTheRun() {
        let report = RunReport(title: "t", result: result(latencies: [10_000, 20_000, 400_000], status: 200))
        let svg = report.chart(seriesName: "http://127.0.0.1:9100/").svg()
        XCTAssertTrue(svg.contains(">http://127.0.0.1:9100/</text>"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 1)
    }
}
