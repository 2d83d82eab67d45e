import IO
import Synchronization

/// A clock for end-to-end auth tests: monotonic time is real (event-loop timers and timeouts keep
/// working), wall-clock time is real time plus an offset the test moves, so token `exp`/`nbf`/`iat`
/// checks and verified-token-cache expiry can be driven without sleeping.
final class AuthTestClock: IO.Clock, Sendable {
    private let offsetSeconds = Atomic<Int64>(0)
    private let real = MonotonicClock()

    func now() -> Instant { real.now() }

    func unixSeconds() -> Int64 { real.unixSeconds() + offsetSeconds.load(ordering: .relaxed) }

    /// Moves wall-clock time by `seconds` (negative moves it back).
    func advance(seconds: Int64) { offsetSeconds.add(seconds, ordering: .relaxed) }
}
