/// A log-linear latency histogram over nanoseconds (HdrHistogram-like), covering the whole `UInt64` range.
///
/// Layout: with `p = subBucketBits` and `S = 2^p`, values below `S` each have their own bucket (exact).
/// A value `v ≥ S` whose highest set bit is at position `m` falls in a bucket of width `2^(m-p)` among
/// the `S` equal buckets that split `[2^m, 2^(m+1))`. Its index is `(m - p) · S + (v >> (m - p))`.
///
/// **Accuracy invariant:** every reported value (percentiles, `mean` excepted, which is exact) is the
/// midpoint of the bucket holding the true sample, clamped to `[min, max]`, so its relative error is at
/// most `2^-(p+1)`: 0.39% with the default `p = 7` (`S = 128` sub-buckets per power of two).
/// `min`, `max`, `count` and `mean` are exact.
///
/// `record` is O(1) and never allocates (the bucket array is allocated once, at `init`). The type is a
/// value: each event loop records into its own copy, and the copies are `merge`d at the end of a run.
public struct LatencyHistogram: Sendable, Equatable {
    /// Number of bits of sub-bucket resolution `p` (1...12).
    public let subBucketBits: Int
    /// Bucket counts; index layout described on the type.
    internal var counts: [UInt64]
    /// Number of recorded samples.
    public internal(set) var count: UInt64 = 0
    /// Smallest recorded value in nanoseconds (`UInt64.max` when empty).
    internal var minimum: UInt64 = .max
    /// Largest recorded value in nanoseconds (0 when empty).
    public internal(set) var max: UInt64 = 0
    /// Exact sum of all samples (128 bits: cannot overflow for any realistic run).
    public internal(set) var sum: UInt128 = 0

    /// The default sub-bucket resolution: 7 bits, a relative error bound of 2^-8 ≈ 0.39%.
    public static let defaultSubBucketBits = 7

    /// Creates an empty histogram. `subBucketBits` must be in 1...12.
    public init(subBucketBits: Int = LatencyHistogram.defaultSubBucketBits) {
        precondition((1...12).contains(subBucketBits), "subBucketBits must be in 1...12")
        self.subBucketBits = subBucketBits
        self.counts = Array(repeating: 0, count: Self.bucketCount(subBucketBits: subBucketBits))
    }

    /// The number of buckets needed to cover `0...UInt64.max` at resolution `p`.
    static func bucketCount(subBucketBits p: Int) -> Int {
        (64 - p) * (1 << p) + (1 << p)
    }

    /// The guaranteed bound on the relative error of every reported percentile: `2^-(p+1)`.
    public var relativeErrorBound: Double {
        1.0 / Double(1 << (subBucketBits + 1))
    }

    /// Smallest recorded value in nanoseconds, 0 when empty.
    public var min: UInt64 { count == 0 ? 0 : minimum }

    /// Exact arithmetic mean in nanoseconds, 0 when empty.
    public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }

    /// True when nothing has been recorded.
    public var isEmpty: Bool { count == 0 }

    /// Records one sample of `nanoseconds`. O(1), no allocation.
    public mutating func record(_ nanoseconds: UInt64) {
        record(nanoseconds, count: 1)
    }

    /// Records `n` samples of the same value (used when decoding and merging).
    public mutating func record(_ nanoseconds: UInt64, count n: UInt64) {
        guard n > 0 else { return }
        counts[bucketIndex(of: nanoseconds)] &+= n
        count &+= n
        sum &+= UInt128(nanoseconds) * UInt128(n)
        if nanoseconds < minimum { minimum = nanoseconds }
        if nanoseconds > max { max = nanoseconds }
    }

    /// The bucket index of a value; see the type's documentation for the layout.
    func bucketIndex(of value: UInt64) -> Int {
        let p = subBucketBits
        let msb = 63 - value.leadingZeroBitCount   // -1 ... 63 (value 0 gives 64 leading zeros)
        if msb < p { return Int(value) }
        let shift = msb - p
        return shift * (1 << p) + Int(truncatingIfNeeded: value >> UInt64(shift))
    }

    /// The smallest value held by bucket `index`.
    func lowestValue(ofBucket index: Int) -> UInt64 {
        let p = subBucketBits
        let subBucketCount = 1 << p
        if index < 2 * subBucketCount { return UInt64(index) }
        let shift = index / subBucketCount - 1
        let sub = index - shift * subBucketCount      // in [S, 2S)
        return UInt64(sub) << UInt64(shift)
    }

    /// The width (number of distinct values) of bucket `index`.
    func width(ofBucket index: Int) -> UInt64 {
        let subBucketCount = 1 << subBucketBits
        if index < 2 * subBucketCount { return 1 }
        return 1 << UInt64(index / subBucketCount - 1)
    }

    /// The value reported for samples in bucket `index`: its midpoint (exact for width-1 buckets).
    func representativeValue(ofBucket index: Int) -> UInt64 {
        let lowest = lowestValue(ofBucket: index)
        return lowest + width(ofBucket: index) / 2
    }

    /// Adds every sample of `other` into this histogram. Both must have the same `subBucketBits`.
    public mutating func merge(_ other: LatencyHistogram) {
        precondition(other.subBucketBits == subBucketBits, "merging histograms of different resolutions")
        guard other.count > 0 else { return }
        for index in other.counts.indices where other.counts[index] != 0 {
            counts[index] &+= other.counts[index]
        }
        count &+= other.count
        sum &+= other.sum
        minimum = Swift.min(minimum, other.minimum)
        max = Swift.max(max, other.max)
    }

    /// Removes every sample, keeping the allocated buckets.
    public mutating func reset() {
        for index in counts.indices { counts[index] = 0 }
        count = 0
        sum = 0
        minimum = .max
        max = 0
    }

    /// Non-empty buckets as `(index, count)` pairs in increasing index order.
    public var nonEmptyBuckets: [(index: Int, count: UInt64)] {
        counts.indices.compactMap { counts[$0] == 0 ? nil : ($0, counts[$0]) }
    }
}
