/// Number and column formatting for reports, without Foundation's formatters (output must not depend
/// on the locale).
enum TextFormat {
    /// Nanoseconds as microseconds with one decimal: `123456` → `"123.5"`.
    static func micros(_ nanoseconds: UInt64) -> String {
        let tenths = (UInt128(nanoseconds) + 50) / 100
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Signed nanoseconds as microseconds with one decimal: `-1250` → `"-1.3"`.
    static func micros(signed nanoseconds: Int64) -> String {
        nanoseconds < 0 ? "-" + micros(nanoseconds.magnitude) : "+" + micros(UInt64(nanoseconds))
    }

    /// `value` with `decimals` digits after the point, rounded half away from zero.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = value.magnitude * Double(scale) + 0.5
        guard scaled < 1.8e19 else { return value < 0 ? "-huge" : "huge" }
        let units = UInt64(scaled)
        var text = "\(units / scale)"
        if decimals > 0 {
            let fraction = String(units % scale)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (value < 0 && units > 0 ? "-" : "") + text
    }

    /// Right-aligns `text` in `width` columns.
    static func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// Left-aligns `text` in `width` columns.
    static func left(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// A latency table: one row per labelled summary, columns min p50 p90 p99 p99.9 max mean in µs.
    static func latencyTable(_ rows: [(label: String, summary: LatencySummary)]) -> String {
        let labelWidth = max(12, rows.map(\.label.count).max() ?? 0)
        let columns = ["min", "p50", "p90", "p99", "p99.9", "max", "mean"]
        var text = left("latency (µs)", labelWidth) + columns.map { right($0, 10) }.joined() + "\n"
        for row in rows {
            let s = row.summary
            let values = [s.minNanoseconds, s.p50Nanoseconds, s.p90Nanoseconds, s.p99Nanoseconds,
                          s.p999Nanoseconds, s.maxNanoseconds].map(micros)
                + [fixed(s.meanNanoseconds / 1000, decimals: 1)]
            text += left(row.label, labelWidth) + values.map { right($0, 10) }.joined() + "\n"
        }
        return text
    }
}
