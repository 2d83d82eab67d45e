import XCTest
@testable import Gateway

/// `portcullis bench record` runs the connection's own observation code (no crash, a rate reported).
final class RecordBenchmarkTests: XCTestCase {
    func testRecordBenchmarkMeasuresSomething() throws {
        let result = try VerificationBenchmark.requestRecord(seconds: 0.05)
        XCTAssertGreaterThan(result.operationsPerSecond, 0)
    }
}
