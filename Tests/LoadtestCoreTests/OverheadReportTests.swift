import Foundation
import XCTest
@testable import LoadtestCore

final class OverheadReportTests: XCTestCase {
    /// A one-second run of `count` responses all taking `latency` ns.
    private func run(count: Int, latency: UInt64) -> RunResult {
        var result = RunResult(measuredNanoseconds: 1_000_000_000)
        for _ in 0..<count { result.recordResponse(status: 200, latencyNanoseconds: latency) }
        return result
    }

    private var report: OverheadReport {
        OverheadReport(title: "GET /v1/port-calls/42", rounds: [
            (direct: run(count: 1_000, latency: 50_000), gateway: run(count: 800, latency: 70_000)),
            (direct: run(count: 1_000, latency: 50_000), gateway: run(count: 900, latency: 60_000)),
            (direct: run(count: 1_000, latency: 40_000), gateway: run(count: 500, latency: 90_000)),
        ])
    }

    func testPerRoundDeltasAndRatios() {
        let rounds = report.rounds
        XCTAssertEqual(rounds.map(\.deltaP50Nanoseconds), [20_000, 10_000, 50_000])
        XCTAssertEqual(rounds.map(\.deltaP99Nanoseconds), [20_000, 10_000, 50_000])
        XCTAssertEqual(rounds.map(\.throughputRatio), [0.8, 0.9, 0.5])
    }

    func testMedianAndSpreadAcrossRounds() {
        XCTAssertEqual(report.deltaP50, Spread(median: 20_000, min: 10_000, max: 50_000))
        XCTAssertEqual(report.throughputRatio, Spread(median: 0.8, min: 0.5, max: 0.9))
        XCTAssertEqual(report.gatewayOverall.responses, 2_200)
        XCTAssertEqual(report.gatewayOverall.throughput, 2_200.0 / 3, accuracy: 1e-9)
    }

    func testNegativeDeltaWhenGatewayIsFaster() {
        let round = OverheadReport.Round(direct: run(count: 10, latency: 90_000), gateway: run(count: 10, latency: 80_000))
        XCTAssertEqual(round.deltaP50Nanoseconds, -10_000)
    }

    func testTextTableListsRoundsAndSummary() {
        let text = report.text
        XCTAssertTrue(text.contains("Δp50 +20.0 µs [+10.0, +50.0]"), text)
        XCTAssertTrue(text.contains("throughput ratio 0.800 [0.500, 0.900]"), text)
        XCTAssertTrue(text.contains("over 3 rounds"), text)
        XCTAssertEqual(text.components(separatedBy: "\n").filter { $0.hasPrefix("3 ") }.count, 1, text)
    }

    func testJSONRoundTrips() throws {
        let decoded = try JSONDecoder().decode(OverheadReport.self, from: Data(try report.json()))
        XCTAssertEqual(decoded, report)
    }

    func testChartHasBothSeries() {
        let svg = report.chart().svg()
        XCTAssertTrue(svg.contains(">direct</text>"))
        XCTAssertTrue(svg.contains(">gateway (Portcullis)</text>"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 2)
    }
}

final class OverheadScheduleTests: XCTestCase {
    func testRoundsRunBothTargetsAlternatingTheOrder() {
        let runs = OverheadSchedule.runs(rounds: 3)
        XCTAssertEqual(runs.map(\.round), [0, 0, 1, 1, 2, 2])
        XCTAssertEqual(runs.map(\.target), [.direct, .gateway, .gateway, .direct, .direct, .gateway])
        XCTAssertEqual(OverheadSchedule.runs(rounds: 0), [])
    }
}
