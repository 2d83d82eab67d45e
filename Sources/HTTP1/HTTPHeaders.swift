/// An ordered list of header fields, never a dictionary.
///
/// Security invariant: duplicates are kept as separate entries in arrival order. A dictionary
/// would silently merge a second `Content-Length` or `Host`, which is how request smuggling
/// starts; the parsers look at every occurrence instead. Name lookups are ASCII case-insensitive;
/// `==` compares the fields in order, exactly (names case-sensitively).
///
/// Storage: the name and value bytes live in one contiguous byte array (for a parsed head, one
/// copy of its field section) and each field is a small slot of offsets into it, so parsing,
/// lookups, removals and serialization create no String per field. Strings are made only when
/// a caller asks for one (`first`, `values`, `fields`, iteration).
public struct HTTPHeaders: Sequence, Sendable, ExpressibleByArrayLiteral {
    /// Name and value bytes; slots point into it. Removed or replaced bytes stay until the list dies.
    var storage: [UInt8]
    /// One slot per field line, in order.
    var slots: [FieldSlot]

    /// An empty list.
    public init() {
        storage = []
        slots = []
    }

    /// A list from `(name, value)` pairs, in order.
    public init(arrayLiteral elements: (String, String)...) {
        self.init()
        for (name, value) in elements { append(name, value) }
    }

    /// A list from fields, in order.
    public init(_ fields: [HTTPField]) {
        self.init()
        for field in fields { append(field.name, field.value) }
    }

    /// A parsed list: `storage` holds validated field bytes that `slots` describe.
    init(storage: [UInt8], slots: [FieldSlot]) {
        self.storage = storage
        self.slots = slots
    }

    /// The fields in order (built on each call: prefer the lookups on a hot path).
    public var fields: [HTTPField] { Array(self) }

    /// Number of field lines (duplicates counted separately).
    public var count: Int { slots.count }

    /// Reserves storage for `n` fields.
    public mutating func reserveCapacity(_ n: Int) {
        slots.reserveCapacity(n)
        storage.reserveCapacity(n * 32)
    }

    /// Appends a field at the end (existing fields with the same name are kept).
    public mutating func append(_ name: String, _ value: String) {
        let nameStart = storage.count
        storage.append(contentsOf: name.utf8)
        let nameEnd = storage.count
        storage.append(contentsOf: value.utf8)
        makeRoomForSlot()
        let key = storage.withUnsafeBufferPointer { FieldSlot.key(of: UnsafeBufferPointer(rebasing: $0[nameStart..<nameEnd])) }
        slots.append(FieldSlot(nameStart: Self.offset(nameStart), nameEnd: Self.offset(nameEnd),
                               valueStart: Self.offset(nameEnd), valueEnd: Self.offset(storage.count),
                               key: key, isValidated: false))
    }

    /// The value of the first field called `name`, or nil.
    public func first(_ name: String) -> String? {
        guard let index = firstIndex(of: name) else { return nil }
        return storage.withUnsafeBufferPointer { String(decoding: slots[index].value(in: $0), as: UTF8.self) }
    }

    /// Calls `body` with the bytes of the first field called `name` (nil if there is none), without
    /// creating a String.
    public func withFirstValue<R>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let index = firstIndex(of: name) else { return body(nil) }
        return storage.withUnsafeBufferPointer { body(slots[index].value(in: $0)) }
    }

    /// The values of every field called `name`, in order.
    public func values(_ name: String) -> [String] {
        FieldNameQuery.with(name) { query in
            storage.withUnsafeBufferPointer { s in
                var result: [String] = []
                for slot in slots where query.matches(slot, in: s) {
                    result.append(String(decoding: slot.value(in: s), as: UTF8.self))
                }
                return result
            }
        }
    }

    /// True if at least one field is called `name`.
    public func contains(_ name: String) -> Bool {
        firstIndex(of: name) != nil
    }

    /// Number of fields called `name`.
    public func count(_ name: String) -> Int {
        FieldNameQuery.with(name) { query in
            storage.withUnsafeBufferPointer { s in
                var n = 0
                for slot in slots where query.matches(slot, in: s) { n += 1 }
                return n
            }
        }
    }

    /// True if some field name contains `byte`, e.g. `_` (checked without creating Strings).
    public func anyNameContains(_ byte: UInt8) -> Bool {
        storage.withUnsafeBufferPointer { s in
            slots.contains { $0.name(in: s).contains(byte) }
        }
    }

    /// Removes every field called `name`.
    public mutating func remove(_ name: String) {
        guard let index = firstIndex(of: name) else { return }
        removeMatches(name, from: index)
    }

    /// Replaces the value of the first field called `name` and removes the others,
    /// or appends the field if there is none.
    public mutating func replaceOrAppend(_ name: String, _ value: String) {
        guard let index = firstIndex(of: name) else {
            append(name, value)
            return
        }
        let valueStart = storage.count
        storage.append(contentsOf: value.utf8)
        makeRoomForSlot()
        slots[index].valueStart = Self.offset(valueStart)
        slots[index].valueEnd = Self.offset(storage.count)
        slots[index].isValidated = false
        removeMatches(name, from: index + 1)
    }

    /// True if any field `name` has `token` as an element of its comma-separated list
    /// (case-insensitive), e.g. `hasToken("close", in: "Connection")`.
    public func hasToken(_ token: String, in name: String) -> Bool {
        FieldNameQuery.with(name) { query in
            FieldNameQuery.with(token) { token in
                storage.withUnsafeBufferPointer { s in
                    slots.contains { slot in
                        query.matches(slot, in: s)
                            && ASCII.anyListElement(slot.value(in: s), where: { ASCII.equalsIgnoringCase($0, token.bytes) })
                    }
                }
            }
        }
    }

    /// Index of the first slot called `name`.
    func firstIndex(of name: String) -> Int? {
        FieldNameQuery.with(name) { query in
            storage.withUnsafeBufferPointer { s in slots.firstIndex { query.matches($0, in: s) } }
        }
    }

    /// Removes the slots called `name` at or after `start`, keeping the others in order (their
    /// bytes stay in storage). Writes nothing, so copies nothing, until a slot actually goes.
    private mutating func removeMatches(_ name: String, from start: Int) {
        let storage = self.storage
        FieldNameQuery.with(name) { query in
            storage.withUnsafeBufferPointer { s in
                var write = start
                for read in start..<slots.count where !query.matches(slots[read], in: s) {
                    if write != read {
                        if write + 1 == read { makeRoomForSlot() }
                        slots[write] = slots[read]
                    }
                    write += 1
                }
                if write < slots.count { slots.removeSubrange(write...) }
            }
        }
    }

    /// Slots reserved beyond the current count when the slot array is (re)allocated for writing:
    /// a proxy appends a few fields (X-Forwarded-*, X-Request-Id) to every head it forwards.
    static let slotHeadroom = 8

    /// Before the first write to `slots`: a parsed (exactly sized, usually shared) slot array is
    /// copied once with headroom instead of once now and again on the next append.
    @inline(__always)
    private mutating func makeRoomForSlot() {
        if slots.capacity <= slots.count { slots.reserveCapacity(slots.count + Self.slotHeadroom) }
    }

    /// A storage offset as a slot field. Security invariant: never truncated.
    @inline(__always)
    static func offset(_ n: Int) -> UInt32 {
        guard let offset = UInt32(exactly: n) else { preconditionFailure("header storage above 4 GiB") }
        return offset
    }
}
