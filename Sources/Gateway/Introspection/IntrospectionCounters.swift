import Locks
import Telemetry

/// `portcullis_introspection_requests_total{issuer,result}`: one count per introspection call made
/// (cache hits and shared calls are not calls). `result`: `active`, `inactive` (also an active answer
/// this gateway refuses: wrong `aud`/`iss`, expired), `timeout`, `http_status`, `error`,
/// `overloaded` (too many distinct tokens in flight; no call made).
public final class IntrospectionCounters: Sendable {
    private let counts = Locked<[String: Int]>([:])

    public init() {}

    /// Adds one to `{issuer, result}`.
    func increment(issuer: String, result: String) {
        counts.withLock { $0[Self.labels(issuer: issuer, result: result), default: 0] += 1 }
    }

    /// The count of `{issuer, result}` (tests).
    public func value(issuer: String, result: String) -> Int {
        counts.withLock { $0[Self.labels(issuer: issuer, result: result)] ?? 0 }
    }

    /// Prometheus text of the family (empty when nothing was counted).
    public func prometheusText() -> String {
        let snapshot = counts.withLock { $0 }.sorted { $0.key < $1.key }
        guard !snapshot.isEmpty else { return "" }
        var out = "# HELP portcullis_introspection_requests_total Token introspection calls by issuer and result.\n"
        out += "# TYPE portcullis_introspection_requests_total counter\n"
        for (labels, value) in snapshot { out += "portcullis_introspection_requests_total{\(labels)} \(value)\n" }
        return out
    }

    private static func labels(issuer: String, result: String) -> String {
        "issuer=\"\(PrometheusText.escape(issuer))\",result=\"\(PrometheusText.escape(result))\""
    }
}
