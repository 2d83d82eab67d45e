/// The members of a JSON object, in document order, with unique names (parser-enforced).
///
/// Names compare byte for byte (see `JSONMemberName`), never with `String ==`.
///
/// Why not a `Dictionary`: a token has ~10 short member names; hashing each (SipHash) on insert
/// and lookup cost more than the whole rest of parsing. Small objects use a linear scan over
/// packed names (three integer compares per member); past `indexThreshold` members a name index
/// keeps insertion and lookup O(1), so a 16 KiB token of thousands of tiny members cannot force
/// quadratic work.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    static let indexThreshold = 16

    /// One member: its packed name beside the name and the value, so a lookup reads the packed
    /// names in place (no retain of a name per compare) and an object is one allocation.
    fileprivate struct Member: Sendable {
        let key: JSONMemberName
        let name: String
        let value: JSONValue
    }

    /// Members in document order.
    private var members: [Member] = []

    /// Member names in document order.
    public var names: [String] { members.map(\.name) }
    /// Member values, parallel to `names`.
    public var values: [JSONValue] { members.map(\.value) }
    private var index: [ExactName: Int]?

    /// An empty object.
    public init() {}

    /// An object from literal members (tests, tools). Later duplicates are ignored.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        for (name, value) in elements { _ = insertNew(name, value) }
    }

    /// Number of members.
    public var count: Int { members.count }

    /// The value of member `name` (exact UTF-8 byte match).
    public subscript(name: String) -> JSONValue? {
        self[JSONMemberName(name), name]
    }

    /// Lookup with the name already packed (hot-path readers keep packed names as constants).
    subscript(key: JSONMemberName, name: String) -> JSONValue? {
        position(of: key, name).map { members[$0].value }
    }

    private func position(of key: JSONMemberName, _ name: String) -> Int? {
        if let index {
            return index[ExactName(name)]
        }
        for i in members.indices where members[i].key == key {
            // Equal packed forms are equal names up to 16 bytes; longer ones compare in full.
            if key.count <= 16 || members[i].name.hasSameBytes(as: name) { return i }
        }
        return nil
    }

    /// Appends a member; returns `false` (and changes nothing) if `name` already exists.
    mutating func insertNew(_ name: String, _ value: JSONValue) -> Bool {
        insertNew(name, key: JSONMemberName(name), value)
    }

    /// `insertNew` with the packed name computed by the caller (the parser packs raw bytes).
    mutating func insertNew(_ name: consuming String, key: JSONMemberName, _ value: consuming JSONValue) -> Bool {
        guard position(of: key, name) == nil else { return false }
        if members.isEmpty { members.reserveCapacity(8) }
        if index != nil { index![ExactName(copy name)] = members.count }
        members.append(Member(key: key, name: name, value: value))
        if index == nil, members.count > Self.indexThreshold {
            var built: [ExactName: Int] = [:]
            built.reserveCapacity(members.count * 2)
            for (i, m) in members.enumerated() { built[ExactName(m.name)] = i }
            index = built
        }
        return true
    }

    /// `(name, value)` pairs in document order.
    public struct Iterator: IteratorProtocol {
        fileprivate var base: IndexingIterator<[Member]>

        public mutating func next() -> (name: String, value: JSONValue)? {
            base.next().map { ($0.name, $0.value) }
        }
    }

    /// `(name, value)` pairs in document order.
    public func makeIterator() -> Iterator {
        Iterator(base: members.makeIterator())
    }

    /// Same members with equal values, in any order.
    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.count == b.count else { return false }
        for (name, value) in a where b[name] != value { return false }
        return true
    }
}

/// A dictionary key that hashes and compares a name's UTF-8 bytes (not canonical equivalence,
/// which `String`'s own `Hashable` uses), for the large-object index.
private struct ExactName: Hashable {
    let name: String

    init(_ name: String) { self.name = name }

    static func == (a: ExactName, b: ExactName) -> Bool { a.name.hasSameBytes(as: b.name) }

    func hash(into hasher: inout Hasher) {
        var s = name
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
