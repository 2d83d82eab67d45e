/// Where one field line of an `HTTPHeaders` lies in its byte storage, plus a cheap name key.
///
/// Offsets are `UInt32` to keep a slot at 24 bytes; `HTTPHeaders` refuses storage above 4 GiB.
struct FieldSlot: Sendable {
    var nameStart: UInt32
    var nameEnd: UInt32
    var valueStart: UInt32
    var valueEnd: UInt32
    /// `FieldSlot.key(of:)` of the name: compared before any byte of the name is.
    var key: UInt32
    /// True when the parser validated the bytes (token name; value without CR, LF, NUL or other
    /// controls except HTAB). Anything else is sanitized by the serializer.
    var isValidated: Bool

    /// The name bytes inside `storage`.
    @inline(__always)
    func name(in storage: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: storage[Int(nameStart)..<Int(nameEnd)])
    }

    /// The value bytes inside `storage`.
    @inline(__always)
    func value(in storage: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: storage[Int(valueStart)..<Int(valueEnd)])
    }

    /// A case-insensitive summary of a name: its length (saturated at 0xFFFF) and its case-folded
    /// first and last bytes. Equal names have equal keys; unequal keys prove unequal names.
    @inline(__always)
    static func key(of name: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let first = name.first, let last = name.last else { return 0 }
        return UInt32(min(name.count, 0xFFFF)) << 16 | UInt32(ASCII.lower(first)) << 8 | UInt32(ASCII.lower(last))
    }
}

/// A field name looked up in `HTTPHeaders`: its bytes and key, computed once per lookup.
struct FieldNameQuery {
    let bytes: UnsafeBufferPointer<UInt8>
    let key: UInt32

    @inline(__always)
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.key = FieldSlot.key(of: bytes)
    }

    /// True if `slot`'s name equals this name, ignoring ASCII case.
    @inline(__always)
    func matches(_ slot: FieldSlot, in storage: UnsafeBufferPointer<UInt8>) -> Bool {
        slot.key == key && ASCII.equalsIgnoringCase(slot.name(in: storage), bytes)
    }

    /// Calls `body` with the query for `name` (its UTF-8 bytes, borrowed without copying when contiguous).
    @inline(__always)
    static func with<R>(_ name: String, _ body: (FieldNameQuery) -> R) -> R {
        if let result = name.utf8.withContiguousStorageIfAvailable({ body(FieldNameQuery($0)) }) { return result }
        return Array(name.utf8).withUnsafeBufferPointer { body(FieldNameQuery($0)) }
    }
}

/// `FieldSlot.key(of:)` of the names the parsers and the hop-by-hop filter look for, as literals
/// so a field is skipped with one integer compare (`HeaderStorageTests` checks each against the
/// function). A key match is always confirmed by comparing the bytes.
enum WellKnownFieldKey {
    static let host: UInt32 = 0x0004_6874               // 4, 'h', 't'
    static let expect: UInt32 = 0x0006_6574             // 6, 'e', 't'
    static let connection: UInt32 = 0x000A_636E         // 10, 'c', 'n'
    static let keepAlive: UInt32 = 0x000A_6B65          // 10, 'k', 'e'
    static let contentLength: UInt32 = 0x000E_6368      // 14, 'c', 'h'
    static let transferEncoding: UInt32 = 0x0011_7467   // 17, 't', 'g'
    static let te: UInt32 = 0x0002_7465                 // 2, 't', 'e'
    static let trailer: UInt32 = 0x0007_7472            // 7, 't', 'r'
    static let upgrade: UInt32 = 0x0007_7565            // 7, 'u', 'e'
    static let proxyConnection: UInt32 = 0x0010_706E    // 16, 'p', 'n'
}
