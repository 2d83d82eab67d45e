/// Parses `HTTP-version SP status-code SP [reason-phrase]` (RFC 9112 4).
///
/// Lenient in one documented way: `HTTP/1.1 200` without the SP before an empty reason is
/// accepted, as common servers send it. The status must be three digits from 100 to 999.
enum StatusLine {
    static func parse(_ bytes: UnsafeRawBufferPointer, line: Range<Int>) throws(HTTPParseError)
        -> (version: HTTPVersion, status: Int, reason: String) {
        let s = line.lowerBound
        guard line.count >= 12, bytes[s + 8] == ASCII.space else { throw HTTPParseError(.invalidStatusLine) }
        let version = try HTTPVersionParser.parse(bytes, s..<(s + 8))
        var status = 0
        for k in (s + 9)..<(s + 12) {
            guard ASCII.isDigit(bytes[k]) else { throw HTTPParseError(.invalidStatusLine) }
            status = status * 10 + Int(bytes[k] - UInt8(ascii: "0"))
        }
        guard status >= 100 else { throw HTTPParseError(.invalidStatusLine) }
        var reason = ""
        if line.count > 12 {
            guard bytes[s + 12] == ASCII.space else { throw HTTPParseError(.invalidStatusLine) }
            let phrase = (s + 13)..<line.upperBound
            for k in phrase where !ASCII.isFieldValueChar(bytes[k]) { throw HTTPParseError(.invalidStatusLine) }
            reason = FieldLineParser.string(bytes, phrase)
        }
        return (version, status, reason)
    }
}
