import HTTP1
import JOSE
import Policy
import Telemetry
import TextCoding

/// The admin listener (`admin.listen`): `GET /metrics` in the Prometheus text format 0.0.4 (see
/// `AdminService+Metrics`), `GET /healthz`
/// (liveness: 200 while the process serves) and `GET /readyz` (readiness: 200 when listening, every
/// issuer has usable keys and the gateway is not draining; else 503 with the reasons). Never exposes
/// tokens, keys or secrets: only counts, codes and issuer names.
public struct AdminService: LocalService {
    let metrics: Metrics
    let health: GatewayHealth
    /// The server whose loops hold the request counters.
    let server: GatewayServer
    var shared: GatewayShared { health.shared }
    var issuers: [(name: String, fetcher: JWKSFetcher<JWKSet>)] { health.issuerKeys }

    /// `portcullis_introspection_requests_total{issuer,result}`.
    let introspection: IntrospectionCounters?

    /// The TLS listeners' certificates (`portcullis_tls_certificate_expiry_timestamp_seconds`).
    let tlsExpiry: TLSExpirySource?

    public init(metrics: Metrics, health: GatewayHealth, server: GatewayServer, introspection: IntrospectionCounters? = nil,
                tlsExpiry: TLSExpirySource? = nil) {
        self.metrics = metrics
        self.health = health
        self.server = server
        self.introspection = introspection
        self.tlsExpiry = tlsExpiry
    }

    /// `/metrics` asks every event loop for its counters and answers when they all have (never
    /// blocking the admin connection's loop, which may be one of them); the rest answers at once.
    public func handle(_ request: LocalRequest, completion: @escaping @Sendable (LocalResponse) -> Void) -> LocalResponse? {
        guard request.method == "GET" || request.method == "HEAD", request.path == "/metrics" else { return handle(request) }
        server.collectMetrics { [self] requests in
            completion(text(200, metricsText(requests), type: "text/plain; version=0.0.4; charset=utf-8"))
        }
        return nil
    }

    /// Answers everything but a `/metrics` scrape (which `LocalServer` sends to the asynchronous
    /// `handle(_:completion:)`); called directly, `/metrics` leaves the per-loop families out.
    public func handle(_ request: LocalRequest) -> LocalResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .error(405, error: "method_not_allowed", description: "admin endpoints are read-only", code: "admin_method")
        }
        switch request.path {
        case "/metrics": return text(200, metricsText(nil), type: "text/plain; version=0.0.4; charset=utf-8")
        case "/healthz": return json(200, Array(#"{"status":"ok"}"#.utf8))
        case "/readyz": return readiness()
        default: return .error(404, error: "not_found", description: "admin endpoints: /metrics, /healthz, /readyz", code: "admin_not_found")
        }
    }

    /// `{"status": "ready"|"not_ready", "reasons": [...], "issuers": [...]}`; each reason is
    /// `draining`, `not_listening` or `issuer_keys_unavailable: <issuer>`.
    private func readiness() -> LocalResponse {
        let reasons = health.notReadyReasons()
        var body: [UInt8] = Array(#"{"status":"\#(reasons.isEmpty ? "ready" : "not_ready")","reasons":["#.utf8)
        for (i, r) in reasons.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            JSONText.appendString(r.issuer.map { "\(r.reason): \($0)" } ?? r.reason, to: &body)
        }
        body.append(contentsOf: #"],"issuers":["#.utf8)
        for (i, (name, fetcher)) in issuers.enumerated() {
            let h = fetcher.health
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
        body.append(contentsOf: "]}".utf8)
        return json(reasons.isEmpty ? 200 : 503, body)
    }

    private func json(_ status: Int, _ body: [UInt8]) -> LocalResponse {
        var h = HTTPHeaders()
        h.append("Content-Type", "application/json")
        h.append("Cache-Control", "no-store")
        return LocalResponse(status: status, headers: h, body: body)
    }

    func text(_ status: Int, _ body: String, type: String) -> LocalResponse {
        var h = HTTPHeaders()
        h.append("Content-Type", type)
        return LocalResponse(status: status, headers: h, body: Array(body.utf8))
    }
}
