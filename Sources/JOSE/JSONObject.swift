/// The members of a JSON object, in document order, with unique names (parser-enforced).
///
/// Why not a `Dictionary`: a token has ~10 short member names; hashing each (SipHash) on insert
/// and lookup cost more than the whole rest of parsing. Small objects use a linear scan (short
/// ASCII names compare as two machine words); past `indexThreshold` members a name index keeps
/// insertion and lookup O(1), so a 16 KiB token of thousands of tiny members cannot force
/// quadratic work.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    static let indexThreshold = 16

    /// Member names in document order.
    public private(set) var names: [String] = []
    /// Member values, parallel to `names`.
    public private(set) var values: [JSONValue] = []
    private var index: [String: Int]?

    /// An empty object.
    public init() {}

    /// An object from literal members (tests, tools). Later duplicates are ignored.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        for (name, value) in elements { _ = insertNew(name, value) }
    }

    /// Number of members.
    public var count: Int { names.count }

    /// The value of member `name` (compared with `String ==`).
    public subscript(name: String) -> JSONValue? {
        if let index { return index[name].map { values[$0] } }
        for i in 0..<names.count where names[i] == name { return values[i] }
        return nil
    }

    /// Appends a member; returns `false` (and changes nothing) if `name` already exists.
    mutating func insertNew(_ name: String, _ value: JSONValue) -> Bool {
        guard self[name] == nil else { return false }
        if names.isEmpty {
            names.reserveCapacity(8)
            values.reserveCapacity(8)
        }
        names.append(name)
        values.append(value)
        if index != nil {
            index![name] = names.count - 1
        } else if names.count > Self.indexThreshold {
            var built: [String: Int] = [:]
            built.reserveCapacity(names.count * 2)
            for (i, n) in names.enumerated() { built[n] = i }
            index = built
        }
        return true
    }

    /// `(name, value)` pairs in document order.
    public func makeIterator() -> Zip2Sequence<[String], [JSONValue]>.Iterator {
        zip(names, values).makeIterator()
    }

    /// Same members with equal values, in any order.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.count == b.count else { return false }
        for (name, value) in a where b[name] != value { return false }
        return true
    }
}
