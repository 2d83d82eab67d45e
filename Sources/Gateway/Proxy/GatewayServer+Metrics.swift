import Dispatch
import IO
import Locks

/// Reading the per-loop counters: each loop copies its own `RequestMetrics` on its own queue (so
/// counting never needs a lock), and the copies are merged once all loops have answered.
extension GatewayServer {
    /// Calls `completion` (on an unspecified queue) with every loop's request counters summed.
    /// Never blocks the calling loop: it may be one of the loops asked.
    public func collectMetrics(_ completion: @escaping @Sendable (RequestMetricsSnapshot) -> Void) {
        let total = Locked<RequestMetrics?>(nil)
        let group = DispatchGroup()
        for loop in self.group.loops {
            guard let context = contexts[loop.index] else { continue }
            group.enter()
            loop.execute {
                let copy = context.metrics
                total.withLock { t in
                    if t == nil { t = copy } else { t!.merge(copy) }
                }
                group.leave()
            }
        }
        group.notify(queue: .global()) { [shared] in
            let merged = total.withLock { $0 } ?? RequestMetrics()
            completion(RequestMetricsSnapshot(metrics: merged, upstreamNames: shared.current.upstreams.map(\.name)))
        }
    }

    /// Hands every loop's buffered access-log lines to the sink, waits until they are written, then
    /// calls `completion` (shutdown, tests).
    public func flushAccessLogs(_ completion: @escaping @Sendable () -> Void) {
        let group = DispatchGroup()
        for loop in self.group.loops {
            guard let context = contexts[loop.index] else { continue }
            group.enter()
            loop.execute { context.accessLog?.flush(); group.leave() }
        }
        group.notify(queue: .global()) { [shared] in shared.current.accessLog?.flush(); completion() }
    }
}
