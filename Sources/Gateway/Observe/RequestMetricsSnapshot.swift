import Telemetry

/// Every loop's `RequestMetrics` summed at one scrape, with the names of the configured upstreams
/// (their error series are written even at zero). Renders the per-request families of `/metrics`.
public struct RequestMetricsSnapshot: Sendable {
    let metrics: RequestMetrics
    let upstreamNames: [String]

    /// Requests counted with this status (all routes and methods); for tests and the shutdown log.
    public func requests(status: Int) -> Int {
        metrics.requests.reduce(0) { $0 + ($1.key.status == UInt16(status) ? $1.value : 0) }
    }

    /// Writes `portcullis_requests_total`, the two duration histograms, `portcullis_upstream_errors_total`,
    /// `portcullis_auth_denials_total`, `portcullis_decisions_total` and
    /// `portcullis_tls_client_certificate_headers_omitted_total`.
    public func write(to out: inout PrometheusText) {
        out.family("portcullis_requests_total", "counter",
                   help: "Requests answered, by route (name, index or none), method and the status the client got.")
        let requests = metrics.requests.map { ($0.key.route, $0.key.method.text, String($0.key.status), $0.value) }
        for (r, m, s, v) in requests.sorted(by: { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }) {
            out.sample("portcullis_requests_total", [("route", r), ("method", m), ("status", s)], v)
        }
        out.family("portcullis_request_duration_seconds", "histogram",
                   help: "Time from a request's head to the end of its response, by route.")
        for (route, h) in metrics.requestDurations.sorted(by: { $0.key < $1.key }) {
            out.histogram("portcullis_request_duration_seconds", [("route", route)], h)
        }
        out.family("portcullis_upstream_duration_seconds", "histogram",
                   help: "Time from forwarding a request to the end of the upstream's response, by upstream.")
        for name in Set(upstreamNames).union(metrics.upstreamDurations.keys).sorted() {
            out.histogram("portcullis_upstream_duration_seconds", [("upstream", name)], metrics.upstreamDurations[name] ?? Histogram())
        }
        out.family("portcullis_upstream_errors_total", "counter",
                   help: "Requests that failed at the upstream, by upstream and kind (connect, timeout, reset, malformed, tls).")
        for name in Set(upstreamNames).union(metrics.upstreamErrors.keys.map(\.upstream)).sorted() {
            for kind in UpstreamErrorKind.allCases {
                let n = metrics.upstreamErrors[RequestMetrics.UpstreamErrorKey(upstream: name, kind: kind)] ?? 0
                out.sample("portcullis_upstream_errors_total", [("upstream", name), ("kind", kind.rawValue)], n)
            }
        }
        out.family("portcullis_auth_denials_total", "counter",
                   help: "Requests refused on their credentials, by failure code (the 401 reason) and trusted issuer (or none).")
        for (k, v) in metrics.denials.sorted(by: { ($0.key.reason, $0.key.issuer) < ($1.key.reason, $1.key.issuer) }) {
            out.sample("portcullis_auth_denials_total", [("reason", k.reason), ("issuer", k.issuer)], v)
        }
        out.family("portcullis_decisions_total", "counter",
                   help: "Local answers by failure code (kept for existing dashboards; see portcullis_requests_total).")
        for (code, v) in metrics.codes.sorted(by: { $0.key < $1.key }) {
            out.sample("portcullis_decisions_total", [("code", code)], v)
        }
        out.family("portcullis_tls_client_certificate_headers_omitted_total", "counter",
                   help: "Client certificate headers left out because the value was not a valid field value, by header (once per connection).")
        for (header, v) in metrics.certificateHeadersOmitted.sorted(by: { $0.key < $1.key }) {
            out.sample("portcullis_tls_client_certificate_headers_omitted_total", [("header", header)], v)
        }
    }
}
