import XCTest
@testable import LoadtestCore

final class OpenLoopScheduleTests: XCTestCase {
    func testIntendedTimesAreEvenlySpacedFromStart() {
        let schedule = OpenLoopSchedule(start: 1_000, requestsPerSecond: 4)
        XCTAssertEqual((0..<5).map { schedule.intendedSendTime(of: $0) },
                       [1_000, 250_001_000, 500_001_000, 750_001_000, 1_000_001_000])
    }

    func testNoDriftWhenIntervalIsNotAnInteger() {
        let schedule = OpenLoopSchedule(start: 0, requestsPerSecond: 3)   // 333_333_333.3 ns apart
        XCTAssertEqual(schedule.intendedSendTime(of: 3_000_000), 1_000_000_000_000_000, "exactly 1e6 s later")
        XCTAssertEqual(schedule.intendedSendTime(of: 1), 333_333_333)
        XCTAssertEqual(schedule.intendedSendTime(of: 2), 666_666_666)
    }

    func testRequestsDueCountsIntendedTimesUpToNow() {
        let schedule = OpenLoopSchedule(start: 10_000, requestsPerSecond: 1_000)   // 1 ms apart
        XCTAssertEqual(schedule.requestsDue(at: 9_999), 0)
        XCTAssertEqual(schedule.requestsDue(at: 10_000), 1)
        XCTAssertEqual(schedule.requestsDue(at: 10_000 + 999_999), 1)
        XCTAssertEqual(schedule.requestsDue(at: 10_000 + 1_000_000), 2)
        for i in [0, 1, 17, 999, 123_456] as [UInt64] {
            let t = schedule.intendedSendTime(of: i)
            XCTAssertEqual(schedule.requestsDue(at: t), i + 1)
            XCTAssertEqual(schedule.requestsDue(at: t - 1), i)
        }
    }

    func testLatencyCountsFromIntendedSendTimeNotActualSend() {
        // The server stalls for 1 s: request 500 (due at 0.5 s) is only sent at 1.0 s and answered at
        // 1.0001 s. Its latency is 0.5001 s, not the 100 µs a coordinated-omission generator would report.
        let schedule = OpenLoopSchedule(start: 0, requestsPerSecond: 1_000)
        XCTAssertEqual(schedule.latency(ofRequest: 500, completedAt: 1_000_100_000), 500_100_000)
        XCTAssertEqual(schedule.latency(ofRequest: 500, completedAt: 1), 0)
    }

    func testDelayUntilNextRequest() {
        let schedule = OpenLoopSchedule(start: 0, requestsPerSecond: 100)
        XCTAssertEqual(schedule.delay(untilRequest: 2, now: 15_000_000), 5_000_000)
        XCTAssertEqual(schedule.delay(untilRequest: 1, now: 15_000_000), 0)
    }

    func testPhasesAndMeasurementWindow() {
        let phases = RunPhases(start: 100, warmup: 50, duration: 200)
        XCTAssertEqual(phases.phase(at: 100), .warmup)
        XCTAssertEqual(phases.phase(at: 149), .warmup)
        XCTAssertEqual(phases.phase(at: 150), .measuring)
        XCTAssertEqual(phases.phase(at: 349), .measuring)
        XCTAssertEqual(phases.phase(at: 350), .finished)
        XCTAssertFalse(phases.isMeasured(sendTime: 149), "a warm-up request completing later is discarded")
        XCTAssertTrue(phases.isMeasured(sendTime: 150))
        XCTAssertFalse(phases.isMeasured(sendTime: 350))
    }
}
