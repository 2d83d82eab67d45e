import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import LoadtestCore

final class LatencyChartTests: XCTestCase {
    private func histogram(_ values: ClosedRange<UInt64>, count: Int, seed: UInt64) -> LatencyHistogram {
        var rng = SplitMix64(seed: seed)
        var histogram = LatencyHistogram()
        for _ in 0..<count { histogram.record(UInt64.random(in: values, using: &rng)) }
        return histogram
    }

    private var chart: LatencyChart {
        LatencyChart(title: "direct <vs> gateway & co", series: [
            .init(name: "direct", histogram: histogram(20_000...400_000, count: 20_000, seed: 1)),
            .init(name: "gateway", histogram: histogram(60_000...3_000_000, count: 20_000, seed: 2)),
        ])
    }

    func testSVGIsWellFormedXML() throws {
        let svg = chart.svg()
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let document = try XMLDocument(xmlString: svg)
        XCTAssertEqual(document.rootElement()?.name, "svg")
        XCTAssertEqual(try document.nodes(forXPath: "//*[local-name()='polyline']").count, 2)
    }

    func testTitleAndLegendAreEscaped() {
        let svg = chart.svg()
        XCTAssertTrue(svg.contains("direct &lt;vs&gt; gateway &amp; co"))
        XCTAssertFalse(svg.contains("<vs>"))
    }

    func testAxesCoverTheDataWithLabels() {
        let chart = self.chart
        XCTAssertEqual(chart.maxNines, 4, "20 000 samples → 99.99%")
        XCTAssertEqual(chart.decades.low, 1, "20 µs → the 10 µs decade")
        XCTAssertEqual(chart.decades.high, 4, "3 ms → up to 10 ms")
        let svg = chart.svg()
        for label in ["0%", "90%", "99%", "99.9%", "99.99%", "10 µs", "100 µs", "1 ms", "10 ms", "percentile", "latency"] {
            XCTAssertTrue(svg.contains(">\(label)</text>"), label)
        }
    }

    func testSeriesPointsRiseWithPercentileAndEndAtMax() {
        let histogram = histogram(1_000...1_000_000, count: 5_000, seed: 3)
        let points = chart.points(of: histogram)
        XCTAssertEqual(points.first?.nanoseconds, histogram.min)
        XCTAssertEqual(points.last?.nanoseconds, histogram.max)
        XCTAssertEqual(points.last?.nines, 4)
        for (a, b) in zip(points, points.dropFirst()) {
            XCTAssertLessThanOrEqual(a.nanoseconds, b.nanoseconds)
            XCTAssertLessThan(a.nines, b.nines)
        }
    }

    func testLabels() {
        XCTAssertEqual(LatencyChart.durationLabel(decade: -3), "1 ns")
        XCTAssertEqual(LatencyChart.durationLabel(decade: 2), "100 µs")
        XCTAssertEqual(LatencyChart.durationLabel(decade: 4), "10 ms")
        XCTAssertEqual(LatencyChart.durationLabel(decade: 7), "10 s")
        XCTAssertEqual(LatencyChart.percentileLabel(nines: 5), "99.999%")
    }

    func testEmptyAndExtremeSeriesDoNotCrash() {
        var extreme = LatencyHistogram()
        extreme.record(0)
        extreme.record(UInt64.max)
        let svg = LatencyChart(title: "t", series: [.init(name: "empty", histogram: LatencyHistogram()),
                                                   .init(name: "extreme", histogram: extreme)]).svg()
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 1)
        XCTAssertTrue(svg.contains(">empty</text>"))
    }
}
