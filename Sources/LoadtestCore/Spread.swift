/// The median and range of one quantity across rounds.
public struct Spread: Sendable, Equatable, Codable {
    /// Median (mean of the two middle values for an even count).
    public var median: Double
    /// Smallest value.
    public var min: Double
    /// Largest value.
    public var max: Double

    /// Memberwise initializer.
    public init(median: Double, min: Double, max: Double) {
        self.median = median
        self.min = min
        self.max = max
    }

    /// The spread of `values`; all zeros when empty.
    public init(of values: [Double]) {
        let sorted = values.sorted()
        guard let first = sorted.first, let last = sorted.last else {
            self.init(median: 0, min: 0, max: 0)
            return
        }
        let middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        self.init(median: median, min: first, max: last)
    }
}
