import XCTest
@testable import LoadtestCore

final class ProgressLineTests: XCTestCase {
    func testRendersRateOverTheIntervalAndPhase() {
        let phases = RunPhases(start: 0, warmup: 2_000_000_000, duration: 10_000_000_000)
        let line = ProgressLine.render(
            previous: .init(time: 2_500_000_000, responses: 10_000, non2xx: 1, errors: 0),
            current: .init(time: 3_000_000_000, responses: 20_517, non2xx: 12, errors: 2),
            phases: phases)
        XCTAssertEqual(line, "   3.0 s measuring     21034 req/s  non-2xx 12  errors 2")
    }

    func testWarmupAndZeroInterval() {
        let phases = RunPhases(start: 0, warmup: 2_000_000_000, duration: 1)
        let snapshot = ProgressLine.Snapshot(time: 1_000_000_000, responses: 5, non2xx: 0, errors: 0)
        XCTAssertEqual(ProgressLine.render(previous: snapshot, current: snapshot, phases: phases),
                       "   1.0 s warm-up           0 req/s  non-2xx 0  errors 0")
    }
}
