/// An ordered list of header fields, never a dictionary.
///
/// Security invariant: duplicates are kept as separate entries in arrival order. A dictionary
/// would silently merge a second `Content-Length` or `Host`, which is how request smuggling
/// starts; the parsers look at every occurrence instead. Name lookups are ASCII case-insensitive;
/// `==` compares the fields in order, exactly (names case-sensitively).
public struct HTTPHeaders: Sequence, Equatable, Sendable, ExpressibleByArrayLiteral {
    /// The fields in order.
    public internal(set) var fields: [HTTPField]

    /// An empty list.
    public init() { fields = [] }

    /// A list from `(name, value)` pairs, in order.
    public init(arrayLiteral elements: (String, String)...) {
        fields = elements.map { HTTPField(name: $0.0, value: $0.1) }
    }

    /// A list from fields, in order.
    public init(_ fields: [HTTPField]) { self.fields = fields }

    /// Number of field lines (duplicates counted separately).
    public var count: Int { fields.count }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[HTTPField]> { fields.makeIterator() }

    /// Reserves storage for `n` fields.
    public mutating func reserveCapacity(_ n: Int) { fields.reserveCapacity(n) }

    /// Appends a field at the end (existing fields with the same name are kept).
    public mutating func append(_ name: String, _ value: String) {
        fields.append(HTTPField(name: name, value: value))
    }

    /// The value of the first field called `name`, or nil.
    public func first(_ name: String) -> String? {
        for field in fields where field.hasName(name) { return field.value }
        return nil
    }

    /// The values of every field called `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.compactMap { $0.hasName(name) ? $0.value : nil }
    }

    /// True if at least one field is called `name`.
    public func contains(_ name: String) -> Bool {
        fields.contains { $0.hasName(name) }
    }

    /// Number of fields called `name`.
    public func count(_ name: String) -> Int {
        var n = 0
        for field in fields where field.hasName(name) { n += 1 }
        return n
    }

    /// Removes every field called `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { $0.hasName(name) }
    }

    /// Replaces the value of the first field called `name` and removes the others,
    /// or appends the field if there is none.
    public mutating func replaceOrAppend(_ name: String, _ value: String) {
        guard let index = fields.firstIndex(where: { $0.hasName(name) }) else {
            append(name, value)
            return
        }
        fields[index].value = value
        var i = fields.index(after: index)
        while i < fields.endIndex {
            if fields[i].hasName(name) { fields.remove(at: i) } else { i += 1 }
        }
    }

    /// True if any field `name` has `token` as an element of its comma-separated list
    /// (case-insensitive), e.g. `hasToken("close", in: "Connection")`.
    public func hasToken(_ token: String, in name: String) -> Bool {
        for field in fields where field.hasName(name) {
            if ASCII.anyListElement(field.value.utf8, where: { ASCII.equalsIgnoringCase($0, token.utf8) }) {
                return true
            }
        }
        return false
    }
}
