import XCTest
import Foundation
@testable import Telemetry

final class LoggerTests: XCTestCase {
    /// A hostile value (quotes, newlines) must not forge fields or lines in the JSON log.
    func testFieldValuesAreEscapedSoALineCannotBeForged() throws {
        var pipeFDs: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&pipeFDs), 0)
        let logger = Logger(component: "test", minimumLevel: .info, fd: pipeFDs[1])
        logger.info("hello", [("reason", "x\",\"level\":\"error\"\n{\"forged\":1}")])
        close(pipeFDs[1])
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = read(pipeFDs[0], &buf, 4096)
        close(pipeFDs[0])
        let text = String(decoding: buf[0..<max(n, 0)], as: UTF8.self)
        XCTAssertEqual(text.filter { $0 == "\n" }.count, 1, "exactly one line")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(object["level"] as? String, "info")
        XCTAssertEqual(object["reason"] as? String, "x\",\"level\":\"error\"\n{\"forged\":1}")
    }

    func testMessagesBelowTheMinimumLevelAreDropped() {
        var pipeFDs: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&pipeFDs), 0)
        let logger = Logger(component: "test", minimumLevel: .warning, fd: pipeFDs[1])
        logger.info("quiet")
        logger.warning("loud")
        close(pipeFDs[1])
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = read(pipeFDs[0], &buf, 4096)
        close(pipeFDs[0])
        let text = String(decoding: buf[0..<max(n, 0)], as: UTF8.self)
        XCTAssertFalse(text.contains("quiet"))
        XCTAssertTrue(text.contains("loud"))
    }
}

final class MetricsTests: XCTestCase {
    func testCountersAccumulatePerLabelAndRenderAsPrometheusText() {
        let m = Metrics()
        m.increment("portcullis_decisions_total", label: "code", value: "expired")
        m.increment("portcullis_decisions_total", label: "code", value: "expired", by: 2)
        m.increment("portcullis_decisions_total", label: "code", value: "allowed")
        XCTAssertEqual(m.value("portcullis_decisions_total", label: "code", value: "expired"), 3)
        let text = m.prometheusText()
        XCTAssertTrue(text.contains("# TYPE portcullis_decisions_total counter"))
        XCTAssertTrue(text.contains("portcullis_decisions_total{code=\"expired\"} 3"))
        XCTAssertTrue(text.contains("portcullis_decisions_total{code=\"allowed\"} 1"))
    }

    func testLabelValuesCannotBreakTheExpositionFormat() {
        let m = Metrics()
        m.increment("x_total", label: "code", value: "a\"b\nc")
        XCTAssertTrue(m.prometheusText().contains(#"x_total{code="a\"b\nc"} 1"#), m.prometheusText())
    }
}

final class TimestampAndExpositionTests: XCTestCase {
    func testRFC3339TimestampsAreUTCWithMilliseconds() {
        XCTAssertEqual(RFC3339.string(milliseconds: 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(RFC3339.string(milliseconds: 951_782_400_007), "2000-02-29T00:00:00.007Z")   // leap day
        XCTAssertEqual(RFC3339.string(milliseconds: 1_796_446_714_123), "2026-12-05T04:58:34.123Z")   // checked with Python's datetime
        XCTAssertEqual(RFC3339.string(milliseconds: 4_102_444_799_999), "2099-12-31T23:59:59.999Z")
    }

    func testTheCachedFormatterAgreesAcrossSecondAndDayBoundaries() {
        var cache = RFC3339.Cache()
        for ms: Int64 in [0, 999, 1000, 86_399_999, 86_400_000, 86_400_001, 951_782_399_999, 951_782_400_007, 951_782_400_008, 5] {
            var cached: [UInt8] = []
            cache.append(milliseconds: ms, to: &cached)
            XCTAssertEqual(String(decoding: cached, as: UTF8.self), RFC3339.string(milliseconds: ms), "\(ms)")
        }
    }

    func testLogLinesCarryAnRFC3339Timestamp() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        Logger(component: "t", fd: fds[1]).info("x")
        close(fds[1])
        var buf = [UInt8](repeating: 0, count: 1024)
        let n = read(fds[0], &buf, buf.count)
        close(fds[0])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buf[0..<max(0, n)])) as? [String: Any])
        let ts = try XCTUnwrap(object["ts"] as? String)
        XCTAssertNotNil(ts.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression), ts)
    }

    func testHistogramBucketsAreCumulativeInTheExposition() {
        var h = Histogram()
        h.observe(seconds: 0.0004)     // first bucket
        h.observe(seconds: 0.0005)     // on the bound: le="0.0005" (inclusive)
        h.observe(seconds: 0.2)
        h.observe(seconds: 60)         // +Inf only
        var out = PrometheusText()
        out.family("x_seconds", "histogram", help: "x.")
        out.histogram("x_seconds", [("route", "r")], h)
        XCTAssertTrue(out.text.contains("# HELP x_seconds x.\n# TYPE x_seconds histogram\n"))
        XCTAssertTrue(out.text.contains(#"x_seconds_bucket{route="r",le="0.0005"} 2"#), out.text)
        XCTAssertTrue(out.text.contains(#"x_seconds_bucket{route="r",le="0.25"} 3"#), out.text)
        XCTAssertTrue(out.text.contains(#"x_seconds_bucket{route="r",le="10"} 3"#), out.text)
        XCTAssertTrue(out.text.contains(#"x_seconds_bucket{route="r",le="+Inf"} 4"#), out.text)
        XCTAssertTrue(out.text.contains(#"x_seconds_count{route="r"} 4"#), out.text)
        XCTAssertTrue(out.text.contains(#"x_seconds_sum{route="r"} 60.2009"#), out.text)
    }

    func testProcessStatsAreRead() {
        let stats = ProcessStats.current()
        XCTAssertGreaterThan(stats.residentMemoryBytes ?? 0, 0)
        XCTAssertGreaterThan(stats.openFDs ?? 0, 2)
        XCTAssertGreaterThan(stats.startTimeSeconds ?? 0, 1_700_000_000)
    }
}
