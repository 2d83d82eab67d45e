import Synchronization

/// Process-wide counters keyed by name and one label (the failure code, the route, the status), exported
/// in the Prometheus text format. The label is the same code that names the 401 reason and the log field.
public final class Metrics: Sendable {
    private let counters = Mutex<[Key: Int]>([:])

    struct Key: Hashable { let name: String; let label: String; let value: String }

    public init() {}

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
        var lines: [String] = []
        var typed = Set<String>()
        for (key, v) in snapshot.sorted(by: { ($0.key.name, $0.key.label, $0.key.value) < ($1.key.name, $1.key.label, $1.key.value) }) {
            if typed.insert(key.name).inserted { lines.append("# TYPE \(key.name) counter") }
            if key.label.isEmpty { lines.append("\(key.name) \(v)") }
            else { lines.append("\(key.name){\(key.label)=\"\(String(key.value.map { $0 == "\"" || $0 == "\\" || $0 == "\n" ? "_" : $0 }))\"} \(v)") }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}
