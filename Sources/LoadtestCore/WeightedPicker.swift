/// A deterministic weighted choice: the `n`th pick is a pure function of `n`.
///
/// The weights (reduced by their greatest common divisor) are laid out once in a cycle built by
/// smooth weighted round-robin (the nginx upstream algorithm), so that over every cycle each choice
/// appears exactly `weight` times and the choices are interleaved evenly rather than in runs.
/// Picking is one modulo and one array read: any number of event loops can share one picker and
/// a request counter without coordination beyond the counter.
public struct WeightedPicker: Sendable, Equatable {
    /// The choice index at each position of the cycle.
    public let cycle: [Int]

    /// The largest cycle (sum of reduced weights) accepted: bounds the table's memory.
    public static let maximumCycleLength = 1_000_000

    /// Builds the cycle. Preconditions: at least one weight, every weight positive, and the reduced sum
    /// at most `maximumCycleLength` (callers validate user input first and report a named error).
    public init(weights: [Int]) {
        precondition(!weights.isEmpty && weights.allSatisfy { $0 > 0 }, "weights must be positive")
        let divisor = weights.reduce(0) { Self.gcd($0, $1) }
        let reduced = weights.map { $0 / divisor }
        let total = reduced.reduce(0, +)
        precondition(total <= Self.maximumCycleLength, "total weight too large")
        var current = Array(repeating: 0, count: reduced.count)
        var cycle: [Int] = []
        cycle.reserveCapacity(total)
        for _ in 0..<total {
            var best = 0
            for index in reduced.indices {
                current[index] += reduced[index]
                if current[index] > current[best] { best = index }
            }
            current[best] -= total
            cycle.append(best)
        }
        self.cycle = cycle
    }

    /// The choice for the `n`th pick (0-based).
    public func pick(_ n: UInt64) -> Int {
        cycle[Int(n % UInt64(cycle.count))]
    }

    /// How many of the first `n` picks chose `choice`. O(cycle length) for the partial cycle.
    public func occurrences(of choice: Int, inFirst n: UInt64) -> UInt64 {
        let length = UInt64(cycle.count)
        let perCycle = UInt64(cycle.lazy.filter { $0 == choice }.count)
        let partial = UInt64(cycle[0..<Int(n % length)].lazy.filter { $0 == choice }.count)
        return (n / length) * perCycle + partial
    }

    /// Greatest common divisor (gcd(0, b) = b).
    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
