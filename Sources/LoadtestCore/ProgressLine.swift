/// The live progress line printed about once a second during a run (to stderr, rewritten with `\r`).
///
/// The engine keeps the previous snapshot and renders the difference; nothing here reads a clock.
public struct ProgressLine: Sendable, Equatable {
    /// Counters at one moment.
    public struct Snapshot: Sendable, Equatable {
        /// Monotonic time, nanoseconds.
        public var time: UInt64
        /// Responses so far (warm-up included).
        public var responses: UInt64
        /// Non-2xx responses so far.
        public var non2xx: UInt64
        /// Transport errors so far.
        public var errors: UInt64

        /// Memberwise initializer.
        public init(time: UInt64, responses: UInt64, non2xx: UInt64, errors: UInt64) {
            self.time = time
            self.responses = responses
            self.non2xx = non2xx
            self.errors = errors
        }
    }

    /// `  3.0 s measuring  21034 req/s  non-2xx 12  errors 0`: elapsed time since `phases.start`, the
    /// phase, the rate between the two snapshots, and running totals.
    public static func render(previous: Snapshot, current: Snapshot, phases: RunPhases) -> String {
        let interval = current.time > previous.time ? current.time - previous.time : 0
        let delta = current.responses >= previous.responses ? current.responses - previous.responses : 0
        let rate = interval == 0 ? 0 : Double(delta) * 1e9 / Double(interval)
        let elapsed = current.time > phases.start ? current.time - phases.start : 0
        let phase: String
        switch phases.phase(at: current.time) {
        case .warmup: phase = "warm-up  "
        case .measuring: phase = "measuring"
        case .finished: phase = "draining "
        }
        return TextFormat.right(TextFormat.fixed(Double(elapsed) / 1e9, decimals: 1), 6) + " s " + phase
            + TextFormat.right(TextFormat.fixed(rate, decimals: 0), 10) + " req/s"
            + "  non-2xx \(current.non2xx)  errors \(current.errors)"
    }
}
