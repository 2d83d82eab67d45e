/// The part of an open-loop schedule one event loop sends: of `loopCount` loops, loop `loopIndex`
/// takes the global requests `loopIndex, loopIndex + loopCount, loopIndex + 2·loopCount, ...`.
///
/// The shares of all loops partition the schedule exactly, so the aggregate rate is the schedule's
/// rate with no rounding per loop, and latency still counts from each request's global intended time.
public struct OpenLoopShare: Sendable, Equatable {
    /// The whole run's schedule.
    public let schedule: OpenLoopSchedule
    /// This loop's position, `0..<loopCount`.
    public let loopIndex: UInt64
    /// Number of loops sharing the schedule (≥ 1).
    public let loopCount: UInt64

    /// A share. Preconditions: `loopCount > 0`, `loopIndex < loopCount`.
    public init(schedule: OpenLoopSchedule, loopIndex: Int, loopCount: Int) {
        precondition(loopCount > 0 && (0..<loopCount).contains(loopIndex), "bad loop share")
        self.schedule = schedule
        self.loopIndex = UInt64(loopIndex)
        self.loopCount = UInt64(loopCount)
    }

    /// The global sequence number of this loop's `local`th request.
    public func globalIndex(ofLocal local: UInt64) -> UInt64 {
        local &* loopCount &+ loopIndex
    }

    /// Intended send time of this loop's `local`th request, nanoseconds.
    public func intendedSendTime(ofLocal local: UInt64) -> UInt64 {
        schedule.intendedSendTime(of: globalIndex(ofLocal: local))
    }

    /// How many of this loop's requests are due by `now` (intended time ≤ `now`).
    public func requestsDue(at now: UInt64) -> UInt64 {
        let global = schedule.requestsDue(at: now)   // global requests 0..<global are due
        return global > loopIndex ? (global - loopIndex + loopCount - 1) / loopCount : 0
    }
}
