/// The status line and header fields of a response.
public struct ResponseHead: Equatable, Sendable {
    /// The three-digit status code.
    public var status: Int
    /// The reason phrase (informational only; may be empty).
    public var reason: String
    /// The protocol version.
    public var version: HTTPVersion
    /// The header fields, in the order received.
    public var headers: HTTPHeaders

    /// Creates a response head; a `nil` reason becomes the standard phrase for `status`.
    public init(status: Int, reason: String? = nil, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.reason = reason ?? HTTPSerializer.reasonPhrase(status)
        self.version = version
        self.headers = headers
    }
}
