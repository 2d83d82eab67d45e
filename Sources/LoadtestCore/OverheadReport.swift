import FoundationEssentials

/// What Portcullis adds to a request: the same load run directly against the upstream and through the
/// gateway, interleaved over rounds (direct, gateway, direct, gateway, ...) so that drift in the machine
/// affects both alike.
///
/// Per round: Δp50 and Δp99 (gateway minus direct, nanoseconds, may be negative) and the throughput
/// ratio (gateway / direct). Across rounds: the median and the min/max of each.
public struct OverheadReport: Sendable, Equatable, Codable {
    /// One interleaved pair of runs.
    public struct Round: Sendable, Equatable, Codable {
        /// The run straight to the upstream.
        public var direct: RunSummary
        /// The run through the gateway.
        public var gateway: RunSummary
        /// Gateway p50 minus direct p50, nanoseconds.
        public var deltaP50Nanoseconds: Int64
        /// Gateway p99 minus direct p99, nanoseconds.
        public var deltaP99Nanoseconds: Int64
        /// Gateway throughput over direct throughput (0 when direct measured nothing).
        public var throughputRatio: Double

        /// Computes the deltas of one round.
        public init(direct: RunResult, gateway: RunResult) {
            self.direct = direct.summary
            self.gateway = gateway.summary
            deltaP50Nanoseconds = Self.delta(gateway.latency.value(atPercentile: 50), direct.latency.value(atPercentile: 50))
            deltaP99Nanoseconds = Self.delta(gateway.latency.value(atPercentile: 99), direct.latency.value(atPercentile: 99))
            throughputRatio = direct.throughput > 0 ? gateway.throughput / direct.throughput : 0
        }

        static func delta(_ a: UInt64, _ b: UInt64) -> Int64 {
            a >= b ? Int64(clamping: a - b) : -Int64(clamping: b - a)
        }
    }

    /// Always `"loadtest.overhead"`.
    public var kind = "loadtest.overhead"
    /// What was compared, for the table and chart titles.
    public var title: String
    /// Rounds in the order they ran.
    public var rounds: [Round]
    /// Δp50 across rounds, nanoseconds.
    public var deltaP50: Spread
    /// Δp99 across rounds, nanoseconds.
    public var deltaP99: Spread
    /// Throughput ratio across rounds.
    public var throughputRatio: Spread
    /// All direct rounds merged.
    public var directOverall: RunSummary
    /// All gateway rounds merged.
    public var gatewayOverall: RunSummary

    /// Builds the report from `(direct, gateway)` results, one pair per round, in run order.
    public init(title: String, rounds pairs: [(direct: RunResult, gateway: RunResult)]) {
        self.title = title
        rounds = pairs.map { Round(direct: $0.direct, gateway: $0.gateway) }
        deltaP50 = Spread(of: rounds.map { Double($0.deltaP50Nanoseconds) })
        deltaP99 = Spread(of: rounds.map { Double($0.deltaP99Nanoseconds) })
        throughputRatio = Spread(of: rounds.map(\.throughputRatio))
        var direct = RunResult(), gateway = RunResult()
        for pair in pairs {
            direct.merge(pair.direct)
            gateway.merge(pair.gateway)
        }
        // The merged window is the total measured time, so merged throughput is the overall rate.
        direct.measuredNanoseconds = pairs.reduce(0) { $0 &+ $1.direct.measuredNanoseconds }
        gateway.measuredNanoseconds = pairs.reduce(0) { $0 &+ $1.gateway.measuredNanoseconds }
        directOverall = direct.summary
        gatewayOverall = gateway.summary
    }

    /// The stdout table: per-round rows, then median [min, max] of each quantity.
    public var text: String {
        var text = title + "\n"
        text += TextFormat.left("round", 8) + ["direct req/s", "gateway req/s", "ratio", "Δp50 µs", "Δp99 µs"]
            .map { TextFormat.right($0, 15) }.joined() + "\n"
        for (index, round) in rounds.enumerated() {
            let cells = [TextFormat.fixed(round.direct.throughput, decimals: 1),
                         TextFormat.fixed(round.gateway.throughput, decimals: 1),
                         TextFormat.fixed(round.throughputRatio, decimals: 3),
                         TextFormat.micros(signed: round.deltaP50Nanoseconds),
                         TextFormat.micros(signed: round.deltaP99Nanoseconds)]
            text += TextFormat.left("\(index + 1)", 8) + cells.map { TextFormat.right($0, 15) }.joined() + "\n"
        }
        text += "Δp50 \(Self.micros(deltaP50))  Δp99 \(Self.micros(deltaP99))  "
        text += "throughput ratio \(TextFormat.fixed(throughputRatio.median, decimals: 3)) "
        text += "[\(TextFormat.fixed(throughputRatio.min, decimals: 3)), \(TextFormat.fixed(throughputRatio.max, decimals: 3))]"
        text += "  (median [min, max] over \(rounds.count) rounds)\n"
        text += TextFormat.latencyTable([("direct", directOverall.latency), ("gateway", gatewayOverall.latency)])
        return text
    }

    /// `+12.3 µs [+10.1, +15.0]`.
    private static func micros(_ spread: Spread) -> String {
        func m(_ value: Double) -> String { TextFormat.micros(signed: Int64(value.rounded(.toNearestOrAwayFromZero))) }
        return "\(m(spread.median)) µs [\(m(spread.min)), \(m(spread.max))]"
    }

    /// Pretty-printed JSON with sorted keys.
    public func json() throws -> [UInt8] {
        try ReportJSON.encode(self)
    }

    /// The chart of all direct rounds merged versus all gateway rounds merged.
    public func chart() -> LatencyChart {
        LatencyChart(title: title, series: [
            .init(name: "direct", histogram: directOverall.histogram),
            .init(name: "gateway (Portcullis)", histogram: gatewayOverall.histogram),
        ])
    }
}
