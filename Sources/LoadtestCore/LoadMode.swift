/// How requests are paced.
public enum LoadMode: Sendable, Equatable {
    /// Each connection sends its next request as soon as the previous response is complete
    /// (as fast as possible). Latency counts from the actual send time.
    case closedLoop
    /// Requests are due at a fixed aggregate rate whatever the responses do; latency counts from each
    /// request's intended send time (see `OpenLoopSchedule`).
    case openLoop(requestsPerSecond: UInt64)
}
