import HTTP1

/// What answering a request still needs once its head has been forwarded: how its body was framed,
/// its version, whether it asked for HEAD and whether it may keep the connection open.
///
/// Plain values only (no strings, no arrays): the exchange keeps this instead of the parsed head,
/// so holding, copying and dropping it costs no reference counting on the request path.
struct RequestSummary {
    var framing: BodyFraming
    var keepAlive: Bool
    var isHTTP10: Bool
    var isHEAD: Bool
    /// Idempotent (RFC 9110 9.2.2): safe to send again on a fresh connection if it had no body.
    var isIdempotent: Bool

    /// A bodyless, idempotent GET that closes: what an exchange holds before its first request.
    static let idle = RequestSummary(framing: .none, keepAlive: false, isHTTP10: false, isHEAD: false, isIdempotent: true)

    init(framing: BodyFraming, keepAlive: Bool, isHTTP10: Bool, isHEAD: Bool, isIdempotent: Bool) {
        self.framing = framing
        self.keepAlive = keepAlive
        self.isHTTP10 = isHTTP10
        self.isHEAD = isHEAD
        self.isIdempotent = isIdempotent
    }

    /// `borrowing`: an initializer would otherwise take (and so copy) the whole parsed request.
    init(_ request: borrowing ParsedRequest) {
        framing = request.framing
        keepAlive = request.keepAlive
        isHTTP10 = request.head.version == .http1_0
        isHEAD = request.head.method == "HEAD"
        switch request.head.method {
        case "GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE": isIdempotent = true
        default: isIdempotent = false
        }
    }

    /// No body bytes follow the head (none declared, or `Content-Length: 0`).
    var hasNoBody: Bool {
        switch framing {
        case .none, .contentLength(0): return true
        default: return false
        }
    }

    /// Idempotent and without a body: may be retried on a fresh connection.
    var isRetryable: Bool { isIdempotent && hasNoBody }
}
