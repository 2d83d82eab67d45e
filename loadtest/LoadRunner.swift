import Dispatch
import Foundation
import IO
import LoadtestCore
#if canImport(Glibc)
import Glibc
#endif

/// Runs one plan on an event-loop group: spreads the connections over the loops, prints the progress
/// line on stderr about once a second, waits for every loop to drain, and merges their results.
struct LoadRunner {
    let group: EventLoopGroup
    /// Label for the progress line (e.g. `direct` or `gateway` in overhead mode).
    let label: String

    func run(_ plan: RunPlan) -> RunResult {
        let loops = Array(group.loops.prefix(min(group.loops.count, plan.load.connections)))
        let start = UInt64(loops[0].clock.now().nanoseconds)
        let phases = RunPhases(start: start, warmup: plan.load.warmupNanoseconds, duration: plan.load.durationNanoseconds)
        let schedule: OpenLoopSchedule?
        if case .openLoop(let rate) = plan.load.mode { schedule = OpenLoopSchedule(start: start, requestsPerSecond: rate) } else { schedule = nil }
        let done = DispatchGroup()
        var workers: [LoopWorker] = []
        for (index, loop) in loops.enumerated() {
            // Connection i goes to loop i % loops.count.
            let count = plan.load.connections / loops.count + (index < plan.load.connections % loops.count ? 1 : 0)
            let share = schedule.map { OpenLoopShare(schedule: $0, loopIndex: index, loopCount: loops.count) }
            done.enter()
            let worker = LoopWorker(loop: loop, plan: plan, phases: phases, share: share, connections: count,
                                    onFinished: { done.leave() })
            workers.append(worker)
            loop.execute { worker.start() }
        }
        var previous = ProgressLine.Snapshot(time: start, responses: 0, non2xx: 0, errors: 0)
        let tty = isatty(2) == 1
        while done.wait(timeout: .now() + .seconds(1)) == .timedOut {
            var current = ProgressLine.Snapshot(time: 0, responses: 0, non2xx: 0, errors: 0)
            for worker in workers {
                let s = worker.loop.queue.sync { worker.snapshot() }
                current.time = max(current.time, s.time)
                current.responses &+= s.responses
                current.non2xx &+= s.non2xx
                current.errors &+= s.errors
            }
            let line = label + ProgressLine.render(previous: previous, current: current, phases: phases)
            StandardError.write(tty ? "\r" + line : line + "\n")
            previous = current
        }
        if tty { StandardError.write("\n") }
        var merged = RunResult(measuredNanoseconds: phases.duration)
        for worker in workers { merged.merge(worker.loop.queue.sync { worker.result }) }
        return merged
    }
}

/// Unbuffered writes to stderr.
enum StandardError {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { p in _ = Glibc.write(2, p.baseAddress, p.count) }
    }
}

/// CPUs this process may run on (its affinity mask, so `taskset -c 1 loadtest` uses one loop), read
/// from the `Cpus_allowed` hex mask of /proc/self/status (Glibc does not export `sched_getaffinity`).
enum CPUSet {
    static var allowedCount: Int {
        let fallback = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return fallback }
        let count = line.dropFirst("Cpus_allowed:".count).reduce(0) { $0 + (($1.hexDigitValue ?? 0).nonzeroBitCount) }
        return count > 0 ? count : fallback
    }
}
