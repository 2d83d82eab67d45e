/// Cumulative-bucket latency histogram counts (Prometheus `histogram`), as a plain value: one per
/// route or upstream per event loop, merged at scrape time. Observing is a bucket search over
/// `bounds` (14 doubles) and three additions; no allocation.
public struct Histogram: Sendable, Equatable {
    /// Upper bounds in seconds, 0.5 ms to 10 s (the `le` labels; `+Inf` is implicit).
    public static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Observations per bucket (not cumulative; the last one is `+Inf`), `bounds.count + 1` entries.
    public private(set) var buckets: [Int]
    /// Sum of all observations, in seconds.
    public private(set) var sum: Double = 0
    /// Number of observations.
    public private(set) var count = 0

    /// An empty histogram.
    public init() { buckets = Array(repeating: 0, count: Histogram.bounds.count + 1) }

    /// Records one observation of `seconds`.
    public mutating func observe(seconds: Double) {
        var i = 0
        let bounds = Histogram.bounds
        while i < bounds.count && seconds > bounds[i] { i += 1 }
        buckets[i] += 1
        sum += seconds
        count += 1
    }

    /// Records one observation of `nanoseconds`.
    public mutating func observe(nanoseconds: Int64) { observe(seconds: Double(max(0, nanoseconds)) / 1e9) }

    /// Adds `other`'s observations to these.
    public mutating func merge(_ other: Histogram) {
        for i in buckets.indices { buckets[i] += other.buckets[i] }
        sum += other.sum
        count += other.count
    }
}
