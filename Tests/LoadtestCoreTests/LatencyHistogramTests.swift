import Foundation
import XCTest
@testable import LoadtestCore

final class LatencyHistogramTests: XCTestCase {
    private let checkedPercentiles: [Double] = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100]

    /// Records `samples`, then checks every checked percentile against the exact nearest-rank value of
    /// the sorted samples, within the histogram's relative error bound.
    private func assertAccurate(_ samples: [UInt64], bits: Int = LatencyHistogram.defaultSubBucketBits,
                                file: StaticString = #filePath, line: UInt = #line) {
        var histogram = LatencyHistogram(subBucketBits: bits)
        for sample in samples { histogram.record(sample) }
        let sorted = samples.sorted()
        XCTAssertEqual(histogram.count, UInt64(samples.count), file: file, line: line)
        XCTAssertEqual(histogram.min, sorted.first, file: file, line: line)
        XCTAssertEqual(histogram.max, sorted.last, file: file, line: line)
        for percentile in checkedPercentiles {
            let rank = LatencyHistogram.rank(ofPercentile: percentile, count: UInt64(sorted.count))
            let exact = percentile == 0 ? sorted[0] : sorted[Int(rank) - 1]
            let reported = histogram.value(atPercentile: percentile)
            let error = abs(Double(reported) - Double(exact)) / Swift.max(Double(exact), 1)
            XCTAssertLessThanOrEqual(error, histogram.relativeErrorBound,
                                     "p\(percentile): reported \(reported), exact \(exact)", file: file, line: line)
        }
    }

    func testRelativeErrorBoundIsTwoToTheMinusBitsPlusOne() {
        XCTAssertEqual(LatencyHistogram().relativeErrorBound, 1.0 / 256)
        XCTAssertEqual(LatencyHistogram(subBucketBits: 3).relativeErrorBound, 1.0 / 16)
    }

    func testUniformDistributionIsWithinBound() {
        var rng = SplitMix64(seed: 1)
        let samples = (0..<100_000).map { _ in UInt64.random(in: 10_000...5_000_000, using: &rng) }
        assertAccurate(samples)
    }

    func testExponentialDistributionIsWithinBound() {
        var rng = SplitMix64(seed: 2)
        let meanNanoseconds = 80_000.0
        let samples = (0..<100_000).map { _ -> UInt64 in
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
            return UInt64(-log(u) * meanNanoseconds)
        }
        assertAccurate(samples)
    }

    func testCoarseResolutionStillHonoursItsOwnBound() {
        var rng = SplitMix64(seed: 3)
        let samples = (0..<20_000).map { _ in UInt64.random(in: 0...1 << 40, using: &rng) }
        assertAccurate(samples, bits: 2)
    }

    func testConstantValueReportsEveryPercentileExactly() {
        var histogram = LatencyHistogram()
        for _ in 0..<1_000 { histogram.record(123_457) }
        for percentile in checkedPercentiles {
            XCTAssertEqual(histogram.value(atPercentile: percentile), 123_457, "p\(percentile)")
        }
        XCTAssertEqual(histogram.mean, 123_457)
    }

    func testExtremeValuesAreRecordedAndBounded() {
        assertAccurate([0, 1, 2, 127, 128, 255, 256, 1 << 32, UInt64.max - 1, UInt64.max])
        var histogram = LatencyHistogram()
        histogram.record(UInt64.max)
        histogram.record(UInt64.max)
        XCTAssertEqual(histogram.sum, UInt128(UInt64.max) * 2, "the sum must not overflow")
        XCTAssertEqual(histogram.value(atPercentile: 50), UInt64.max)
    }

    func testSmallValuesAreExact() {
        var histogram = LatencyHistogram()
        for value in UInt64(0)..<256 { histogram.record(value) }
        for index in 0..<256 {
            XCTAssertEqual(histogram.lowestValue(ofBucket: index), UInt64(index))
            XCTAssertEqual(histogram.width(ofBucket: index), 1)
        }
        XCTAssertEqual(histogram.value(atPercentile: 50), 127)
    }

    func testBucketLayoutIsContiguousAcrossPowersOfTwo() {
        let histogram = LatencyHistogram(subBucketBits: 4)
        let buckets = LatencyHistogram.bucketCount(subBucketBits: 4)
        var expectedLowest: UInt64 = 0
        for index in 0..<buckets {
            XCTAssertEqual(histogram.lowestValue(ofBucket: index), expectedLowest, "bucket \(index)")
            XCTAssertEqual(histogram.bucketIndex(of: expectedLowest), index)
            let width = histogram.width(ofBucket: index)
            XCTAssertEqual(histogram.bucketIndex(of: expectedLowest + (width - 1)), index)
            expectedLowest = expectedLowest &+ width
        }
        XCTAssertEqual(expectedLowest, 0, "the buckets must end exactly at UInt64.max")
    }

    func testMergeEqualsRecordingEverythingInOne() {
        var rng = SplitMix64(seed: 4)
        var left = LatencyHistogram(), right = LatencyHistogram(), all = LatencyHistogram()
        for i in 0..<10_000 {
            let value = UInt64.random(in: 1...10_000_000, using: &rng)
            if i % 3 == 0 { left.record(value) } else { right.record(value) }
            all.record(value)
        }
        left.merge(right)
        XCTAssertEqual(left, all)
        XCTAssertEqual(left.summary, all.summary)
    }

    func testMergingIntoEmptyKeepsMinimum() {
        var empty = LatencyHistogram()
        var other = LatencyHistogram()
        other.record(500)
        empty.merge(other)
        XCTAssertEqual(empty.min, 500)
        empty.merge(LatencyHistogram())
        XCTAssertEqual(empty.min, 500)
    }

    func testEmptyHistogramReportsZeros() {
        let histogram = LatencyHistogram()
        XCTAssertTrue(histogram.isEmpty)
        XCTAssertEqual(histogram.summary.p99Nanoseconds, 0)
        XCTAssertEqual(histogram.min, 0)
        XCTAssertEqual(histogram.mean, 0)
    }

    func testNearestRankDefinition() {
        XCTAssertEqual(LatencyHistogram.rank(ofPercentile: 50, count: 10), 5)
        XCTAssertEqual(LatencyHistogram.rank(ofPercentile: 99.9, count: 1_000), 999)
        XCTAssertEqual(LatencyHistogram.rank(ofPercentile: 99.9, count: 999), 999)
        XCTAssertEqual(LatencyHistogram.rank(ofPercentile: 1, count: 10), 1)
        XCTAssertEqual(LatencyHistogram.rank(ofPercentile: 90, count: 7), 7)
    }

    func testResetEmptiesButKeepsResolution() {
        var histogram = LatencyHistogram(subBucketBits: 5)
        histogram.record(42)
        histogram.reset()
        XCTAssertEqual(histogram, LatencyHistogram(subBucketBits: 5))
    }

    func testJSONRoundTripPreservesEverySample() throws {
        var rng = SplitMix64(seed: 5)
        var histogram = LatencyHistogram()
        for _ in 0..<5_000 { histogram.record(UInt64.random(in: 1...1 << 36, using: &rng)) }
        histogram.record(UInt64.max)
        let data = try JSONEncoder().encode(histogram)
        let decoded = try JSONDecoder().decode(LatencyHistogram.self, from: data)
        XCTAssertEqual(decoded, histogram)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        XCTAssertEqual(object?["unit"] as? String, "ns")
        XCTAssertNotNil(object?["summary"] as? [String: Any])
    }

    func testDecodingRejectsCountThatDoesNotMatchBuckets() {
        let json = #"{"unit":"ns","subBucketBits":7,"count":5,"min":1,"max":1,"sum":"1","buckets":[[1,1]]}"#
        XCTAssertThrowsError(try JSONDecoder().decode(LatencyHistogram.self, from: Data(json.utf8)))
    }

    func testDecodingRejectsBucketIndexOutOfRange() {
        let json = #"{"unit":"ns","subBucketBits":7,"count":1,"min":1,"max":1,"sum":"1","buckets":[[999999,1]]}"#
        XCTAssertThrowsError(try JSONDecoder().decode(LatencyHistogram.self, from: Data(json.utf8)))
    }

    func testDecodingRejectsMinMaxOutsideTheOccupiedBuckets() {
        let json = #"{"unit":"ns","subBucketBits":7,"count":1,"min":1,"max":900,"sum":"1","buckets":[[1,1]]}"#
        XCTAssertThrowsError(try JSONDecoder().decode(LatencyHistogram.self, from: Data(json.utf8)))
    }
}
