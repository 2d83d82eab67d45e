import JOSE
import PortcullisTLS
import Telemetry

/// The `/metrics` document: the per-request families summed over the loops, then gauges and
/// counters read at scrape time (connections, token cache, keys, build, process), the families kept
/// from earlier releases and the reload counters. Every family has `# HELP` and `# TYPE`.
extension AdminService {
    func metricsText(_ requests: RequestMetricsSnapshot?) -> String {
        var out = PrometheusText()
        requests?.write(to: &out)
        out.family("portcullis_connections_open", "gauge", help: "Client connections open now.")
        out.sample("portcullis_connections_open", [], shared.connectionCount)
        let current = shared.current
        if let cache = (current.authorizer as? PolicyAuthorizer)?.authenticator.cache {
            let lookups = cache.lookups
            out.family("portcullis_token_cache_hits_total", "counter", help: "Verified-token cache lookups that found the token.")
            out.sample("portcullis_token_cache_hits_total", [], lookups.hits)
            out.family("portcullis_token_cache_misses_total", "counter", help: "Verified-token cache lookups that did not (the token was verified).")
            out.sample("portcullis_token_cache_misses_total", [], lookups.misses)
            out.family("portcullis_token_cache_entries", "gauge", help: "Verified tokens cached now.")
            out.sample("portcullis_token_cache_entries", [], cache.count)
        }
        writeIssuers(to: &out)
        tlsExpiry?.write(to: &out)
        out.family("portcullis_access_log_dropped_total", "counter", help: "Access-log lines dropped because the writer could not keep up.")
        out.sample("portcullis_access_log_dropped_total", [], current.accessLog?.droppedLines ?? 0)
        out.family("portcullis_build_info", "gauge", help: "The running build; the value is always 1.")
        out.sample("portcullis_build_info", [("version", BuildInfo.version)], 1)
        ProcessStats.current().write(to: &out)
        writeDeprecated(requests, to: &out)
        return out.text + health.reloads.prometheusText() + (introspection?.prometheusText() ?? "") + metrics.prometheusText()
    }

    private func writeIssuers(to out: inout PrometheusText) {
        let issuers = self.issuers
        out.family("portcullis_jwks_fetches_total", "counter", help: "Finished JWKS fetches by issuer and result (success or the failure code).")
        for (name, fetcher) in issuers {
            let results = fetcher.fetchResults
            for result in ["success"] + results.keys.filter({ $0 != "success" }).sorted() {
                out.sample("portcullis_jwks_fetches_total", [("issuer", name), ("result", result)], results[result] ?? 0)
            }
        }
        out.family("portcullis_jwks_keys", "gauge", help: "Usable keys in each issuer's current key set (0: token requests get 503).")
        for (name, fetcher) in issuers { out.sample("portcullis_jwks_keys", [("issuer", name)], fetcher.health.keyCount) }
        out.family("portcullis_jwks_keys_age_seconds", "gauge", help: "Seconds since each issuer's current key set was fetched.")
        for (name, fetcher) in issuers {
            if let age = fetcher.keysAgeSeconds { out.sample("portcullis_jwks_keys_age_seconds", [("issuer", name)], (age * 1000).rounded() / 1000) }
        }
    }

    /// The families of earlier releases, kept so existing dashboards keep working (README "Metrics").
    private func writeDeprecated(_ requests: RequestMetricsSnapshot?, to out: inout PrometheusText) {
        let issuers = self.issuers
        out.family("portcullis_connections", "gauge", help: "Deprecated: use portcullis_connections_open.")
        out.sample("portcullis_connections", [], shared.connectionCount)
        out.family("portcullis_requests_forwarded_total", "counter",
                   help: "Deprecated: requests handed to an upstream, whatever their outcome; use portcullis_requests_total.")
        out.sample("portcullis_requests_forwarded_total", [], requests?.metrics.forwarded ?? 0)
        out.family("portcullis_requests_answered_locally_total", "counter",
                   help: "Deprecated: requests the authorizer answered itself; use portcullis_requests_total.")
        out.sample("portcullis_requests_answered_locally_total", [], requests?.metrics.answeredLocally ?? 0)
        out.family("portcullis_issuer_keys", "gauge", help: "Deprecated: use portcullis_jwks_keys.")
        for (name, fetcher) in issuers { out.sample("portcullis_issuer_keys", [("issuer", name)], fetcher.health.keyCount) }
        out.family("portcullis_issuer_keys_unavailable", "gauge", help: "1 when an issuer has no usable keys (token requests get 503).")
        for (name, fetcher) in issuers {
            out.sample("portcullis_issuer_keys_unavailable", [("issuer", name)], fetcher.health.isUnavailable ? 1 : 0)
        }
    }
}

/// The certificates each TLS listener serves now, for `portcullis_tls_certificate_expiry_timestamp_seconds`.
public struct TLSExpirySource: Sendable {
    /// `gateway` or `admin`, with that listener's swappable certificates.
    let listeners: [(listener: String, certificates: TLSServerCertificates)]

    /// The listeners that serve HTTPS (nil ones are skipped).
    public init(gateway: TLSServerCertificates?, admin: TLSServerCertificates?) {
        listeners = [("gateway", gateway), ("admin", admin)].compactMap { name, c in c.map { (name, $0) } }
    }

    /// One series per listener and server name (`default` for an entry without `server_names`), and
    /// each listener's handshakes by result.
    func write(to out: inout PrometheusText) {
        guard !listeners.isEmpty else { return }
        out.family("portcullis_tls_handshakes_total", "counter",
                   help: "TLS handshakes by listener and result: full, resumed, failed (before completing).")
        for (listener, certificates) in listeners {
            let h = certificates.handshakes
            for (result, n) in [("full", h.full), ("resumed", h.resumed), ("failed", h.failed)] {
                out.sample("portcullis_tls_handshakes_total", [("listener", listener), ("result", result)], n)
            }
        }
        out.family("portcullis_tls_certificate_expiry_timestamp_seconds", "gauge",
                   help: "Unix time at which each served certificate expires, by listener and server name.")
        for (listener, certificates) in listeners {
            for (names, notAfter) in certificates.current.certificateExpiries {
                guard let notAfter else { continue }
                for name in names.isEmpty ? ["default"] : names {
                    out.sample("portcullis_tls_certificate_expiry_timestamp_seconds", [("listener", listener), ("server_name", name)], Int(notAfter))
                }
            }
        }
    }
}
