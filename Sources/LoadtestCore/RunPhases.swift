/// The warm-up and measurement windows of a run, in nanoseconds of a monotonic clock.
///
/// A response is recorded only if its request was (intended to be) sent inside the measurement window
/// `[start + warmup, start + warmup + duration)`; responses to warm-up requests are discarded even when
/// they complete later, and requests are not started after the window closes.
public struct RunPhases: Sendable, Equatable {
    /// Where the run is at a given time.
    public enum Phase: Sendable, Equatable {
        /// Requests are sent, results discarded.
        case warmup
        /// Requests are sent and recorded.
        case measuring
        /// No new requests; in-flight ones drain.
        case finished
    }

    /// Monotonic start time, nanoseconds.
    public let start: UInt64
    /// Warm-up length, nanoseconds (may be 0).
    public let warmup: UInt64
    /// Measurement length, nanoseconds (> 0).
    public let duration: UInt64

    /// Memberwise initializer.
    public init(start: UInt64, warmup: UInt64, duration: UInt64) {
        self.start = start
        self.warmup = warmup
        self.duration = duration
    }

    /// Start of the measurement window.
    public var measurementStart: UInt64 { start &+ warmup }
    /// End (exclusive) of the measurement window and of the run.
    public var end: UInt64 { start &+ warmup &+ duration }

    /// The phase at monotonic time `now`.
    public func phase(at now: UInt64) -> Phase {
        if now < measurementStart { return .warmup }
        return now < end ? .measuring : .finished
    }

    /// Whether a request sent (or intended) at `sendTime` counts in the results.
    public func isMeasured(sendTime: UInt64) -> Bool {
        sendTime >= measurementStart && sendTime < end
    }
}
