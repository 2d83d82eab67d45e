import JOSE
import Locks
import Synchronization

/// What the admin listener reports about the running gateway beyond request counts: readiness
/// (`/readyz`), liveness (`/healthz`) and configuration reloads. Updated by `RunningGateway`
/// (start, reload, drain); read by `AdminService`.
public final class GatewayHealth: Sendable {
    let shared: GatewayShared
    private let listening = Atomic<Bool>(false)
    private let issuers: Locked<[(name: String, fetcher: JWKSFetcher<JWKSet>)]>
    /// Reload outcomes: `portcullis_config_reloads_total{result}`.
    public let reloads: ReloadCounters

    /// Health of a gateway whose configuration loaded successfully at `startedAtUnixSeconds`.
    public init(shared: GatewayShared, startedAtUnixSeconds: Int64) {
        self.shared = shared
        issuers = Locked([])
        reloads = ReloadCounters(loadedAtUnixSeconds: startedAtUnixSeconds)
    }

    /// The issuers whose keys readiness requires (those with a JWKS; a shared secret is always usable).
    public func setIssuers(_ list: [(name: String, fetcher: JWKSFetcher<JWKSet>)]) { issuers.withLock { $0 = list } }
    public var issuerKeys: [(name: String, fetcher: JWKSFetcher<JWKSet>)] { issuers.withLock { $0 } }

    /// Whether the gateway's listening socket is open.
    public func setListening(_ value: Bool) { listening.store(value, ordering: .relaxed) }

    /// Why the gateway should not get new traffic now; empty when it is ready.
    /// Reasons: `draining`, `not_listening`, `issuer_keys_unavailable` (one per issuer, with its name).
    public func notReadyReasons() -> [(reason: String, issuer: String?)] {
        var reasons: [(String, String?)] = []
        if shared.isDraining { reasons.append(("draining", nil)) }
        if !listening.load(ordering: .relaxed) || shared.isClosingIdle { reasons.append(("not_listening", nil)) }
        for (name, fetcher) in issuerKeys where fetcher.health.isUnavailable {
            reasons.append(("issuer_keys_unavailable", name))
        }
        return reasons
    }
}

/// Counts of configuration reloads by result and the time of the last successful load (the start-up
/// load counts as one, as Prometheus does for its own configuration).
public final class ReloadCounters: Sendable {
    private let successes = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)
    private let lastSuccess: Atomic<Int64>

    init(loadedAtUnixSeconds: Int64) { lastSuccess = Atomic(loadedAtUnixSeconds) }

    public func recordSuccess(atUnixSeconds now: Int64) {
        successes.add(1, ordering: .relaxed)
        lastSuccess.store(now, ordering: .relaxed)
    }

    public func recordFailure() { failures.add(1, ordering: .relaxed) }

    public var successCount: Int { successes.load(ordering: .relaxed) }
    public var failureCount: Int { failures.load(ordering: .relaxed) }
    public var lastSuccessUnixSeconds: Int64 { lastSuccess.load(ordering: .relaxed) }

    /// The two reload families in the Prometheus text format (0.0.4), with `# HELP` and `# TYPE`.
    public func prometheusText() -> String {
        """
        # HELP portcullis_config_reloads_total Configuration reloads (SIGHUP) by result.
        # TYPE portcullis_config_reloads_total counter
        portcullis_config_reloads_total{result="success"} \(successCount)
        portcullis_config_reloads_total{result="failure"} \(failureCount)
        # HELP portcullis_config_last_reload_success_timestamp_seconds Unix time of the last successful configuration load (start-up or reload).
        # TYPE portcullis_config_last_reload_success_timestamp_seconds gauge
        portcullis_config_last_reload_success_timestamp_seconds \(lastSuccessUnixSeconds)

        """
    }
}
