/// A validated request head plus what the connection needs to know to handle its body.
public struct ParsedRequest: Equatable, Sendable {
    /// The request line and header fields.
    public var head: RequestHead
    /// How the body is delimited (`.none`, `.contentLength` or `.chunked`; never `.untilClose`).
    public var framing: BodyFraming
    /// HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool
    /// `Expect: 100-continue` (case-insensitive) on an HTTP/1.1 request.
    public var expectsContinue: Bool

    /// Creates a parsed request.
    public init(head: RequestHead, framing: BodyFraming, keepAlive: Bool, expectsContinue: Bool) {
        self.head = head
        self.framing = framing
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }
}
