/// The response the I/O layer writes back for a `DevRequest`.
public struct DevResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Header fields in order (the I/O layer adds `Content-Length` and `Date`).
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive), for callers and tests.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// A JSON response. `noStore` adds `Cache-Control: no-store` and `Pragma: no-cache`
    /// (required on anything carrying tokens, RFC 6749 §5.1).
    static func json(_ status: Int, _ object: [String: Any], noStore: Bool = true,
                     extraHeaders: [(name: String, value: String)] = []) -> DevResponse {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if noStore {
            headers.append(("Cache-Control", "no-store"))
            headers.append(("Pragma", "no-cache"))
        }
        headers.append(contentsOf: extraHeaders)
        return DevResponse(status: status, headers: headers, body: JSONCoding.encode(object))
    }

    /// A plain-text response (used for the authorization endpoint's error page).
    static func text(_ status: Int, _ text: String) -> DevResponse {
        DevResponse(status: status,
                    headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")],
                    body: Array(text.utf8))
    }

    /// An HTML page that may not be framed and runs no script.
    static func html(_ status: Int, _ html: String) -> DevResponse {
        DevResponse(status: status,
                    headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                              ("X-Frame-Options", "DENY"),
                              ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")],
                    body: Array(html.utf8))
    }

    /// A `302 Found` to `location`; never cached.
    static func redirect(_ location: String) -> DevResponse {
        DevResponse(status: 302, headers: [("Location", location), ("Cache-Control", "no-store")])
    }

    /// A 404 for paths the issuer does not serve.
    static let notFound = DevResponse.json(404, ["error": "not_found", "error_description": "No such endpoint."])

    /// A 405 naming the allowed methods.
    static func methodNotAllowed(_ allowed: String) -> DevResponse {
        .json(405, ["error": "invalid_request", "error_description": "Method not allowed."],
              extraHeaders: [("Allow", allowed)])
    }
}
