/// What one run (or one event loop's share of it) measured: latencies, status codes, transport errors.
///
/// Recording is O(1) and allocation-free: status codes and error kinds index fixed arrays. Each event
/// loop fills its own `RunResult`; they are `merge`d when the run ends.
public struct RunResult: Sendable, Equatable {
    /// Latency of every measured response (including non-2xx ones), nanoseconds.
    public private(set) var latency: LatencyHistogram
    /// Counts of status codes 100...599, indexed by `status - 100`.
    private var statusCounts: [UInt64]
    /// Counts per `TransportErrorKind.ordinal`.
    private var errorCounts: [UInt64]
    /// Responses whose status was outside 100...599 (counted, not indexed).
    public private(set) var outOfRangeStatuses: UInt64 = 0
    /// Outcomes per token kind, for requests that carried a token.
    public private(set) var tokenOutcomes = TokenOutcomes()
    /// Measured requests attempted: every one ends as a response or a transport error, so after a run
    /// `requests == responses + errorTotal` (a connect failure counts as an attempt that failed).
    public private(set) var requests: UInt64 = 0
    /// Length of the measurement window, nanoseconds (set by the engine; `merge` keeps the longest).
    public var measuredNanoseconds: UInt64

    /// An empty result for a window of `measuredNanoseconds`.
    public init(measuredNanoseconds: UInt64 = 0, subBucketBits: Int = LatencyHistogram.defaultSubBucketBits) {
        latency = LatencyHistogram(subBucketBits: subBucketBits)
        statusCounts = Array(repeating: 0, count: 500)
        errorCounts = Array(repeating: 0, count: TransportErrorKind.allCases.count)
        self.measuredNanoseconds = measuredNanoseconds
    }

    /// Records one complete response; `tokenKind` is the kind of bearer token the request carried, if any.
    public mutating func recordResponse(status: Int, latencyNanoseconds: UInt64, tokenKind: TokenKind? = nil) {
        latency.record(latencyNanoseconds)
        if let tokenKind { tokenOutcomes.record(kind: tokenKind, status: status) }
        if (100...599).contains(status) {
            statusCounts[status - 100] &+= 1
        } else {
            outOfRangeStatuses &+= 1
        }
    }

    /// Records one measured request attempt (before its response or error is known).
    public mutating func recordRequest() {
        requests &+= 1
    }

    /// Records one request that got no response.
    public mutating func recordError(_ kind: TransportErrorKind) {
        errorCounts[kind.ordinal] &+= 1
    }

    /// Adds `other` into this result.
    public mutating func merge(_ other: RunResult) {
        latency.merge(other.latency)
        for index in statusCounts.indices { statusCounts[index] &+= other.statusCounts[index] }
        for index in errorCounts.indices { errorCounts[index] &+= other.errorCounts[index] }
        outOfRangeStatuses &+= other.outOfRangeStatuses
        requests &+= other.requests
        tokenOutcomes.merge(other.tokenOutcomes)
        measuredNanoseconds = max(measuredNanoseconds, other.measuredNanoseconds)
    }

    /// Number of responses with `status`.
    public func count(ofStatus status: Int) -> UInt64 {
        (100...599).contains(status) ? statusCounts[status - 100] : 0
    }

    /// Non-zero status counts in increasing status order.
    public var statuses: [(status: Int, count: UInt64)] {
        statusCounts.indices.compactMap { statusCounts[$0] == 0 ? nil : ($0 + 100, statusCounts[$0]) }
    }

    /// Non-zero error counts in `TransportErrorKind` order.
    public var errors: [(kind: TransportErrorKind, count: UInt64)] {
        TransportErrorKind.allCases.compactMap { errorCounts[$0.ordinal] == 0 ? nil : ($0, errorCounts[$0.ordinal]) }
    }

    /// Number of transport errors of `kind`.
    public func count(of kind: TransportErrorKind) -> UInt64 { errorCounts[kind.ordinal] }

    /// Complete responses, whatever their status.
    public var responses: UInt64 { latency.count }
    /// Responses with a 2xx status.
    public var successes: UInt64 { statusCounts[100..<200].reduce(0, &+) }
    /// Requests without a response.
    public var errorTotal: UInt64 { errorCounts.reduce(0, &+) }

    /// Responses per second over the measurement window (0 if the window is empty).
    public var throughput: Double {
        measuredNanoseconds == 0 ? 0 : Double(responses) * 1e9 / Double(measuredNanoseconds)
    }

    /// The JSON-ready summary.
    public var summary: RunSummary {
        RunSummary(
            requests: requests, responses: responses, successes: successes, transportErrors: errorTotal,
            durationSeconds: Double(measuredNanoseconds) / 1e9, throughput: throughput,
            latency: latency.summary,
            statusCounts: Dictionary(uniqueKeysWithValues: statuses.map { (String($0.status), $0.count) }),
            errors: Dictionary(uniqueKeysWithValues: errors.map { ($0.kind.rawValue, $0.count) }),
            tokenOutcomes: tokenOutcomes, histogram: latency)
    }
}

/// The JSON form of a `RunResult`. Latencies are in nanoseconds; `histogram` holds every bucket so
/// results can be merged or re-plotted later.
public struct RunSummary: Sendable, Equatable, Codable {
    /// Measured request attempts (`responses + transportErrors` once the run has drained).
    public var requests: UInt64
    /// Complete responses.
    public var responses: UInt64
    /// 2xx responses.
    public var successes: UInt64
    /// Requests without a response.
    public var transportErrors: UInt64
    /// Measurement window.
    public var durationSeconds: Double
    /// Responses per second.
    public var throughput: Double
    /// Percentiles.
    public var latency: LatencySummary
    /// Status code (as a string key) to count.
    public var statusCounts: [String: UInt64]
    /// Error code to count.
    public var errors: [String: UInt64]
    /// Outcomes per token kind.
    public var tokenOutcomes: TokenOutcomes
    /// The full histogram.
    public var histogram: LatencyHistogram
}
