import TextCoding
#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 timestamps in UTC with millisecond precision (`2026-12-06T04:58:34.123Z`), the form every
/// log line and access-log record carries. Pure arithmetic (no `gmtime`, no locale, no allocation
/// beyond the output bytes).
public enum RFC3339 {
    /// Milliseconds since the Unix epoch, from the real-time clock.
    public static func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Appends `milliseconds` since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (24 bytes).
    public static func append(milliseconds: Int64, to out: inout [UInt8]) {
        let ms = milliseconds >= 0 ? milliseconds : 0
        let seconds = ms / 1000
        let days = seconds / 86_400
        let secondOfDay = Int(seconds % 86_400)
        let (y, m, d) = CivilDate.from(daysSinceEpoch: days)
        let (year, month, day) = (Int(y), Int(m), Int(d))
        digits(year, 4, &out); out.append(UInt8(ascii: "-"))
        digits(month, 2, &out); out.append(UInt8(ascii: "-"))
        digits(day, 2, &out); out.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2, &out); out.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2, &out); out.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2, &out); out.append(UInt8(ascii: "."))
        digits(Int(ms % 1000), 3, &out); out.append(UInt8(ascii: "Z"))
    }

    /// Remembers the formatted `YYYY-MM-DDTHH:MM:SS.` of the last second it wrote, so consecutive
    /// timestamps within one second cost a copy and three digits (one per writer: not shared).
    public struct Cache: Sendable {
        private var second: Int64 = -1
        private var prefix: [UInt8] = []

        public init() {}

        /// `RFC3339.append(milliseconds:to:)`, from the cached prefix when the second is the same.
        public mutating func append(milliseconds: Int64, to out: inout [UInt8]) {
            let ms = max(0, milliseconds)
            if ms / 1000 != second {
                second = ms / 1000
                prefix.removeAll(keepingCapacity: true)
                RFC3339.append(milliseconds: second * 1000, to: &prefix)
                prefix.removeLast(4)   // "000Z"
            }
            out.append(contentsOf: prefix)
            let fraction = Int(ms % 1000)
            out.append(UInt8(ascii: "0") + UInt8(fraction / 100))
            out.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
            out.append(UInt8(ascii: "0") + UInt8(fraction % 10))
            out.append(UInt8(ascii: "Z"))
        }
    }

    /// The timestamp as a string (log lines).
    public static func string(milliseconds: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        append(milliseconds: milliseconds, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}
