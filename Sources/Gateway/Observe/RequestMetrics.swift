import Telemetry

/// Per-request counters and histograms of one event loop, confined to it: recording takes no lock
/// and no atomic. A scrape hops onto each loop, copies this value and merges the copies
/// (`GatewayServer.collectMetrics`). Keyed by label values, so a reload that renumbers routes or
/// upstreams never moves counts between series. Every key is bounded: route names or indexes,
/// methods folded into `MethodLabel`, three-digit statuses, upstream names, failure codes and
/// configured issuers.
struct RequestMetrics: Sendable {
    struct RequestKey: Hashable, Sendable { var route: String; var method: MethodLabel; var status: UInt16 }
    struct DenialKey: Hashable, Sendable { var reason: String; var issuer: String }
    struct UpstreamErrorKey: Hashable, Sendable { var upstream: String; var kind: UpstreamErrorKind }

    /// `portcullis_requests_total{route,method,status}`.
    private(set) var requests: [RequestKey: Int] = [:]
    /// `portcullis_request_duration_seconds{route}`.
    private(set) var requestDurations: [String: Histogram] = [:]
    /// `portcullis_upstream_duration_seconds{upstream}`.
    private(set) var upstreamDurations: [String: Histogram] = [:]
    /// Where the previous request's series are in the three dictionaries above: consecutive requests
    /// usually share their series, and a hit costs a key comparison (label strings are the
    /// configuration's own, so equal labels are usually the same storage) instead of hashing the
    /// labels with SipHash (three lookups per request were ~1% of the proxy's CPU). Indexes stay valid
    /// while nothing is inserted or removed; every insertion forgets them.
    private var recent = RecentSeries()
    /// `portcullis_upstream_errors_total{upstream,kind}`.
    var upstreamErrors: [UpstreamErrorKey: Int] = [:]
    /// `portcullis_auth_denials_total{reason,issuer}`.
    var denials: [DenialKey: Int] = [:]
    /// `portcullis_decisions_total{code}`: every local answer's failure code (kept from before the
    /// per-route families; the same codes as `reason`).
    var codes: [String: Int] = [:]
    /// Requests handed to an upstream / answered by the authorizer itself, whatever happened next
    /// (the deprecated `portcullis_requests_forwarded_total` and `_answered_locally_total`).
    var forwarded = 0
    var answeredLocally = 0
    /// `portcullis_tls_client_certificate_headers_omitted_total{header}`: client certificate headers
    /// left out because the value was not a clean field value (once per connection).
    var certificateHeadersOmitted: [String: Int] = [:]

    /// Counts one finished request and its duration.
    mutating func countRequest(route: String, method: MethodLabel, status: Int, nanoseconds: Int64) {
        let key = RequestKey(route: route, method: method, status: UInt16(clamping: status))
        if let i = recent.request, requests.keys[i] == key {
            requests.values[i] += 1
        } else {
            if requests.updateValue((requests[key] ?? 0) + 1, forKey: key) == nil { recent = RecentSeries() }
            recent.request = requests.index(forKey: key)
        }
        if let i = recent.duration, requestDurations.keys[i] == route {
            requestDurations.values[i].observe(nanoseconds: nanoseconds)
        } else {
            if requestDurations[route] == nil { requestDurations[route] = Histogram(); recent = RecentSeries() }
            requestDurations[route]!.observe(nanoseconds: nanoseconds)
            recent.duration = requestDurations.index(forKey: route)
        }
    }

    mutating func countUpstreamResponse(upstream: String, nanoseconds: Int64) {
        if let i = recent.upstream, upstreamDurations.keys[i] == upstream {
            upstreamDurations.values[i].observe(nanoseconds: nanoseconds)
        } else {
            if upstreamDurations[upstream] == nil { upstreamDurations[upstream] = Histogram(); recent = RecentSeries() }
            upstreamDurations[upstream]!.observe(nanoseconds: nanoseconds)
            recent.upstream = upstreamDurations.index(forKey: upstream)
        }
    }

    /// Positions of the most recently counted series (see `recent`).
    private struct RecentSeries: Sendable {
        var request: Dictionary<RequestKey, Int>.Index?
        var duration: Dictionary<String, Histogram>.Index?
        var upstream: Dictionary<String, Histogram>.Index?
    }

    mutating func countUpstreamError(upstream: String, kind: UpstreamErrorKind) {
        upstreamErrors[UpstreamErrorKey(upstream: upstream, kind: kind), default: 0] += 1
    }

    /// Adds `other` (another loop's copy) to this one.
    mutating func merge(_ other: RequestMetrics) {
        recent = RecentSeries()
        for (k, v) in other.requests { requests[k, default: 0] += v }
        for (k, v) in other.upstreamErrors { upstreamErrors[k, default: 0] += v }
        for (k, v) in other.denials { denials[k, default: 0] += v }
        for (k, v) in other.codes { codes[k, default: 0] += v }
        forwarded += other.forwarded
        answeredLocally += other.answeredLocally
        for (k, v) in other.certificateHeadersOmitted { certificateHeadersOmitted[k, default: 0] += v }
        for (k, h) in other.requestDurations { requestDurations[k, default: Histogram()].merge(h) }
        for (k, h) in other.upstreamDurations { upstreamDurations[k, default: Histogram()].merge(h) }
    }
}

/// The `method` label: the registered methods a gateway sees, anything else `other` (a client
/// chooses the method, so it must not become a label value as is).
enum MethodLabel: UInt8, Sendable, CaseIterable {
    case get, head, post, put, delete, patch, options, connect, trace, other

    init(_ method: String) {
        switch method {
        case "GET": self = .get
        case "HEAD": self = .head
        case "POST": self = .post
        case "PUT": self = .put
        case "DELETE": self = .delete
        case "PATCH": self = .patch
        case "OPTIONS": self = .options
        case "CONNECT": self = .connect
        case "TRACE": self = .trace
        default: self = .other
        }
    }

    var text: String { self == .other ? "other" : String(describing: self).uppercased() }
}

/// The `kind` label of `portcullis_upstream_errors_total`.
enum UpstreamErrorKind: String, Sendable, CaseIterable {
    /// The connection could not be opened (refused, unreachable).
    case connect
    /// No connection or no (complete) response within the upstream's timeouts.
    case timeout
    /// The upstream closed or reset the connection before the response was complete.
    case reset
    /// The response did not parse as HTTP/1.1.
    case malformed
    /// The TLS handshake or record layer failed (upstream TLS).
    case tls

    /// The kind of an exchange failure code (`upstream_connect_failed`, `upstream_timeout`, ...).
    init?(code: String) {
        switch code {
        case "upstream_connect_failed": self = .connect
        case "upstream_connect_timeout", "upstream_timeout": self = .timeout
        case "upstream_reset": self = .reset
        case "upstream_malformed": self = .malformed
        default:
            if code.hasPrefix("upstream_tls") { self = .tls } else { return nil }
        }
    }
}
