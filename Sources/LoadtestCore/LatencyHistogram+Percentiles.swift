extension LatencyHistogram {
    /// The value at `percentile` (0...100) in nanoseconds, 0 when empty.
    ///
    /// Definition (nearest rank): the smallest recorded value `v` such that at least
    /// `ceil(percentile/100 · count)` samples (at least one) are `≤ v`, reported as its bucket's
    /// midpoint clamped to `[min, max]`. `percentile(0)` is `min`, `percentile(100)` is `max`.
    public func value(atPercentile percentile: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        if percentile <= 0 { return min }
        if percentile >= 100 { return max }
        let rank = Self.rank(ofPercentile: percentile, count: count)
        var seen: UInt64 = 0
        for index in counts.indices {
            seen &+= counts[index]
            if seen >= rank {
                return Swift.min(Swift.max(representativeValue(ofBucket: index), min), max)
            }
        }
        return max
    }

    /// The nearest-rank position (1-based) of `percentile` among `count` sorted samples:
    /// `ceil(percentile/100 · count)`, at least 1. The percentile is taken to 4 decimal places and the
    /// rest is integer arithmetic, so that p99.9 of 1000 samples is exactly rank 999.
    public static func rank(ofPercentile percentile: Double, count: UInt64) -> UInt64 {
        let clamped = Swift.min(Swift.max(percentile, 0), 100)
        let partsPerMillion = UInt128(UInt64(clamped * 10_000 + 0.5))
        let rank = (partsPerMillion * UInt128(count) + 999_999) / 1_000_000
        return Swift.min(Swift.max(UInt64(rank), 1), count)
    }

    /// The standard summary: count, min, mean, p50, p90, p99, p99.9, max.
    public var summary: LatencySummary {
        LatencySummary(
            count: count, minNanoseconds: min, meanNanoseconds: mean,
            p50Nanoseconds: value(atPercentile: 50), p90Nanoseconds: value(atPercentile: 90),
            p99Nanoseconds: value(atPercentile: 99), p999Nanoseconds: value(atPercentile: 99.9),
            maxNanoseconds: max)
    }
}

/// The percentiles every report shows, in nanoseconds. Values other than `count`, `min`, `max` and
/// `mean` carry the histogram's relative error bound.
public struct LatencySummary: Sendable, Equatable, Codable {
    /// Number of samples.
    public var count: UInt64
    /// Exact minimum.
    public var minNanoseconds: UInt64
    /// Exact mean.
    public var meanNanoseconds: Double
    /// Median.
    public var p50Nanoseconds: UInt64
    /// 90th percentile.
    public var p90Nanoseconds: UInt64
    /// 99th percentile.
    public var p99Nanoseconds: UInt64
    /// 99.9th percentile.
    public var p999Nanoseconds: UInt64
    /// Exact maximum.
    public var maxNanoseconds: UInt64

    /// Memberwise initializer.
    public init(count: UInt64, minNanoseconds: UInt64, meanNanoseconds: Double, p50Nanoseconds: UInt64,
                p90Nanoseconds: UInt64, p99Nanoseconds: UInt64, p999Nanoseconds: UInt64, maxNanoseconds: UInt64) {
        self.count = count
        self.minNanoseconds = minNanoseconds
        self.meanNanoseconds = meanNanoseconds
        self.p50Nanoseconds = p50Nanoseconds
        self.p90Nanoseconds = p90Nanoseconds
        self.p99Nanoseconds = p99Nanoseconds
        self.p999Nanoseconds = p999Nanoseconds
        self.maxNanoseconds = maxNanoseconds
    }
}
