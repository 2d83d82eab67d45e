/// A fixed set of field names, matched ASCII case-insensitively against parsed field names without
/// creating Strings: what a proxy drops from a head it forwards.
///
/// Storage is flat (all lowercased names in one byte array, one entry of offsets and key per name):
/// a lookup touches two arrays, not one array per name, which keeps it free of per-name retains on
/// the request path.
public struct FieldNameSet: Sendable {
    fileprivate struct Entry: Sendable {
        var start: Int
        var end: Int
        var key: UInt32
    }
    /// Lowercased names, back to back.
    private var bytes: [UInt8] = []
    private var entries: [Entry] = []

    /// The empty set.
    public static let empty = FieldNameSet([])

    /// The set of `names` (any case).
    public init(_ names: [String]) {
        for name in names { insert(name) }
    }

    /// Adds `name` (any case); a name already present is not added twice.
    public mutating func insert(_ name: String) {
        let lowered = name.utf8.map(ASCII.lower)
        guard !lowered.isEmpty, !contains(lowered) else { return }
        let start = bytes.count
        bytes.append(contentsOf: lowered)
        let key = lowered.withUnsafeBufferPointer { FieldSlot.key(of: $0) }
        entries.append(Entry(start: start, end: bytes.count, key: key))
    }

    private func contains(_ lowered: [UInt8]) -> Bool {
        lowered.withUnsafeBufferPointer { contains($0, key: FieldSlot.key(of: $0)) }
    }

    /// True if `name` is in the set (ASCII case-insensitive). `key` is `FieldSlot.key(of: name)`.
    @inline(__always)
    func contains(_ name: UnsafeBufferPointer<UInt8>, key: UInt32) -> Bool {
        withView { $0.contains(name, key: key) }
    }

    /// True if `name`, with each `_` read as `-`, equals a name of the set (`X_Auth_Subject` for
    /// `x-auth-subject`). Only names containing `_` are checked.
    func containsAlias(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        withView { $0.containsAlias(name) }
    }

    /// Calls `body` with a view of the set on borrowed pointers: a loop over many fields looks
    /// names up without retaining the set's arrays once per field.
    @inline(__always)
    func withView<R>(_ body: (View) -> R) -> R {
        entries.withUnsafeBufferPointer { entries in
            bytes.withUnsafeBufferPointer { bytes in body(View(entries: entries, bytes: bytes)) }
        }
    }

    /// The set's storage, borrowed for the duration of `withView`.
    struct View {
        fileprivate let entries: UnsafeBufferPointer<Entry>
        fileprivate let bytes: UnsafeBufferPointer<UInt8>

        /// See `FieldNameSet.contains(_:key:)`.
        @inline(__always)
        func contains(_ name: UnsafeBufferPointer<UInt8>, key: UInt32) -> Bool {
            for entry in entries where entry.key == key {
                if ASCII.equalsIgnoringCase(name, UnsafeBufferPointer(rebasing: bytes[entry.start..<entry.end])) { return true }
            }
            return false
        }

        /// See `FieldNameSet.containsAlias(_:)`.
        func containsAlias(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
            guard name.contains(UInt8(ascii: "_")) else { return false }
            for entry in entries where entry.end - entry.start == name.count {
                var equal = true
                for i in 0..<name.count {
                    let b = name[i] == UInt8(ascii: "_") ? UInt8(ascii: "-") : ASCII.lower(name[i])
                    let c = bytes[entry.start + i] == UInt8(ascii: "_") ? UInt8(ascii: "-") : bytes[entry.start + i]
                    if b != c { equal = false; break }
                }
                if equal { return true }
            }
            return false
        }
    }
}
