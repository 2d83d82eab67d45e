/// The members of a JSON object, in document order, with unique names (parser-enforced).
///
/// Why not a `Dictionary`: a token has ~10 short member names; hashing each (SipHash) on insert
/// and lookup cost more than the whole rest of parsing. Small objects use a linear scan (short
/// ASCII names compare as two machine words); past `indexThreshold` members a name index keeps
/// insertion and lookup O(1), so a 16 KiB token of thousands of tiny members cannot force
/// quadratic work.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    static let indexThreshold = 16

    /// Members in document order (one array: one allocation per object).
    private var members: [(name: String, value: JSONValue)] = []

    /// Member names in document order.
    public var names: [String] { members.map(\.name) }
    /// Member values, parallel to `names`.
    public var values: [JSONValue] { members.map(\.value) }
    private var index: [String: Int]?

    /// An empty object.
    public init() {}

    /// An object from literal members (tests, tools). Later duplicates are ignored.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        for (name, value) in elements { _ = insertNew(name, value) }
    }

    /// Number of members.
    public var count: Int { members.count }

    /// The value of member `name` (compared with `String ==`).
    public subscript(name: String) -> JSONValue? {
        if let index { return index[name].map { members[$0].value } }
        for member in members where member.name == name { return member.value }
        return nil
    }

    /// Appends a member; returns `false` (and changes nothing) if `name` already exists.
    mutating func insertNew(_ name: String, _ value: JSONValue) -> Bool {
        guard self[name] == nil else { return false }
        if members.isEmpty { members.reserveCapacity(8) }
        members.append((name, value))
        if index != nil {
            index![name] = members.count - 1
        } else if members.count > Self.indexThreshold {
            var built: [String: Int] = [:]
            built.reserveCapacity(members.count * 2)
            for (i, m) in members.enumerated() { built[m.name] = i }
            index = built
        }
        return true
    }

    /// `(name, value)` pairs in document order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: JSONValue)]> {
        members.makeIterator()
    }

    /// Same members with equal values, in any order.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.count == b.count else { return false }
        for (name, value) in a where b[name] != value { return false }
        return true
    }
}
