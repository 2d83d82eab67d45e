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
            b.withContiguousStorageIfAvailable { pb in pa.count == 0 || memcmpEqual(pa, pb) }
        }
        return (fast ?? nil) ?? a.elementsEqual(b)
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
}
