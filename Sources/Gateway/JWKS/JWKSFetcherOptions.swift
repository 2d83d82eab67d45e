/// Driver settings of a `JWKSFetcher` (the refresh timing itself is the `JWKSCachePolicy`).
///
/// Defaults: `maxDocumentBytes` 1 MiB (a JWKS is a few KiB; a larger body is refused),
/// `timerJitterFraction` 0.1 (each timer is delayed by up to 10% of its delay, never advanced,
/// so many gateways do not refresh in lockstep; 0 in tests).
public struct JWKSFetcherOptions: Sendable, Equatable {
    /// Largest accepted document (file or HTTP body).
    public var maxDocumentBytes: Int
    /// Extra random delay added to each timer, as a fraction of that timer's delay.
    public var timerJitterFraction: Double

    /// Options with the documented defaults, each overridable.
    public init(maxDocumentBytes: Int = 1 << 20, timerJitterFraction: Double = 0.1) {
        self.maxDocumentBytes = maxDocumentBytes
        self.timerJitterFraction = max(0, timerJitterFraction)
    }
}
