import Locks
import Dispatch
import JOSE
import IO

/// The I/O driver of one issuer's `JWKSCacheState`: performs its fetches, timers and waiter
/// resumptions on a private serial queue, never on a request queue.
///
/// Threading: every state change happens on `queue` (so actions run in the order the state
/// machine emitted them); request threads only read a consistent snapshot under a lock (`Locked`)
/// (`lookup(kid:)` never blocks on I/O). Completions and hooks are called on `queue`.
///
/// Time: `clock` returns monotonic seconds (default: `DispatchTime` uptime).
public final class JWKSFetcher<Keys: JWKSKeySet>: Sendable {
    /// Receives the final result of a wait; never `.awaitRefresh`.
    public typealias Completion = @Sendable (JWKSLookupResult<Keys>) -> Void

    struct Inner {
        var state: JWKSCacheState<Keys>
        var completions: [JWKSWaiterID: Completion] = [:]
        var stopped = false
        var fetches = 0
        /// Finished fetches by result: `success` or the failure code (`jwks_http_status`, ...).
        var results: [String: Int] = [:]
    }

    let queue: DispatchQueue
    let inner: Locked<Inner>
    let loader: JWKSDocumentLoader
    let timer: JWKSRefreshTimer
    let options: JWKSFetcherOptions
    let parse: @Sendable ([UInt8]) throws -> Keys
    let clock: @Sendable () -> Double
    let log: @Sendable (JWKSCacheEvent) -> Void
    let onKeysChanged: @Sendable (Set<String>) -> Void

    /// A stopped fetcher; call `start()`.
    /// - Parameters:
    ///   - label: names the queue (e.g. the issuer), for debugging.
    ///   - parse: turns document bytes into keys; throwing counts as a failed fetch.
    ///   - onKeysChanged: gets the `invalidationID`s of the keys that left the set (rotation, or all of them past the
    ///     staleness bound); drop verified-token cache entries for them.
    public init(label: String, source: JWKSSource, policy: JWKSCachePolicy = JWKSCachePolicy(),
                options: JWKSFetcherOptions = JWKSFetcherOptions(),
                parse: @escaping @Sendable ([UInt8]) throws -> Keys,
                clock: @escaping @Sendable () -> Double = JWKSFetcher.monotonicSeconds,
                log: @escaping @Sendable (JWKSCacheEvent) -> Void = { _ in },
                onKeysChanged: @escaping @Sendable (Set<String>) -> Void = { _ in }) {
        queue = DispatchQueue(label: "portcullis.jwks.\(label)")
        inner = Locked(Inner(state: JWKSCacheState(policy: policy)))
        loader = JWKSDocumentLoader(source: source, timeout: policy.fetchTimeout,
                                    maxDocumentBytes: options.maxDocumentBytes)
        timer = JWKSRefreshTimer(queue: queue)
        self.options = options
        self.parse = parse
        self.clock = clock
        self.log = log
        self.onKeysChanged = onKeysChanged
        timer.setHandler { [weak self] in self?.timerFired() }
    }

    deinit {
        timer.cancel()
        loader.invalidate()
    }

    /// Monotonic seconds since boot.
    public static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// Begins the first fetch (asynchronously). Lookups answer `.unavailable` until it lands.
    public func start() {
        queue.async { self.mutate { $0.start(now: self.clock()) } }
    }

    /// Stops timers and fetching; waiting requests get `.unavailable`. Not restartable.
    public func stop() {
        queue.async {
            let actions = self.inner.withLock { inner -> [JWKSCacheAction<Keys>] in
                inner.stopped = true
                return inner.state.cancelWaiters()
            }
            self.timer.cancel()
            self.loader.invalidate()
            self.perform(actions)
        }
    }

    /// Which keys may verify a token with this `kid`, from the current snapshot; never blocks.
    /// On `.awaitRefresh`, call `awaitRefresh(kid:completion:)`.
    public func lookup(kid: String?) -> JWKSLookupResult<Keys> {
        let now = clock()
        return inner.withLock { $0.state.peek(kid: kid, now: now) }
    }

