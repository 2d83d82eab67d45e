/// Word-at-a-time (SWAR) byte searches over a raw buffer: the hot loops of the parsers.
///
/// Each loads 8 bytes as a little-endian `UInt64` and uses the classic "has zero byte" bit trick;
/// the first flagged byte is exact (false positives can only occur above a real match), so the
/// lowest flag gives the first match. The tail is scanned byte by byte.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Index of the first `byte` in `bytes[from..<to]`, or nil.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        var i = from
        if let base = bytes.baseAddress {
            let pattern = ones &* UInt64(byte)
            while i &+ 8 <= to {
                let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ pattern
                let found = (x &- ones) & ~x & highs
                if found != 0 { return i &+ (found.trailingZeroBitCount >> 3) }
                i &+= 8
            }
        }
        while i < to {
            if bytes[i] == byte { return i }
            i &+= 1
        }
        return nil
    }

    /// Index of the first control byte (below 0x20, or DEL 0x7F) in `bytes[from..<to]`, or nil.
    /// HTAB counts as a control byte here; callers that allow it skip it and search again.
    @inline(__always)
    static func firstControl(in bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        var i = from
        if let base = bytes.baseAddress {
            let del = ones &* 0x7F
            while i &+ 8 <= to {
                let w = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                // Bytes below 0x20 (only exact for bytes without the high bit; those are re-checked below).
                let below = (w &- ones &* 0x20) & ~w & highs
                let x = w ^ del
                let isDel = (x &- ones) & ~x & highs
                if below | isDel != 0 {
                    for k in i..<(i &+ 8) where bytes[k] < 0x20 || bytes[k] == 0x7F { return k }
                }
                i &+= 8
            }
        }
        while i < to {
            let b = bytes[i]
            if b < 0x20 || b == 0x7F { return i }
            i &+= 1
        }
        return nil
    }

    /// True if `bytes[from..<to]` holds only field-value bytes: VCHAR, obs-text, SP and HTAB.
    @inline(__always)
    static func isFieldValue(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Bool {
        var k = from
        while let j = firstControl(in: bytes, from: k, to: to) {
            if bytes[j] != ASCII.tab { return false }
            k = j &+ 1
        }
        return true
    }

    /// True if some byte of `bytes[from..<to]` is 0x80 or above (not ASCII).
    @inline(__always)
    static func hasHighBit(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Bool {
        var i = from
        if let base = bytes.baseAddress {
            while i &+ 8 <= to {
                if UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) & highs != 0 { return true }
                i &+= 8
            }
        }
        while i < to {
            if bytes[i] >= 0x80 { return true }
            i &+= 1
        }
        return false
    }
}
