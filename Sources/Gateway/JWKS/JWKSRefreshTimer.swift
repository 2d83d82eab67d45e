import Dispatch

/// The fetcher's single re-armable timer, firing on the fetcher's queue.
///
/// `@unchecked Sendable`: the wrapped `DispatchSourceTimer` is not marked `Sendable`, but
/// libdispatch's source calls (`schedule`, `cancel`, `setEventHandler`) are thread-safe; the
/// handler is set once, by the owner's `init`, before the timer is first armed.
final class JWKSRefreshTimer: @unchecked Sendable {
    private let source: DispatchSourceTimer

    init(queue: DispatchQueue) {
        source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .distantFuture)
        source.activate()
    }

    /// Sets what runs (on the queue) when the timer fires.
    func setHandler(_ handler: @escaping @Sendable () -> Void) {
        source.setEventHandler(handler: handler)
    }

    /// Fires once after `delay` seconds, replacing any earlier arming.
    func arm(after delay: Double) {
        source.schedule(deadline: .now() + delay, leeway: .milliseconds(5))
    }

    /// Stops the timer for good.
    func cancel() {
        source.cancel()
    }

    deinit {
        source.cancel()
    }
}
