extension String {
    /// Byte-for-byte UTF-8 equality. Identifiers (`iss`, `kid`, `aud`) must match exactly;
    /// Swift's `==` is canonical equivalence (e.g. U+212A KELVIN SIGN == "K"), which is too loose.
    func hasSameBytes(as other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                pa.count == pb.count && (pa.count == 0 || memcmpEqual(pa, pb))
            }
        }
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
}
