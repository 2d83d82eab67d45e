/// Byte classification helpers shared by the path, header and challenge code.
enum ByteClass {
    /// RFC 3986 unreserved: `ALPHA / DIGIT / "-" / "." / "_" / "~"`.
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// The value of a hex digit (either case), or `nil`.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The uppercase hex digit for a nibble.
    @inline(__always)
    static func upperHex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    /// RFC 9110 `tchar` (token characters of methods, header names and auth schemes).
    @inline(__always)
    static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}

/// The part of a path segment used for route matching: everything before the first `;` or `%3B`
/// (path parameters), the way Tomcat/Jetty/Spring upstreams see the segment.
enum SegmentName {
    /// Range of the name within `segment` of `bytes`.
    static func nameRange<C: RandomAccessCollection>(_ bytes: C, _ segment: Range<Int>) -> Range<Int>
    where C.Element == UInt8, C.Index == Int {
        var i = segment.lowerBound
        while i < segment.upperBound {
            let byte = bytes[i]
            if byte == UInt8(ascii: ";") { return segment.lowerBound..<i }
            if byte == UInt8(ascii: "%"), i + 2 < segment.upperBound, bytes[i + 1] == UInt8(ascii: "3"),
               bytes[i + 2] == UInt8(ascii: "B") || bytes[i + 2] == UInt8(ascii: "b") {
                return segment.lowerBound..<i
            }
            i += 1
        }
        return segment
    }
}
