#if canImport(Glibc)
import Glibc
#endif

/// A point on a monotonic timeline, in nanoseconds.
public struct Instant: Sendable, Comparable, Hashable {
    public var nanoseconds: Int64
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public static func < (a: Instant, b: Instant) -> Bool { a.nanoseconds < b.nanoseconds }
    public func adding(milliseconds ms: Int) -> Instant { Instant(nanoseconds: nanoseconds + Int64(ms) * 1_000_000) }
    public var seconds: Double { Double(nanoseconds) / 1e9 }
}

/// The time seam: event loops, timeouts and caches read time only through a `Clock`, so tests can
/// inject one.
public protocol Clock: Sendable {
    /// Monotonic time (for timeouts and intervals).
    func now() -> Instant
    /// Wall-clock seconds since the Unix epoch (for token `exp`/`nbf`/`iat`).
    func unixSeconds() -> Int64
}

/// The real clock: CLOCK_MONOTONIC and CLOCK_REALTIME.
public struct MonotonicClock: Clock {
    public init() {}
    public func now() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Instant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }
    public func unixSeconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec)
    }
}
