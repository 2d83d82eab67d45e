/// The start line and header fields of a request.
public struct RequestHead: Equatable, Sendable {
    /// The method token, case-sensitive (`GET`, `POST`, ...).
    public var method: String
    /// The request target: origin-form (`/path?query`) or `*` (OPTIONS only) when parsed.
    public var target: String
    /// The protocol version.
    public var version: HTTPVersion
    /// The header fields, in the order received.
    public var headers: HTTPHeaders

    /// Creates a request head.
    public init(method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders()) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }
}
