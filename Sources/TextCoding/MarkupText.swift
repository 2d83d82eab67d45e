/// Escaping for HTML and XML (SVG) text and attribute values: `& < > " '` become character
/// references. The one escaper for the development issuer's pages and loadtest's charts.
public enum MarkupText {
    /// `text` with `&`, `<`, `>`, `"` and `'` escaped (`&#39;` for the apostrophe: valid in HTML and XML).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
