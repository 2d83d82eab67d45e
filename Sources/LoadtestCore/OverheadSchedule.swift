/// The order of the runs of `loadtest overhead`: each round runs both targets back to back, and the
/// order alternates (direct first in odd rounds, gateway first in even rounds: A B, B A, A B, ...) so that
/// a slow drift of the machine (thermal, a neighbour's load) does not always favour the same target.
public enum OverheadSchedule {
    /// Which target a run measures.
    public enum Target: String, Sendable, Equatable, CaseIterable {
        /// The upstream directly.
        case direct
        /// The upstream through the gateway.
        case gateway
    }

    /// One scheduled run.
    public struct Run: Sendable, Equatable {
        /// 0-based round.
        public let round: Int
        /// Target of this run.
        public let target: Target
    }

    /// The `2 · rounds` runs in order.
    public static func runs(rounds: Int) -> [Run] {
        (0..<max(rounds, 0)).flatMap { round -> [Run] in
            let order: [Target] = round % 2 == 0 ? [.direct, .gateway] : [.gateway, .direct]
            return order.map { Run(round: round, target: $0) }
        }
    }
}
