/// What a connection notes about the request it is serving, for `portcullis_requests_total`, the
/// duration histograms and the access-log line. Plain values, reset per request (kept with the
/// connection: no allocation per request once `trace` has grown).
struct RequestRecord {
    /// A request head was accepted and its record not yet finished.
    var isOpen = false
    var startNanos: Int64 = 0
    /// The request's method as sent (access log); the metric label is `methodLabel`.
    var method = ""
    var methodLabel = MethodLabel.other
    var facts = RequestFacts()
    /// Index of the upstream the request went to, or -1.
    var upstream: Int32 = -1
    var upstreamStartNanos: Int64 = 0
    /// Status of the response head sent to the client (0 until one is sent).
    var status = 0
    /// Status the upstream answered with, when its response was relayed.
    var upstreamStatus = 0
    /// Failure code of a response cut short after its head was sent.
    var failureCode = ""
    /// Request bytes consumed (head and body) and response bytes handed to the client socket.
    var bytesIn = 0
    var bytesOut = 0
    /// This request's W3C trace context (sent upstream, logged as `trace_id`).
    var trace = TraceParent()

    /// Clears everything for the next request (the trace buffer keeps its capacity).
    mutating func reset() {
        isOpen = false
        method = ""
        methodLabel = .other
        facts = RequestFacts()
        upstream = -1
        status = 0
        upstreamStatus = 0
        failureCode = ""
        bytesIn = 0
        bytesOut = 0
    }
}
