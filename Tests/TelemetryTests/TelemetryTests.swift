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
        XCTAssertFalse(m.prometheusText().contains("a\"b"))
    }
}
