import HTTP1
import Policy

/// A response the gateway makes itself (errors, challenges, local services). Every gateway error is
/// JSON: `{"error": "...", "error_description": "..."}`, built by Policy's `ErrorResponse`.
public struct LocalResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Close the client connection after this response.
    public var close: Bool
    /// The failure code (log field and metric label), e.g. `route_not_found`.
    public var code: String
    /// The matched route, normalized path and issuer, for metrics and the access log.
    public var facts = RequestFacts()

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], close: Bool = false, code: String = "") {
        self.status = status
        self.headers = headers
        self.body = body
        self.close = close
        self.code = code
    }

    /// Wraps a JSON error response.
    public init(_ error: ErrorResponse, code: String, close: Bool = false) {
        var h = HTTPHeaders()
        for (n, v) in error.headers { h.append(n, v) }
        self.init(status: error.status, headers: h, body: error.body, close: close, code: code)
    }

    /// A JSON error in the RFC 6749 shape with an explicit `error` value.
    public static func error(_ status: Int, error: String, description: String, code: String, close: Bool = false) -> LocalResponse {
        LocalResponse(ErrorResponse(status: status, error: error, description: description), code: code, close: close)
    }

    /// The answer to a request the HTTP parser refused (400, 413, 414, 431, 501, 505); always closes,
    /// since the connection's framing is lost.
    public static func parseError(_ e: HTTPParseError) -> LocalResponse {
        let response: ErrorResponse
        switch e.status {
        case 413: response = .contentTooLarge()
        case 414: response = .uriTooLong()
        case 431: response = .headerFieldsTooLarge()
        case 501: response = .notImplemented(e.description)
        case 505: response = ErrorResponse(status: 505, error: "http_version_not_supported", description: e.description)
        default: response = .badRequest(e.description)
        }
        return LocalResponse(response, code: e.code.rawValue, close: true)
    }
}
