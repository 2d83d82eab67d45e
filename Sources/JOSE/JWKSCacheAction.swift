/// Identifies one fetch started by a `JWKSCacheState`; completions of older fetches are ignored.
public struct JWKSFetchID: Hashable, Sendable, CustomStringConvertible {
    /// Sequence number of the fetch, from 1.
    public let rawValue: UInt64
    /// Wraps a sequence number (the state machine allocates them).
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "fetch#\(rawValue)" }
}

/// Identifies one request waiting for an unknown-`kid` refresh; the driver maps it back to the
/// continuation it must resume.
public struct JWKSWaiterID: Hashable, Sendable, CustomStringConvertible {
    /// Sequence number of the waiter, from 1.
    public let rawValue: UInt64
    /// Wraps a sequence number (the state machine allocates them).
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "waiter#\(rawValue)" }
}

/// The answer to "which keys may verify a token with this `kid`?".
public enum JWKSLookupResult<Keys: JWKSKeySet>: Sendable {
    /// Use these keys. For a token without `kid` the verifier must still find exactly one key
    /// that fits the algorithm; it never tries every key.
    case keys(Keys)
    /// Reject the token as signed by an unknown key (401). Nothing will be fetched for it.
    case unknownKey
    /// Our keys are missing or past the staleness bound: answer 503 with `Retry-After`.
    case unavailable(retryAfterSeconds: Int)
    /// A refresh that may bring the key is in flight; wait for it (`JWKSCacheState.lookup`
    /// registered a waiter; `JWKSFetcher.lookup` asks the caller to use `awaitRefresh`).
    case awaitRefresh
}

/// A waiter and the final result it must be resumed with (never `.awaitRefresh`).
public struct JWKSWaiterResumption<Keys: JWKSKeySet>: Sendable {
    /// Whom to resume.
    public let waiter: JWKSWaiterID
    /// With what.
    public let result: JWKSLookupResult<Keys>
}

/// Side effects requested by `JWKSCacheState`; the driver performs them in order.
public enum JWKSCacheAction<Keys: JWKSKeySet>: Sendable {
    /// Fetch the key set now and report with `fetchSucceeded` / `fetchFailed` under this id.
    case startFetch(JWKSFetchID)
    /// Arm the (single) timer for this monotonic instant, replacing any earlier arming; call
    /// `timerFired` then. Firing late or spuriously is harmless.
    case scheduleTimer(at: Double)
    /// Resume these waiting requests.
    case resumeWaiters([JWKSWaiterResumption<Keys>])
    /// These keys (`invalidationIDs`) are no longer trusted (rotated out, or every key past the staleness bound):
    /// drop verified-token cache entries signed with them.
    case invalidateKeyIDs(Set<String>)
    /// Log this event.
    case log(JWKSCacheEvent)
}

/// A lookup result, the waiter registered for it (when `.awaitRefresh`) and the actions to run.
public struct JWKSLookupOutcome<Keys: JWKSKeySet>: Sendable {
    /// The answer for the request.
    public let result: JWKSLookupResult<Keys>
    /// Set exactly when `result` is `.awaitRefresh`: resume this waiter later.
    public let waiter: JWKSWaiterID?
    /// Side effects to perform (empty on the known-`kid` path).
    public let actions: [JWKSCacheAction<Keys>]
}
