import Locks
import Config
import Foundation
import IO
import JOSE

/// Checks one issuer's opaque tokens by RFC 7662 introspection, off the request loops.
///
/// - Active answers go into the verified-token cache (under the token's SHA-256, never the token)
///   until min(now + `cache_ttl_seconds`, `exp`), so a repeated token costs a cache hit like a JWT.
/// - Inactive answers are remembered for `negative_cache_ttl_seconds` in a bounded table.
/// - Concurrent requests for one uncached token share one call (single flight); at most
///   `maxInFlight` distinct tokens are in flight, further ones get 503 at once (bounded memory).
/// - Endpoint down, timing out, non-200 or an unusable answer: `introspectionUnavailable` (503 with
///   `Retry-After`), never a 401 for a token that may be valid, never an accept.
public final class TokenIntrospector: Sendable {
    public typealias Completion = @Sendable (TokenCheck) -> Void

    struct State {
        var inFlight: [TokenDigest: [Completion]] = [:]
        /// Inactive tokens until the given Unix second (bounded, oldest dropped first).
        var negative: ExpiringTable<TokenDigest>
    }

    /// The issuer (`issuers[].issuer`): the identity of introspected callers for route `issuers`.
    public let issuer: String
    let settings: IntrospectionSettings
    let audiences: [String]
    let clockSkewSeconds: Int64
    let client: IntrospectionClient
    let cache: VerifiedTokenCache<VerifiedCaller>
    let identityHeaders: [(header: String, claim: String)]
    let clock: any Clock
    let counters: IntrospectionCounters
    private let state: Locked<State>
    /// Distinct tokens whose introspection may be in flight at once.
    let maxInFlight: Int
    /// Inactive answers remembered at most.
    let maxNegativeEntries: Int

    public init(issuer: String, settings: IntrospectionSettings, clientSecret: String, audiences: [String], clockSkewSeconds: Int64,
                cache: VerifiedTokenCache<VerifiedCaller>, identityHeaders: [(header: String, claim: String)], clock: any Clock,
                counters: IntrospectionCounters, maxInFlight: Int = 1024, maxNegativeEntries: Int = 10_000) throws {
        guard let url = URL(string: settings.endpoint) else { throw StartupError("introspection endpoint is not a URL") }
        self.issuer = issuer
        self.settings = settings
        self.audiences = audiences
        self.clockSkewSeconds = clockSkewSeconds
        client = IntrospectionClient(endpoint: url, clientID: settings.clientID, clientSecret: clientSecret,
                                     postCredentials: settings.authMethod == .clientSecretPost,
                                     timeout: Double(settings.timeoutMilliseconds) / 1000)
        self.cache = cache
        self.identityHeaders = identityHeaders
        self.clock = clock
        self.counters = counters
        self.maxInFlight = maxInFlight
        self.maxNegativeEntries = maxNegativeEntries
        state = Locked(State(negative: ExpiringTable(capacity: maxNegativeEntries)))
    }

    /// The check of `token` (whose SHA-256 is `digest`, already missed in the verified-token cache):
    /// a remembered inactive answer at once, else `nil` and `makeCompletion()`'s closure is called
    /// later, on a URLSession thread.
    func check(_ token: Substring, digest: TokenDigest, now: Int64, makeCompletion: () -> Completion) -> TokenCheck? {
        enum Step { case answer(TokenCheck), wait, call }
        let step: Step = state.withLock { state in
            if let until = state.negative.expiry(of: digest) {
                if now < until {
                    var inactive = TokenRejection(.inactive, "token is not active")
                    inactive.issuer = issuer   // the denial's `issuer` label: this configured issuer
                    return .answer(.rejected(inactive))
                }
                state.negative.remove(digest)
            }
            if state.inFlight[digest] != nil {
                state.inFlight[digest]!.append(makeCompletion())
                return .wait
            }
            guard state.inFlight.count < maxInFlight else { return .answer(.introspectionUnavailable(retryAfterSeconds: 1)) }
            state.inFlight[digest] = [makeCompletion()]
            return .call
        }
        switch step {
        case .answer(let check):
            if case .introspectionUnavailable = check { counters.increment(issuer: issuer, result: "overloaded") }
            return check
        case .wait:
            return nil
        case .call:
            let epoch = cache.epoch
            client.introspect(String(token)) { [self] result in finish(digest, result, epoch: epoch) }
            return nil
        }
    }

    private func finish(_ digest: TokenDigest, _ result: Result<[UInt8], IntrospectionFailure>, epoch: UInt64) {
        let now = clock.unixSeconds()
        let check: TokenCheck
        switch result {
        case .failure(let failure):
            counters.increment(issuer: issuer, result: failure.label)
            check = .introspectionUnavailable(retryAfterSeconds: 1)
        case .success(let body):
            switch IntrospectionAnswer.evaluate(body, issuer: issuer, audiences: audiences, clockSkewSeconds: clockSkewSeconds, now: now) {
            case .unusable:
                counters.increment(issuer: issuer, result: "error")
                check = .introspectionUnavailable(retryAfterSeconds: 1)
            case .rejected(var rejection):
                counters.increment(issuer: issuer, result: "inactive")
                rememberInactive(digest, until: now + Int64(settings.negativeCacheTTLSeconds))
                rejection.issuer = issuer   // the denial's `issuer` label: this configured issuer
                check = .rejected(rejection)
            case .active(let token):
                counters.increment(issuer: issuer, result: "active")
                let caller = VerifiedCaller(token: token, identityHeaders: identityHeaders)
                var notAfter = Double(now + Int64(settings.cacheTTLSeconds))
                if let exp = token.expiresAt { notAfter = min(notAfter, Double(exp)) }
                cache.insert(caller, for: digest, keyID: nil, notAfter: notAfter, now: Double(now), epoch: epoch)
                check = .verified(caller)
            }
        }
        let waiters = state.withLock { $0.inFlight.removeValue(forKey: digest) ?? [] }
        for waiter in waiters { waiter(check) }
    }

    /// Remembers an inactive answer; the oldest entry goes when the table is full.
    private func rememberInactive(_ digest: TokenDigest, until: Int64) {
        state.withLock { $0.negative.set(digest, until: until) }
    }

    /// Requests waiting for an introspection answer, over all tokens (tests: single flight).
    var waitingRequests: Int { state.withLock { $0.inFlight.values.reduce(0) { $0 + $1.count } } }

    /// Number of inactive answers remembered (tests: bounded).
    var negativeCount: Int { state.withLock { $0.negative.count } }
}
