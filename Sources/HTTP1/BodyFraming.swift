/// How the body of a message is delimited on the wire (RFC 9112 6.3).
public enum BodyFraming: Equatable, Sendable {
    /// No body at all (a request without Content-Length / Transfer-Encoding, a response to HEAD, 1xx, 204, 304).
    case none
    /// Exactly this many bytes follow the head.
    case contentLength(Int)
    /// `Transfer-Encoding: chunked`: chunks, a last chunk, then an optional trailer section.
    case chunked
    /// The body runs until the peer closes the connection (responses only).
    case untilClose
}
