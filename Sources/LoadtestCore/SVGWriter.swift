import TextCoding
/// A minimal SVG string builder: just the elements the charts use, with XML escaping of text.
struct SVGWriter {
    private var body: String

    init(width: Double, height: Double) {
        body = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" "
        body += "viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" font-family=\"sans-serif\">\n"
        body += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
    }

    /// A coordinate with one decimal.
    static func n(_ value: Double) -> String { TextFormat.fixed(value, decimals: 1) }

    /// See `MarkupText.escape`.
    static func escape(_ text: String) -> String { MarkupText.escape(text) }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1) {
        body += "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" "
        body += "stroke=\"\(stroke)\" stroke-width=\"\(Self.n(width))\"/>\n"
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, stroke: String) {
        body += "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" "
        body += "fill=\"none\" stroke=\"\(stroke)\"/>\n"
    }

    mutating func text(_ text: String, x: Double, y: Double, anchor: String, size: Int, rotate: Bool = false) {
        body += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\""
        if rotate { body += " transform=\"rotate(-90 \(Self.n(x)) \(Self.n(y)))\"" }
        body += ">\(Self.escape(text))</text>\n"
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String) {
        let list = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        body += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"2\"/>\n"
    }

    func finish() -> String { body + "</svg>\n" }
}