    /// Waits for the refresh an unknown `kid` may trigger (coalesced and rate-limited by the
    /// state machine) and calls `completion` on the fetcher's queue with the final result,
    /// exactly once. If the situation changed since `lookup`, the completion gets the new answer.
    public func awaitRefresh(kid: String?, completion: @escaping Completion) {
        queue.async {
            let now = self.clock()
            let (immediate, actions) = self.inner.withLock { inner -> (JWKSLookupResult<Keys>?, [JWKSCacheAction<Keys>]) in
                if inner.stopped { return (.unavailable(retryAfterSeconds: 1), []) }
                let outcome = inner.state.lookup(kid: kid, now: now)
                guard let waiter = outcome.waiter else { return (outcome.result, outcome.actions) }
                inner.completions[waiter] = completion
                return (nil, outcome.actions)
            }
            if let immediate { completion(immediate) }
            self.perform(actions)
        }
    }

    /// Health of this issuer's keys now.
    public var health: JWKSCacheHealth {
        let now = clock()
        return inner.withLock { $0.state.health(now: now) }
    }

    /// Seconds since the current key set was fetched (nil before the first success):
    /// `portcullis_jwks_keys_age_seconds`.
    public var keysAgeSeconds: Double? {
        let now = clock()
        return inner.withLock { $0.state.health(now: now).lastSuccessAt.map { now - $0 } }
    }

    /// Finished fetches by result (`success` or the failure code): `portcullis_jwks_fetches_total`.
    public var fetchResults: [String: Int] {
        inner.withLock { $0.results }
    }

    /// Fetches started so far (diagnostics and tests).
    public var fetchCount: Int {
        inner.withLock { $0.fetches }
    }

    // MARK: - Queue-confined driving

    private func mutate(_ body: (inout JWKSCacheState<Keys>) -> [JWKSCacheAction<Keys>]) {
        dispatchPrecondition(condition: .onQueue(queue))
        let actions = inner.withLock { inner -> [JWKSCacheAction<Keys>] in
            inner.stopped ? [] : body(&inner.state)
        }
        perform(actions)
    }

    private func timerFired() {
        mutate { $0.timerFired(now: self.clock()) }
    }

    private func perform(_ actions: [JWKSCacheAction<Keys>]) {
        for action in actions {
            switch action {
            case .startFetch(let fetch):
                inner.withLock { $0.fetches += 1 }
                loader.load { result in
                    self.queue.async { self.fetchFinished(fetch, result) }
                }
            case .scheduleTimer(let at):
                var delay = max(0, at - clock())
                if options.timerJitterFraction > 0 {
                    delay += Double.random(in: 0...(delay * options.timerJitterFraction))
                }
                timer.arm(after: delay)
            case .resumeWaiters(let resumptions):
                for resumption in resumptions {
                    let completion = inner.withLock { $0.completions.removeValue(forKey: resumption.waiter) }
                    completion?(resumption.result)
                }
            case .invalidateKeyIDs(let ids):
                onKeysChanged(ids)
            case .log(let event):
                log(event)
            }
        }
    }

    private func fetchFinished(_ fetch: JWKSFetchID, _ result: Result<JWKSDocument, JWKSFetchFailure>) {
        let now = clock()
        switch result {
        case .success(let document):
            do {
                let keys = try parse(document.bytes)
                count(keys.keyCount > 0 ? "success" : JWKSFetchFailure.emptyKeySet.code)
                mutate { $0.fetchSucceeded(fetch, keys: keys, maxAge: document.maxAge, now: now) }
            } catch {
                count(JWKSFetchFailure.unparseable.code)
                mutate { $0.fetchFailed(fetch, .unparseable, now: now) }
            }
        case .failure(let failure):
            count(failure.code)
            mutate { $0.fetchFailed(fetch, failure, now: now) }
        }
    }

    private func count(_ result: String) {
        inner.withLock { $0.results[result, default: 0] += 1 }
    }
}
