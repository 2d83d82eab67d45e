/// One header (or trailer) field line: a name and its value, exactly as received.
///
/// The parsers guarantee that `name` is a token (RFC 9110 5.1) and that `value` has its
/// surrounding whitespace trimmed and contains no CR, LF, NUL or other control character
/// except HTAB. Names keep their original case; compare them with ASCII case-insensitivity.
public struct HTTPField: Hashable, Sendable {
    /// The field name, e.g. `Content-Type` (case as received).
    public var name: String
    /// The field value with leading and trailing whitespace removed.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// True if `name` matches this field's name, ignoring ASCII case.
    public func hasName(_ name: String) -> Bool {
        ASCII.equalsIgnoringCase(self.name.utf8, name.utf8)
    }
}
