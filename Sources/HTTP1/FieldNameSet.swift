/// A fixed set of field names, matched ASCII case-insensitively against parsed field names without
/// creating Strings: what a proxy drops from a head it forwards.
public struct FieldNameSet: Sendable {
    private var names: [[UInt8]] = []
    private var keys: [UInt32] = []
    /// The names with `_` read as `-` (for the underscore-alias check).
    private var hyphenated: [[UInt8]] = []

    /// The set of `names` (any case).
    public init(_ names: [String]) {
        for name in names { insert(name) }
    }

    /// Adds `name` (any case); a name already present is not added twice.
    public mutating func insert(_ name: String) {
        let bytes = name.utf8.map(ASCII.lower)
        guard !names.contains(bytes) else { return }
        names.append(bytes)
        keys.append(bytes.withUnsafeBufferPointer { FieldSlot.key(of: $0) })
        hyphenated.append(bytes.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 })
    }

    /// This set plus `other`'s names.
    public func union(_ other: FieldNameSet) -> FieldNameSet {
        var result = self
        for name in other.names where !result.names.contains(name) {
            result.names.append(name)
            result.keys.append(name.withUnsafeBufferPointer { FieldSlot.key(of: $0) })
            result.hyphenated.append(name.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 })
        }
        return result
    }

    /// True if `name` is in the set (ASCII case-insensitive). `key` is `FieldSlot.key(of: name)`.
    @inline(__always)
    func contains(_ name: UnsafeBufferPointer<UInt8>, key: UInt32) -> Bool {
        for i in keys.indices where keys[i] == key {
            if names[i].withUnsafeBufferPointer({ ASCII.equalsIgnoringCase(name, $0) }) { return true }
        }
        return false
    }

    /// True if `name`, with each `_` read as `-`, equals a name of the set (`X_Auth_Subject` for
    /// `x-auth-subject`). Only names containing `_` are checked.
    func containsAlias(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.contains(UInt8(ascii: "_")) else { return false }
        for candidate in hyphenated where candidate.count == name.count {
            var equal = true
            for i in 0..<name.count {
                let b = name[i] == UInt8(ascii: "_") ? UInt8(ascii: "-") : ASCII.lower(name[i])
                if b != candidate[i] { equal = false; break }
            }
            if equal { return true }
        }
        return false
    }
}
