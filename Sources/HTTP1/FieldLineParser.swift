/// Parses field lines (headers and trailers) with RFC 9112 section 5 strictness.
///
/// Security invariants, each a distinct rejection:
/// - a line starting with SP/HTAB (obs-fold) is rejected, never unfolded: proxies that unfold
///   and servers that don't see different fields;
/// - no whitespace between the name and the colon (`Content-Length : 5` is how a second,
///   invisible Content-Length gets past one parser and not another);
/// - names are tokens; values contain no CR, LF, NUL, DEL or other control except HTAB.
enum FieldLineParser {
    /// Validates the field line `bytes[line]` (without CRLF) and returns the ranges of its name
    /// and of its value with OWS trimmed.
    static func split(_ bytes: UnsafeRawBufferPointer, line: Range<Int>) throws(HTTPParseError)
        -> (name: Range<Int>, value: Range<Int>) {
        let end = line.upperBound
        let name = try Self.name(bytes, from: line.lowerBound, limit: end) { $0 == end }
        let value = trimmed(bytes, (name.upperBound + 1)..<end)
        if !ByteScan.isFieldValue(bytes, from: value.lowerBound, to: value.upperBound) { throw HTTPParseError(.invalidFieldValue) }
        return (name, value)
    }

    /// `split` for a line of a complete field section (every line ends in CRLF, as `HeadScanner`
    /// checked), finding the line's end in the same pass that validates the value: the first control
    /// byte after the name must be the line's CR (HTAB excepted), so the value bytes are read once
    /// instead of once to find the LF and again to validate. Same rejections, same order, as `split`.
    /// Returns the name, the value (OWS trimmed) and where the next line starts.
    @inline(__always)
    static func splitLine(_ bytes: UnsafeRawBufferPointer, from lineStart: Int, sectionEnd: Int) throws(HTTPParseError)
        -> (name: Range<Int>, value: Range<Int>, next: Int) {
        let name = try Self.name(bytes, from: lineStart, limit: sectionEnd) { $0 == sectionEnd || isLineEnd(bytes, $0, sectionEnd) }
        var scan = name.upperBound + 1
        while let c = ByteScan.firstControl(in: bytes, from: scan, to: sectionEnd) {
            if bytes[c] == ASCII.tab { scan = c + 1; continue }
            guard isLineEnd(bytes, c, sectionEnd) else { throw HTTPParseError(.invalidFieldValue) }
            return (name, trimmed(bytes, (name.upperBound + 1)..<c), c + 2)
        }
        throw HTTPParseError(.missingColon)   // unreachable: every line of the section ends in CRLF
    }

    /// The name of the field line starting at `lineStart`: token characters up to the colon.
    /// `isLineEnd(i)` tells whether position `i` is where the line ends. Rejections, in this order:
    /// obs-fold, no colon, whitespace before the colon, a name that is empty or not a token.
    @inline(__always)
    private static func name(_ bytes: UnsafeRawBufferPointer, from lineStart: Int, limit: Int,
                             isLineEnd: (Int) -> Bool) throws(HTTPParseError) -> Range<Int> {
        var i = lineStart
        if i < limit && ASCII.isWhitespace(bytes[i]) { throw HTTPParseError(.obsFold) }
        while i < limit && ASCII.isTokenChar(bytes[i]) { i += 1 }
        if isLineEnd(i) { throw HTTPParseError(.missingColon) }
        if bytes[i] != ASCII.colon {
            throw HTTPParseError(ASCII.isWhitespace(bytes[i]) ? .whitespaceBeforeColon : .invalidFieldName)
        }
        if i == lineStart { throw HTTPParseError(.invalidFieldName) }
        return lineStart..<i
    }

    /// `range` without leading and trailing SP / HTAB (OWS).
    @inline(__always)
    private static func trimmed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var stop = range.upperBound
        while start < stop && ASCII.isWhitespace(bytes[start]) { start += 1 }
        while stop > start && ASCII.isWhitespace(bytes[stop - 1]) { stop -= 1 }
        return start..<stop
    }

    /// CR LF at `i`.
    @inline(__always)
    private static func isLineEnd(_ bytes: UnsafeRawBufferPointer, _ i: Int, _ end: Int) -> Bool {
        i + 1 < end && bytes[i] == ASCII.cr && bytes[i + 1] == ASCII.lf
    }

    /// Parses `count` CRLF-terminated field lines in `bytes[section]` into headers: one copy of
    /// the section's bytes plus one slot per line, no String per field. The arrays come from
    /// `recycler` (the previous head's, refilled in place when no longer shared) and go back to it.
    static func parseSection(_ bytes: UnsafeRawBufferPointer, section: Range<Int>, count: Int,
                             recycler: inout HeaderRecycler) throws(HTTPParseError) -> HTTPHeaders {
        var (storage, slots) = recycler.take(bytes: section.count, fields: count)
        let base = section.lowerBound
        let typed = bytes.assumingMemoryBound(to: UInt8.self)
        var lineStart = base
        while lineStart < section.upperBound {
            let (name, value, next) = try splitLine(bytes, from: lineStart, sectionEnd: section.upperBound)
            let key = FieldSlot.key(of: UnsafeBufferPointer(rebasing: typed[name]))
            slots.append(FieldSlot(nameStart: UInt32(name.lowerBound - base), nameEnd: UInt32(name.upperBound - base),
                                   valueStart: UInt32(value.lowerBound - base), valueEnd: UInt32(value.upperBound - base),
                                   key: key, isValidated: true))
            lineStart = next
        }
        storage.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[section]))
        var headers = HTTPHeaders(storage: storage, slots: slots)
        if ByteScan.hasHighBit(bytes, from: section.lowerBound, to: section.upperBound) { headers.repairValues() }
        recycler.keep(headers)
        return headers
    }

    /// `parseSection` with new arrays.
    static func parseSection(_ bytes: UnsafeRawBufferPointer, section: Range<Int>, count: Int) throws(HTTPParseError) -> HTTPHeaders {
        var recycler = HeaderRecycler()
        return try parseSection(bytes, section: section, count: count, recycler: &recycler)
    }

    /// Decodes `bytes[range]` as a String (obs-text bytes that are not UTF-8 become U+FFFD).
    @inline(__always)
    static func string(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
