/// The intended send times of an open-loop run at a fixed rate, in nanoseconds of a monotonic clock.
///
/// Request `i` (0-based, counted across all connections) is intended at
/// `start + floor(i · 10⁹ / rate)`, computed exactly in 128-bit integers so the schedule never drifts.
///
/// **No coordinated omission:** a request's latency is measured from its intended send time, not from
/// when a connection became free to send it. When the server stalls, requests that should have been
/// sent during the stall are still due, and their latency includes the time they waited, as a user's
/// request would. (A closed-loop generator instead waits politely and under-reports the tail.)
public struct OpenLoopSchedule: Sendable, Equatable {
    /// Monotonic time of request 0, nanoseconds.
    public let start: UInt64
    /// Aggregate requests per second, at least 1.
    public let requestsPerSecond: UInt64

    /// A schedule starting at `start`. Precondition: `requestsPerSecond > 0`.
    public init(start: UInt64, requestsPerSecond: UInt64) {
        precondition(requestsPerSecond > 0, "rate must be positive")
        self.start = start
        self.requestsPerSecond = requestsPerSecond
    }

    /// When request `i` should be sent.
    public func intendedSendTime(of i: UInt64) -> UInt64 {
        let offset = UInt128(i) * 1_000_000_000 / UInt128(requestsPerSecond)
        return start &+ UInt64(clamping: offset)
    }

    /// How many requests are due by `now` (those with intended time `≤ now`), i.e. the first sequence
    /// number not yet due.
    public func requestsDue(at now: UInt64) -> UInt64 {
        guard now >= start else { return 0 }
        let elapsed = UInt128(now - start)
        return UInt64(clamping: elapsed * UInt128(requestsPerSecond) / 1_000_000_000 + 1)
    }

    /// The latency of request `i` completed at `now`: from its intended send time, 0 if `now` is earlier.
    public func latency(ofRequest i: UInt64, completedAt now: UInt64) -> UInt64 {
        let intended = intendedSendTime(of: i)
        return now > intended ? now - intended : 0
    }

    /// Nanoseconds from `now` until request `i` is due (0 when already due): the timer to arm when idle.
    public func delay(untilRequest i: UInt64, now: UInt64) -> UInt64 {
        let intended = intendedSendTime(of: i)
        return intended > now ? intended - now : 0
    }
}
