/// What a parser found in the bytes it was given.
///
/// A message is always reported as `.head`, zero or more `.body`, then `.end`
/// (except informational 1xx responses, which are a lone `.head`).
public enum ParseEvent<Head: Sendable>: Sendable {
    /// The bytes do not yet hold a complete item; call again with more bytes appended.
    case needMore
    /// A complete, validated message head.
    case head(Head)
    /// Body bytes: the range indexes into the buffer passed to the call that returned it (zero copy).
    case body(Range<Int>)
    /// The message (head and body) is complete; the parser is ready for the next message.
    case end
}

/// Events compare equal when their kinds and payloads do (handy in tests and state machines).
extension ParseEvent: Equatable where Head: Equatable {}
