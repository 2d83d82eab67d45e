import Locks

/// Process-wide counters for rare events (a reload, a configuration error), keyed by name and one
/// label, rendered with `# HELP` and `# TYPE`. Every call takes a lock: per-request counts live in
/// per-loop counters instead (see the gateway's `LoopMetrics`), which take none.
public final class Metrics: Sendable {
    private let counters = Locked<[Key: Int]>([:])
    private let helps = Locked<[String: String]>([:])

    struct Key: Hashable { let name: String; let label: String; let value: String }

    public init() {}

    /// Sets the `# HELP` text of counter `name` (otherwise a generic one is written).
    public func describe(_ name: String, help: String) {
        helps.withLock { $0[name] = help }
    }

    /// Adds `by` to counter `name{label="value"}`.
    public func increment(_ name: String, label: String = "", value: String = "", by n: Int = 1) {
        counters.withLock { $0[Key(name: name, label: label, value: value), default: 0] += n }
    }

    public func value(_ name: String, label: String = "", value: String = "") -> Int {
        counters.withLock { $0[Key(name: name, label: label, value: value)] ?? 0 }
    }

    /// Prometheus exposition text, sorted for stable output.
    public func prometheusText() -> String {
        let snapshot = counters.withLock { $0 }
        let helps = helps.withLock { $0 }
        var out = PrometheusText()
        var described = Set<String>()
        for (key, v) in snapshot.sorted(by: { ($0.key.name, $0.key.label, $0.key.value) < ($1.key.name, $1.key.label, $1.key.value) }) {
            if described.insert(key.name).inserted {
                out.family(key.name, "counter", help: helps[key.name] ?? "Portcullis event counter \(key.name).")
            }
            out.sample(key.name, key.label.isEmpty ? [] : [(key.label, key.value)], v)
        }
        return out.text
    }
}
