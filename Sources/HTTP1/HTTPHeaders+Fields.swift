extension HTTPHeaders: Equatable {
    /// Iterates the fields in order, creating each `HTTPField` on demand.
    public struct Iterator: IteratorProtocol {
        private let headers: HTTPHeaders
        private var index = 0

        init(_ headers: HTTPHeaders) { self.headers = headers }

        /// The next field, or nil after the last.
        public mutating func next() -> HTTPField? {
            guard index < headers.slots.count else { return nil }
            defer { index += 1 }
            return headers.field(at: index)
        }
    }

    /// Iterates the fields in order.
    public func makeIterator() -> Iterator { Iterator(self) }

    /// The number of fields.
    public var underestimatedCount: Int { slots.count }

    /// The field at slot `index`, decoded (bytes that are not UTF-8 become U+FFFD).
    func field(at index: Int) -> HTTPField {
        storage.withUnsafeBufferPointer { s in
            HTTPField(name: String(decoding: slots[index].name(in: s), as: UTF8.self),
                      value: String(decoding: slots[index].value(in: s), as: UTF8.self))
        }
    }

    /// Same fields in the same order, names compared case-sensitively, with `String` equality
    /// (bytes are compared first; non-ASCII text falls back to Unicode canonical equivalence).
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        guard lhs.slots.count == rhs.slots.count else { return false }
        return lhs.storage.withUnsafeBufferPointer { l in
            rhs.storage.withUnsafeBufferPointer { r in
                for (a, b) in zip(lhs.slots, rhs.slots) {
                    guard sameText(a.name(in: l), b.name(in: r)), sameText(a.value(in: l), b.value(in: r)) else {
                        return false
                    }
                }
                return true
            }
        }
    }

    /// Byte equality, or `String` equality when either side has non-ASCII bytes.
    private static func sameText(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.elementsEqual(b) { return true }
        if a.allSatisfy({ $0 < 0x80 }) && b.allSatisfy({ $0 < 0x80 }) { return false }
        return String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self)
    }
}

extension HTTPHeaders {
    /// Replaces each value that is not valid UTF-8 by its decoding (invalid sequences become
    /// U+FFFD), so a parsed value's bytes are exactly those of the `String` callers see and the
    /// serializer forwards what `first`/`values` showed.
    mutating func repairValues() {
        for index in slots.indices {
            let repaired: String? = storage.withUnsafeBufferPointer { s in
                let value = slots[index].value(in: s)
                guard value.contains(where: { $0 >= 0x80 }) else { return nil }
                let decoded = String(decoding: value, as: UTF8.self)
                return decoded.utf8.elementsEqual(value) ? nil : decoded
            }
            guard let repaired else { continue }
            let start = storage.count
            storage.append(contentsOf: repaired.utf8)
            slots[index].valueStart = Self.offset(start)
            slots[index].valueEnd = Self.offset(storage.count)
        }
    }
}

extension HTTPHeaders: CustomDebugStringConvertible {
    /// The fields as `[name: value, ...]` in order (for test failures and debugging, not for logs:
    /// values may hold credentials).
    public var debugDescription: String {
        "[" + map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]"
    }
}
