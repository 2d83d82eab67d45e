import HTTP1
import JOSE
import Policy
import Telemetry
import TextCoding

/// The admin listener (`admin.listen`): `GET /metrics` in the Prometheus text format and `GET /healthz`
/// with each issuer's key health (200 when every issuer has usable keys, else 503). Never exposes
/// tokens, keys or secrets: only counts, codes and issuer names.
public struct AdminService: LocalService {
    let metrics: Metrics
    let shared: GatewayShared
    let issuers: [(name: String, fetcher: JWKSFetcher<JWKSet>)]

    public init(metrics: Metrics, shared: GatewayShared, issuers: [(name: String, fetcher: JWKSFetcher<JWKSet>)]) {
        self.metrics = metrics
        self.shared = shared
        self.issuers = issuers
    }

    public func handle(_ request: LocalRequest) -> LocalResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .error(405, error: "method_not_allowed", description: "admin endpoints are read-only", code: "admin_method")
        }
        switch request.path {
        case "/metrics": return text(200, metricsText(), type: "text/plain; version=0.0.4")
        case "/healthz": return health()
        default: return .error(404, error: "not_found", description: "admin endpoints: /metrics, /healthz", code: "admin_not_found")
        }
    }

    func metricsText() -> String {
        var out = metrics.prometheusText()
        out += "# TYPE portcullis_connections gauge\nportcullis_connections \(shared.connectionCount)\n"
        out += "# TYPE portcullis_requests_forwarded_total counter\nportcullis_requests_forwarded_total \(shared.forwardedCount)\n"
        out += "# TYPE portcullis_requests_answered_locally_total counter\nportcullis_requests_answered_locally_total \(shared.answeredLocally.load(ordering: .relaxed))\n"
        out += "# TYPE portcullis_issuer_keys gauge\n"
        for (name, fetcher) in issuers {
            out += "portcullis_issuer_keys{issuer=\"\(Self.label(name))\"} \(fetcher.health.keyCount)\n"
        }
        out += "# TYPE portcullis_issuer_keys_unavailable gauge\n"
        for (name, fetcher) in issuers {
            out += "portcullis_issuer_keys_unavailable{issuer=\"\(Self.label(name))\"} \(fetcher.health.isUnavailable ? 1 : 0)\n"
        }
        return out
    }

    private func health() -> LocalResponse {
        var body: [UInt8] = Array(#"{"issuers":["#.utf8)
        var healthy = true
        for (i, (name, fetcher)) in issuers.enumerated() {
            let h = fetcher.health
            healthy = healthy && !h.isUnavailable
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: #"{"issuer":"#.utf8)
            JSONText.appendString(name, to: &body)
            body.append(contentsOf: #","keys":\#(h.keyCount),"stale":\#(h.isStale),"unavailable":\#(h.isUnavailable),"consecutive_failures":\#(h.consecutiveFailures)"#.utf8)
            if let failure = h.lastFailure {
                body.append(contentsOf: #","last_failure":"#.utf8)
                JSONText.appendString(failure.code, to: &body)
            }
            body.append(UInt8(ascii: "}"))
        }
        body.append(contentsOf: #"],"status":"\#(healthy ? "ok" : "degraded")"}"#.utf8)
        var h = HTTPHeaders()
        h.append("Content-Type", "application/json")
        h.append("Cache-Control", "no-store")
        return LocalResponse(status: healthy ? 200 : 503, headers: h, body: body)
    }

    private func text(_ status: Int, _ body: String, type: String) -> LocalResponse {
        var h = HTTPHeaders()
        h.append("Content-Type", type)
        return LocalResponse(status: status, headers: h, body: Array(body.utf8))
    }

    private static func label(_ s: String) -> String {
        String(s.map { $0 == "\"" || $0 == "\\" || $0 == "\n" ? "_" : $0 })
    }
}
