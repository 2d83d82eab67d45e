/// A response the gateway makes itself: always JSON `{"error":..,"error_description":..[,"scope":..]}`
/// with `Content-Type: application/json` and `Cache-Control: no-store`. Pure value; the gateway writes it.
public struct ErrorResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Reason phrase for the status line.
    public var reasonPhrase: String
    /// `error` of the body (also the log reason when no finer code exists).
    public var error: String
    /// `error_description` of the body, already sanitized to printable ASCII.
    public var description: String
    /// Header fields in order (`Content-Type`, `Cache-Control`, then any of `WWW-Authenticate`,
    /// `Allow`, `Retry-After`). `Content-Length` and `Connection` are the writer's business.
    public var headers: [(name: String, value: String)]
    /// The JSON body.
    public var body: [UInt8]

    /// Builds a JSON error response; `scope` adds a `"scope"` member; `extraHeaders` follow the defaults.
    public init(status: Int, error: String, description: String, scope: String? = nil,
                extraHeaders: [(name: String, value: String)] = []) {
        let description = BearerChallenge.sanitize(description)
        self.status = status
        self.reasonPhrase = Self.reasonPhrase(for: status)
        self.error = error
        self.description = description
        self.headers = [("Content-Type", "application/json"), ("Cache-Control", "no-store")] + extraHeaders
        self.body = ErrorBody.bytes(error: error, description: description, scope: scope)
    }

    /// Builds a 400/401/403 answer carrying `challenge` in `WWW-Authenticate`; body error,
    /// description and scope are the challenge's (`invalid_token` when it has no error).
    public init(status: Int, challenge: BearerChallenge, bodyDescription: String) {
        self.init(status: status, error: challenge.error ?? "invalid_token",
                  description: challenge.description ?? bodyDescription, scope: challenge.scope,
                  extraHeaders: [("WWW-Authenticate", challenge.headerValue)])
    }

    /// Value of the first header named `name` (case-insensitive), for tests and logs.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Standard reason phrases for the statuses Portcullis produces.
    public static func reasonPhrase(for status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Error"
        }
    }
}

/// The plain gateway errors of the proxy (no token involved).
extension ErrorResponse {
    /// 400 for a request the parser refused; `description` must be safe (no request bytes).
    public static func badRequest(_ description: String = "malformed request") -> ErrorResponse {
        ErrorResponse(status: 400, error: "bad_request", description: description)
    }
    /// 400 for a refused request-target.
    public static func badRequest(_ rejection: PathRejection) -> ErrorResponse {
        badRequest(rejection.description)
    }
    /// 404: no route matches the path.
    public static func notFound() -> ErrorResponse {
        ErrorResponse(status: 404, error: "not_found", description: "no route matches this path")
    }
    /// 405 with `Allow` (methods comma-separated, as given).
    public static func methodNotAllowed(allow: [String]) -> ErrorResponse {
        ErrorResponse(status: 405, error: "method_not_allowed", description: "method not allowed on this path",
                      extraHeaders: [("Allow", allow.joined(separator: ", "))])
    }
    /// 408: the request head did not arrive in time.
    public static func requestTimeout() -> ErrorResponse {
        ErrorResponse(status: 408, error: "request_timeout", description: "request header not received in time")
    }
    /// 413: body larger than the limit.
    public static func contentTooLarge() -> ErrorResponse {
        ErrorResponse(status: 413, error: "content_too_large", description: "request body too large")
    }
    /// 414: request line longer than the limit.
    public static func uriTooLong() -> ErrorResponse {
        ErrorResponse(status: 414, error: "uri_too_long", description: "request line too long")
    }
    /// 431: header section too large or too many fields.
    public static func headerFieldsTooLarge() -> ErrorResponse {
        ErrorResponse(status: 431, error: "request_header_fields_too_large", description: "request header too large")
    }
    /// 501: e.g. a transfer coding other than `chunked`.
    public static func notImplemented(_ description: String = "not implemented") -> ErrorResponse {
        ErrorResponse(status: 501, error: "not_implemented", description: description)
    }
    /// 502: upstream refused, reset or answered garbage.
    public static func badGateway(_ description: String = "upstream failed") -> ErrorResponse {
        ErrorResponse(status: 502, error: "bad_gateway", description: description)
    }
    /// 503 with `Retry-After` (seconds), e.g. an issuer's keys are unavailable or the gateway is stopping.
    public static func serviceUnavailable(retryAfterSeconds: Int,
                                          _ description: String = "service unavailable") -> ErrorResponse {
        ErrorResponse(status: 503, error: "service_unavailable", description: description,
                      extraHeaders: [("Retry-After", String(max(0, retryAfterSeconds)))])
    }
    /// 504: the upstream did not answer in time.
    public static func gatewayTimeout() -> ErrorResponse {
        ErrorResponse(status: 504, error: "gateway_timeout", description: "upstream did not respond in time")
    }
}
