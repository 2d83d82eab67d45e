/// A validated response head plus its body framing.
public struct ParsedResponse: Equatable, Sendable {
    /// The status line and header fields.
    public var head: ResponseHead
    /// How the body is delimited (RFC 9112 6.3).
    public var framing: BodyFraming
    /// False for `.untilClose` bodies and when the version / `Connection` field says close.
    public var keepAlive: Bool

    /// Creates a parsed response.
    public init(head: ResponseHead, framing: BodyFraming, keepAlive: Bool) {
        self.head = head
        self.framing = framing
        self.keepAlive = keepAlive
    }
}
