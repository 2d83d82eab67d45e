extension String {
    /// Byte-for-byte UTF-8 equality. Identifiers (`iss`, `kid`, `aud`) must match exactly;
    /// Swift's `==` is canonical equivalence (e.g. U+212A KELVIN SIGN == "K"), which is too loose.
    ///
    /// Reads both strings' storage in place (native strings are contiguous UTF-8): no copy, so no
    /// retain and release of either per call; other representations compare element by element.
    func hasSameBytes(as other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        let fast = a.withContiguousStorageIfAvailable { pa in
            b.withContiguousStorageIfAvailable { pb in bytesEqual(UnsafeRawBufferPointer(pa), UnsafeRawBufferPointer(pb)) }
        }
        return (fast ?? nil) ?? a.elementsEqual(b)
    }
}

/// Byte equality of two buffers, eight bytes at a time (the one such loop in JOSE: names, `iss`,
/// remembered header segments).
func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    let n = a.count
    guard n == b.count else { return false }
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
