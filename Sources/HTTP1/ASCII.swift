/// Byte classes from RFC 9110 / RFC 9112 and ASCII case-insensitive comparison.
/// Internal: the parsers and `HTTPHeaders` share these so every check means the same thing.
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B

    /// `tchar` bits for bytes 0x00-0x3F: `!#$%&'*+-.` and the digits.
    private static let tokenBitsLow: UInt64 = 0x03FF_6CFA_0000_0000
    /// `tchar` bits for bytes 0x40-0x7F: the letters and `^_`|~`.
    private static let tokenBitsHigh: UInt64 = 0x57FF_FFFF_C7FF_FFFE

    /// `tchar` (RFC 9110 5.6.2): the characters of a method or field-name token
    /// (`!#$%&'*+-.^_`|~`, digits, letters), as a branch-free bitmap lookup.
    @inline(__always)
    static func isTokenChar(_ b: UInt8) -> Bool {
        let bits = b < 0x40 ? tokenBitsLow : (b < 0x80 ? tokenBitsHigh : 0)
        return (bits >> UInt64(b & 0x3F)) & 1 == 1
    }

    /// `field-vchar` or whitespace: VCHAR, obs-text, SP, HTAB. Excludes CR, LF, NUL, other CTLs and DEL.
    @inline(__always)
    static func isFieldValueChar(_ b: UInt8) -> Bool {
        (b >= 0x20 && b != 0x7F) || b == tab
    }

    /// A byte allowed in an origin-form request target: visible ASCII except `#`.
    @inline(__always)
    static func isTargetChar(_ b: UInt8) -> Bool {
        b > 0x20 && b < 0x7F && b != UInt8(ascii: "#")
    }

    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool { b == space || b == tab }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b &- UInt8(ascii: "A") &+ 10)
        default: return nil
        }
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) ? b | 0x20 : b
    }

    /// ASCII case-insensitive equality of two byte sequences (no allocation).
    static func equalsIgnoringCase<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
        guard a.count == b.count else { return false }
        var i = a.startIndex
        var j = b.startIndex
        while i != a.endIndex {
            if lower(a[i]) != lower(b[j]) { return false }
            a.formIndex(after: &i)
            b.formIndex(after: &j)
        }
        return true
    }

    /// ASCII case-insensitive equality of two byte buffers (the hot path of every name lookup).
    @inline(__always)
    static func equalsIgnoringCase(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var i = 0
        while i < a.count {
            if a[i] != b[i] && lower(a[i]) != lower(b[i]) { return false }
            i &+= 1
        }
        return true
    }

    /// ASCII case-insensitive equality of bytes and a literal, e.g. `equalsIgnoringCase(name, "host")`.
    @inline(__always)
    static func equalsIgnoringCase<C: Collection<UInt8>>(_ a: C, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { equalsIgnoringCase(a, $0) }
    }

    /// Fast path for two Strings: compares their contiguous UTF-8 storage directly.
    static func equalsIgnoringCase(_ a: String.UTF8View, _ b: String.UTF8View) -> Bool {
        guard a.count == b.count else { return false }
        let fast = a.withContiguousStorageIfAvailable { pa in
            b.withContiguousStorageIfAvailable { pb in
                for i in 0..<pa.count where lower(pa[i]) != lower(pb[i]) { return false }
                return true
            }
        }
        if let result = fast ?? nil { return result }
        return zip(a, b).allSatisfy { lower($0) == lower($1) }
    }

    /// Calls `body` with each element of a comma-separated list (RFC 9110 5.6.1), OWS trimmed,
    /// empty elements skipped. Stops early when `body` returns true; returns whether it did.
    static func anyListElement<C: BidirectionalCollection<UInt8>>(
        _ list: C, where body: (C.SubSequence) -> Bool
    ) -> Bool {
        var start = list.startIndex
        while start != list.endIndex {
            var end = start
            while end != list.endIndex && list[end] != comma { list.formIndex(after: &end) }
            var s = start
            var e = end
            while s != e && isWhitespace(list[s]) { list.formIndex(after: &s) }
            while s != e && isWhitespace(list[list.index(before: e)]) { list.formIndex(before: &e) }
            if s != e && body(list[s..<e]) { return true }
            start = end == list.endIndex ? end : list.index(after: end)
        }
        return false
    }
}
