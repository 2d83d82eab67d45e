/// Where the parts of a complete head lie in the caller's buffer.
struct HeadLayout: Sendable {
    /// The start line without its CRLF.
    var startLine: Range<Int>
    /// The field lines, each ending in CRLF, without the final empty line.
    var fields: Range<Int>
    /// Number of field lines in `fields`.
    var fieldCount: Int
    /// One past the empty line's LF: the number of bytes the head occupies.
    var end: Int
}

/// Finds the end of a message head incrementally and enforces the head limits while scanning.
///
/// The caller passes the same bytes again with more appended; the scanner remembers how far it
/// got, so feeding a head byte by byte costs linear time. Security invariants:
/// - every line must end in CRLF; a bare LF is rejected (parsers that disagree on line ends
///   disagree on where a message ends);
/// - limits are checked before the head is complete, so an endless line or field section is
///   rejected after at most `limit + 1` bytes instead of being buffered.
struct HeadScanner: Sendable {
    /// Bytes already searched; the next call resumes here.
    private(set) var scanned = 0
    private var lineStart = 0
    private var startLine: Range<Int>?
    private var fieldCount = 0

    /// The code to throw when the start line is too long (request vs. status line).
    let startLineTooLong: HTTPParseError.Code

    init(startLineTooLong: HTTPParseError.Code) {
        self.startLineTooLong = startLineTooLong
    }

    /// True once some bytes of a head have been seen (used to detect a premature close).
    var hasPartialHead: Bool { scanned > 0 }

    /// Scans `bytes` (which begin at the head) and returns the layout once the empty line
    /// ending the head is present, or nil if more bytes are needed.
    mutating func scan(_ bytes: UnsafeRawBufferPointer, limits: HTTPLimits) throws(HTTPParseError) -> HeadLayout? {
        if bytes.count < scanned { self = HeadScanner(startLineTooLong: startLineTooLong) }
        var i = scanned
        let count = bytes.count
        while let lf = ByteScan.firstIndex(of: ASCII.lf, in: bytes, from: i, to: count) {
            i = lf
            guard i > lineStart, bytes[i - 1] == ASCII.cr else { throw HTTPParseError(.bareLineFeed) }
            let contentEnd = i - 1
            if let start = startLine {
                if contentEnd == lineStart {
                    let layout = HeadLayout(startLine: start, fields: (start.upperBound + 2)..<lineStart,
                                            fieldCount: fieldCount, end: i + 1)
                    try checkFieldBytes(layout.end - layout.fields.lowerBound, limits: limits)
                    self = HeadScanner(startLineTooLong: startLineTooLong)
                    return layout
                }
                fieldCount += 1
                if fieldCount > limits.maxHeaderCount { throw HTTPParseError(.tooManyHeaders) }
            } else if contentEnd > lineStart {
                // Bytes before the start line are tolerated empty lines (RFC 9112 2.2); they
                // count towards the start-line limit.
                if contentEnd > limits.maxRequestLineBytes { throw HTTPParseError(startLineTooLong) }
                startLine = lineStart..<contentEnd
            }
            i += 1
            lineStart = i
        }
        scanned = count
        if let start = startLine {
            try checkFieldBytes(count - (start.upperBound + 2), limits: limits)
        } else if count > limits.maxRequestLineBytes + 1 {
            throw HTTPParseError(startLineTooLong)
        }
        return nil
    }

    private func checkFieldBytes(_ n: Int, limits: HTTPLimits) throws(HTTPParseError) {
        if n > limits.maxHeaderBytes { throw HTTPParseError(.headerSectionTooLarge) }
    }
}
