/// Parses `method SP request-target SP HTTP-version` (RFC 9112 3) strictly.
///
/// Security invariants: exactly one SP between the parts; the method is a token; the target is
/// origin-form (`/` followed by visible ASCII other than `#`, `%` followed by two hex digits) or
/// `*` for OPTIONS; absolute-form and authority-form are rejected so the routing decision is
/// always made on the path the upstream will see, with the authority taken only from Host.
enum RequestLine {
    static func parse(_ bytes: UnsafeRawBufferPointer, line: Range<Int>) throws(HTTPParseError)
        -> (method: String, target: String, version: HTTPVersion) {
        var i = line.lowerBound
        let end = line.upperBound
        while i < end && bytes[i] != ASCII.space {
            if bytes[i] == ASCII.tab { throw HTTPParseError(.invalidRequestLine) }
            if !ASCII.isTokenChar(bytes[i]) { throw HTTPParseError(.invalidMethod) }
            i += 1
        }
        if i == line.lowerBound { throw HTTPParseError(.invalidMethod) }
        if i == end { throw HTTPParseError(.invalidRequestLine) }
        let method = line.lowerBound..<i
        let targetStart = i + 1
        var j = targetStart
        while j < end && bytes[j] != ASCII.space { j += 1 }
        if j == targetStart || j == end { throw HTTPParseError(.invalidRequestLine) }
        let target = targetStart..<j
        let version = try HTTPVersionParser.parse(bytes, (j + 1)..<end)
        try validateTarget(bytes, target, method: method)
        return (FieldLineParser.string(bytes, method), FieldLineParser.string(bytes, target), version)
    }

    private static func validateTarget(_ bytes: UnsafeRawBufferPointer, _ target: Range<Int>, method: Range<Int>)
        throws(HTTPParseError) {
        let first = bytes[target.lowerBound]
        if first == UInt8(ascii: "*") && target.count == 1 {
            let options: StaticString = "OPTIONS"
            let isOptions = options.withUTF8Buffer { $0.elementsEqual(UnsafeRawBufferPointer(rebasing: bytes[method])) }
            if isOptions { return }
            throw HTTPParseError(.unsupportedTargetForm)
        }
        var i = target.lowerBound
        while i < target.upperBound {
            let b = bytes[i]
            if !ASCII.isTargetChar(b) { throw HTTPParseError(.invalidRequestTarget) }
            if b == UInt8(ascii: "%") {
                guard i + 2 < target.upperBound, ASCII.hexValue(bytes[i + 1]) != nil, ASCII.hexValue(bytes[i + 2]) != nil
                else { throw HTTPParseError(.invalidRequestTarget) }
                i += 2
            }
            i += 1
        }
        if first != UInt8(ascii: "/") { throw HTTPParseError(.unsupportedTargetForm) }
    }
}

/// Parses the `HTTP/1.0` / `HTTP/1.1` token of a start line.
enum HTTPVersionParser {
    /// Exactly `HTTP/1.0` or `HTTP/1.1`; another well-formed `HTTP/d.d` is `unsupportedVersion`,
    /// anything else (case variants, spaces, more digits) is `invalidVersion`.
    static func parse(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) throws(HTTPParseError) -> HTTPVersion {
        guard range.count == 8 else { throw HTTPParseError(.invalidVersion) }
        let s = range.lowerBound
        let prefix: StaticString = "HTTP/"
        let prefixOK = prefix.withUTF8Buffer { $0.elementsEqual(UnsafeRawBufferPointer(rebasing: bytes[s..<(s + 5)])) }
        guard prefixOK, ASCII.isDigit(bytes[s + 5]), bytes[s + 6] == UInt8(ascii: "."), ASCII.isDigit(bytes[s + 7])
        else { throw HTTPParseError(.invalidVersion) }
        let version = HTTPVersion(major: Int(bytes[s + 5] - UInt8(ascii: "0")), minor: Int(bytes[s + 7] - UInt8(ascii: "0")))
        guard version == .http1_1 || version == .http1_0 else { throw HTTPParseError(.unsupportedVersion) }
        return version
    }
}
