import XCTest
@testable import LoadtestCore

final class OpenLoopShareTests: XCTestCase {
    func testSharesPartitionTheScheduleExactly() {
        let schedule = OpenLoopSchedule(start: 1_000, requestsPerSecond: 7_777)
        for loops in 1...4 {
            var times: [UInt64] = []
            for index in 0..<loops {
                let share = OpenLoopShare(schedule: schedule, loopIndex: index, loopCount: loops)
                times += (0..<UInt64(100)).map { share.intendedSendTime(ofLocal: $0) }
            }
            let global = (0..<UInt64(100 * loops)).map { schedule.intendedSendTime(of: $0) }
            XCTAssertEqual(times.sorted(), global.sorted(), "\(loops) loops")
        }
    }

    func testDueCountsOfTheSharesAddUpToTheSchedule() {
        let schedule = OpenLoopSchedule(start: 5_000, requestsPerSecond: 1_234)
        let shares = (0..<3).map { OpenLoopShare(schedule: schedule, loopIndex: $0, loopCount: 3) }
        for now in stride(from: UInt64(0), to: 20_000_000, by: 333_333) {
            let due = shares.reduce(0) { $0 + $1.requestsDue(at: now) }
            XCTAssertEqual(due, schedule.requestsDue(at: now), "at \(now)")
            for share in shares {
                let n = share.requestsDue(at: now)
                if n > 0 { XCTAssertLessThanOrEqual(share.intendedSendTime(ofLocal: n - 1), now) }
                XCTAssertGreaterThan(share.intendedSendTime(ofLocal: n), now)
            }
        }
    }
}
