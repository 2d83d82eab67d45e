import XCTest
@testable import LoadtestCore

final class WeightedPickerTests: XCTestCase {
    func testEachCycleHoldsEveryChoiceExactlyItsWeight() {
        let picker = WeightedPicker(weights: [7, 2, 1])
        XCTAssertEqual(picker.cycle.count, 10)
        var counts = [0, 0, 0]
        for n in 0..<1_000 { counts[picker.pick(UInt64(n))] += 1 }
        XCTAssertEqual(counts, [700, 200, 100])
    }

    func testPicksAreInterleavedNotInRuns() {
        let picker = WeightedPicker(weights: [1, 1])
        XCTAssertEqual((0..<6).map { picker.pick(UInt64($0)) }, [0, 1, 0, 1, 0, 1])
        let skewed = WeightedPicker(weights: [5, 1, 1])
        XCTAssertEqual(skewed.cycle, [0, 0, 1, 0, 2, 0, 0], "smooth weighted round-robin order")
    }

    func testWeightsAreReducedByTheirCommonDivisor() {
        XCTAssertEqual(WeightedPicker(weights: [300, 200]).cycle.count, 5)
    }

    func testSamePicksForSameSequenceNumbers() {
        let a = WeightedPicker(weights: [3, 5, 9])
        let b = WeightedPicker(weights: [3, 5, 9])
        for n in stride(from: UInt64(0), to: 10_000, by: 37) { XCTAssertEqual(a.pick(n), b.pick(n)) }
        XCTAssertEqual(a.pick(UInt64.max), a.pick(UInt64.max % 17))
    }

    func testOccurrencesCountsPicksWithoutReplaying() {
        let picker = WeightedPicker(weights: [90, 5, 3, 2])
        for n in [0, 1, 57, 100, 12_345] as [UInt64] {
            let replayed = (0..<n).filter { picker.pick($0) == 2 }.count
            XCTAssertEqual(picker.occurrences(of: 2, inFirst: n), UInt64(replayed), "n = \(n)")
        }
    }
}
