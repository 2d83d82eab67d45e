/// Writes the Prometheus text exposition format, version 0.0.4: every family starts with `# HELP`
/// and `# TYPE`, label values are escaped (`\\`, `\"`, `\n`), samples of one family are contiguous.
///
/// Security invariant: label values come from bounded sets the gateway owns (route names, upstream
/// names, configured issuers, failure codes), never from a client; escaping only keeps a configured
/// name from breaking the format.
public struct PrometheusText: Sendable {
    /// The document so far.
    public private(set) var text = ""

    /// An empty document.
    public init() {}

    /// Starts a family: `kind` is `counter`, `gauge` or `histogram`.
    public mutating func family(_ name: String, _ kind: String, help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(kind)\n"
    }

    /// One sample `name{labels} value`.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        appendLabels(labels)
        text += " "
        text += Self.format(value)
        text += "\n"
    }

    /// One integer sample.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Int) {
        sample(name, labels, Double(value))
    }

    /// The `_bucket` (cumulative, `le`), `_sum` and `_count` samples of one histogram series.
    public mutating func histogram(_ name: String, _ labels: [(String, String)], _ h: Histogram) {
        var cumulative = 0
        for (i, n) in h.buckets.enumerated() {
            cumulative += n
            let le = i < Histogram.bounds.count ? Self.format(Histogram.bounds[i]) : "+Inf"
            sample(name + "_bucket", labels + [("le", le)], cumulative)
        }
        sample(name + "_sum", labels, h.sum)
        sample(name + "_count", labels, h.count)
    }

    private mutating func appendLabels(_ labels: [(String, String)]) {
        guard !labels.isEmpty else { return }
        text += "{"
        for (i, (k, v)) in labels.enumerated() {
            if i > 0 { text += "," }
            text += k
            text += "=\""
            text += Self.escape(v)
            text += "\""
        }
        text += "}"
    }

    /// A label value escaped for the text format.
    public static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var out = ""
        for c in value.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Integers without a fraction, other values in Swift's shortest round-trip form.
    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
