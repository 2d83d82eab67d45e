#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An SVG chart of latency by percentile, one line per series (e.g. direct versus gateway), written
/// as a plain string.
///
/// Both axes are logarithmic. The x axis is the percentile spread by "nines", `log10(1 / (1 - q))`,
/// so 0%, 90%, 99%, 99.9%... are evenly spaced and the tail gets as much room as the median (the
/// HdrHistogram plot). The y axis is latency on a log scale, with decade grid lines (1 µs, 10 µs, ...).
public struct LatencyChart: Sendable {
    /// One line of the chart.
    public struct Series: Sendable {
        /// Legend label.
        public var name: String
        /// Samples to plot.
        public var histogram: LatencyHistogram

        /// Memberwise initializer.
        public init(name: String, histogram: LatencyHistogram) {
            self.name = name
            self.histogram = histogram
        }
    }

    /// Title drawn above the plot.
    public var title: String
    /// Lines, in legend order. Empty histograms are listed in the legend but not drawn.
    public var series: [Series]

    /// Memberwise initializer.
    public init(title: String, series: [Series]) {
        self.title = title
        self.series = series
    }

    static let width = 800.0, height = 480.0
    static let plotLeft = 80.0, plotRight = 770.0, plotTop = 50.0, plotBottom = 410.0
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
    /// Points per decade of nines.
    static let pointsPerNine = 24

    /// The x range in nines: enough for the largest sample count (one nine per decade of samples),
    /// between 2 (99%) and 6 (99.9999%).
    var maxNines: Int {
        let largest = series.map(\.histogram.count).max() ?? 0
        var nines = 0
        var remaining = largest
        while remaining >= 10 { remaining /= 10; nines += 1 }
        return min(max(nines, 2), 6)
    }

    /// The y range as decades of microseconds (floor of the smallest, ceiling of the largest).
    var decades: (low: Int, high: Int) {
        let drawn = series.filter { !$0.histogram.isEmpty }
        guard !drawn.isEmpty else { return (0, 3) }
        let low = drawn.map { Self.log10Micros($0.histogram.min) }.min()!
        let high = drawn.map { Self.log10Micros($0.histogram.max) }.max()!
        let lowDecade = Int(floor(low))
        // 10^15 µs = 10^18 ns is the largest decade that fits in UInt64.
        return (lowDecade, min(max(Int(ceil(high)), lowDecade + 1), 15))
    }

    /// `log10` of a nanosecond value in microseconds, 1 ns at the least.
    static func log10Micros(_ nanoseconds: UInt64) -> Double {
        log10(Double(max(nanoseconds, 1)) / 1000)
    }

    /// The polyline points of one series, as (nines, latency ns) pairs, ending at the maximum.
    func points(of histogram: LatencyHistogram) -> [(nines: Double, nanoseconds: UInt64)] {
        guard !histogram.isEmpty else { return [] }
        let steps = maxNines * Self.pointsPerNine
        var result: [(Double, UInt64)] = []
        for step in 0..<steps {
            let nines = Double(step) / Double(Self.pointsPerNine)
            let percentile = (1 - pow(10, -nines)) * 100
            result.append((nines, histogram.value(atPercentile: percentile)))
        }
        result.append((Double(maxNines), histogram.max))
        return result
    }

    /// The complete SVG document.
    public func svg() -> String {
        let (low, high) = decades
        let nines = Double(maxNines)
        func x(_ value: Double) -> Double { Self.plotLeft + (Self.plotRight - Self.plotLeft) * value / nines }
        func y(_ nanoseconds: UInt64) -> Double {
            let fraction = (Self.log10Micros(nanoseconds) - Double(low)) / Double(high - low)
            return Self.plotBottom - (Self.plotBottom - Self.plotTop) * min(max(fraction, 0), 1)
        }
        var svg = SVGWriter(width: Self.width, height: Self.height)
        svg.text(title, x: Self.width / 2, y: 28, anchor: "middle", size: 16)
        for decade in low...high {
            let nanoseconds = Self.nanoseconds(ofDecade: decade)
            let lineY = y(nanoseconds)
            svg.line(x1: Self.plotLeft, y1: lineY, x2: Self.plotRight, y2: lineY, stroke: "#dddddd")
            svg.text(Self.durationLabel(decade: decade), x: Self.plotLeft - 8, y: lineY + 4, anchor: "end", size: 12)
        }
        for nine in 0...maxNines {
            let lineX = x(Double(nine))
            svg.line(x1: lineX, y1: Self.plotTop, x2: lineX, y2: Self.plotBottom, stroke: "#dddddd")
            svg.text(Self.percentileLabel(nines: nine), x: lineX, y: Self.plotBottom + 18, anchor: "middle", size: 12)
        }
        svg.rect(x: Self.plotLeft, y: Self.plotTop, width: Self.plotRight - Self.plotLeft,
                 height: Self.plotBottom - Self.plotTop, stroke: "#333333")
        svg.text("percentile", x: (Self.plotLeft + Self.plotRight) / 2, y: Self.height - 20, anchor: "middle", size: 13)
        svg.text("latency", x: 18, y: (Self.plotTop + Self.plotBottom) / 2, anchor: "middle", size: 13, rotate: true)
        for (index, line) in series.enumerated() {
            let color = Self.colors[index % Self.colors.count]
            let points = self.points(of: line.histogram).map { (x($0.nines), y($0.nanoseconds)) }
            if !points.isEmpty { svg.polyline(points, stroke: color) }
            let legendY = Self.plotTop + 20 + Double(index) * 20
            svg.line(x1: Self.plotLeft + 12, y1: legendY - 4, x2: Self.plotLeft + 36, y2: legendY - 4, stroke: color, width: 3)
            svg.text(line.name, x: Self.plotLeft + 42, y: legendY, anchor: "start", size: 13)
        }
        return svg.finish()
    }

    /// `10^decade` µs in nanoseconds (decade ≥ -3).
    static func nanoseconds(ofDecade decade: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<(decade + 3) { value *= 10 }
        return value
    }

    /// `1 µs`, `10 µs`, `100 µs`, `1 ms`, ... for decade exponents of microseconds.
    static func durationLabel(decade: Int) -> String {
        let units = [(-3, "ns"), (0, "µs"), (3, "ms"), (6, "s")]
        let unit = units.last { $0.0 <= decade } ?? units[0]
        return "1" + String(repeating: "0", count: decade - unit.0) + " " + unit.1
    }

    /// `0%`, `90%`, `99%`, `99.9%`, ... for a number of nines.
    static func percentileLabel(nines: Int) -> String {
        switch nines {
        case 0: return "0%"
        case 1: return "90%"
        case 2: return "99%"
        default: return "99." + String(repeating: "9", count: nines - 2) + "%"
        }
    }
}
