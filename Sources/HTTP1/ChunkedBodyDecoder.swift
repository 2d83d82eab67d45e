/// Decodes a `Transfer-Encoding: chunked` body (RFC 9112 7.1) from the caller's buffer.
///
/// Consumption contract: complete chunk-size lines, data CRLFs and trailer lines are consumed as
/// they are recognised, so `.needMore` may come with `consumed > 0`. An incomplete line is never
/// consumed: it stays in the caller's buffer, and the decoder remembers how far it scanned.
///
/// Security invariants:
/// - the chunk size is 1+ hex digits only (no `0x`, sign or whitespace) and overflow-checked;
/// - chunk extensions are bounded by `maxChunkLineBytes`, may not contain control characters,
///   and are ignored;
/// - chunk data must be followed by exactly CRLF;
/// - the running total is bounded by `maxBodyBytes`; trailers by the header limits and the same
///   field rules, may not be `Content-Length` or `Transfer-Encoding`, and are then discarded
///   (never merged into the head).
struct ChunkedBodyDecoder: Sendable {
    enum Step: Sendable { case needMore, body(Range<Int>), end }

    private enum Phase: Sendable { case sizeLine, data(remaining: Int), dataEnd, trailers }

    private var phase = Phase.sizeLine
    /// Bytes of the current, unconsumed line already searched for LF.
    private var scanned = 0
    private var total = 0
    private var trailerBytes = 0
    private var trailerCount = 0
    private let limits: HTTPLimits

    init(limits: HTTPLimits) { self.limits = limits }

    mutating func decode(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (step: Step, consumed: Int) {
        var pos = 0
        while true {
            switch phase {
            case .sizeLine:
                guard let lf = try findLine(bytes, from: pos) else {
                    if bytes.count - pos > limits.maxChunkLineBytes + 1 { throw HTTPParseError(.chunkLineTooLong) }
                    return (.needMore, pos)
                }
                if lf - 1 - pos > limits.maxChunkLineBytes { throw HTTPParseError(.chunkLineTooLong) }
                let size = try Self.parseSizeLine(bytes, pos..<(lf - 1))
                pos = lf + 1
                if size == 0 {
                    phase = .trailers
                } else {
                    if size > limits.maxBodyBytes - total { throw HTTPParseError(.bodyTooLarge) }
                    total += size
                    phase = .data(remaining: size)
                }
            case .data(let remaining):
                let available = bytes.count - pos
                if available == 0 { return (.needMore, pos) }
                let n = min(remaining, available)
                phase = n == remaining ? .dataEnd : .data(remaining: remaining - n)
                return (.body(pos..<(pos + n)), pos + n)
            case .dataEnd:
                let available = bytes.count - pos
                if available >= 1 && bytes[pos] != ASCII.cr { throw HTTPParseError(.invalidChunkFraming) }
                if available >= 2 && bytes[pos + 1] != ASCII.lf { throw HTTPParseError(.invalidChunkFraming) }
                if available < 2 { return (.needMore, pos) }
                pos += 2
                phase = .sizeLine
            case .trailers:
                guard let lf = try findLine(bytes, from: pos) else {
                    if trailerBytes + bytes.count - pos > limits.maxHeaderBytes {
                        throw HTTPParseError(.trailerSectionTooLarge)
                    }
                    return (.needMore, pos)
                }
                trailerBytes += lf + 1 - pos
                if trailerBytes > limits.maxHeaderBytes { throw HTTPParseError(.trailerSectionTooLarge) }
                let line = pos..<(lf - 1)
                pos = lf + 1
                if line.isEmpty { return (.end, pos) }
                trailerCount += 1
                if trailerCount > limits.maxHeaderCount { throw HTTPParseError(.trailerSectionTooLarge) }
                let (name, _) = try FieldLineParser.split(bytes, line: line)
                if Self.isFramingField(bytes, name) { throw HTTPParseError(.framingFieldInTrailer) }
            }
        }
    }

    /// Whether `bytes[name]` is `Content-Length` or `Transfer-Encoding` (any case). Framing fields
    /// are not allowed in trailers (RFC 9110 §6.5.1); the trailers are discarded anyway, but a parser
    /// downstream that reads them must never see one (found by the h11 differential: h11 refuses them).
    static func isFramingField(_ bytes: UnsafeRawBufferPointer, _ name: Range<Int>) -> Bool {
        for candidate in [Self.contentLength, Self.transferEncoding] where candidate.count == name.count {
            var equal = true
            for (k, c) in candidate.enumerated() where bytes[name.lowerBound + k] | 0x20 != c {
                equal = false
                break
            }
            if equal { return true }
        }
        return false
    }

    private static let contentLength = Array("content-length".utf8)
    private static let transferEncoding = Array("transfer-encoding".utf8)

    /// Finds the LF ending the line that starts at `start`, resuming from `scanned`.
    private mutating func findLine(_ bytes: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> Int? {
        if let i = ByteScan.firstIndex(of: ASCII.lf, in: bytes, from: start + scanned, to: bytes.count) {
            guard i > start, bytes[i - 1] == ASCII.cr else { throw HTTPParseError(.bareLineFeed) }
            scanned = 0
            return i
        }
        scanned = bytes.count - start
        return nil
    }

    /// `chunk-size [chunk-ext]` without CRLF: hex digits, then nothing or `;` and extension bytes.
    static func parseSizeLine(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws(HTTPParseError) -> Int {
        var i = line.lowerBound
        var size = 0
        while i < line.upperBound, let digit = ASCII.hexValue(bytes[i]) {
            if size > (Int.max >> 4) { throw HTTPParseError(.invalidChunkSize) }
            size = size << 4 | digit
            i += 1
        }
        if i == line.lowerBound { throw HTTPParseError(.invalidChunkSize) }
        guard i < line.upperBound else { return size }
        guard bytes[i] == ASCII.semicolon else { throw HTTPParseError(.invalidChunkSize) }
        i += 1
        while i < line.upperBound {
            if !ASCII.isFieldValueChar(bytes[i]) { throw HTTPParseError(.invalidChunkExtension) }
            i += 1
        }
        return size
    }
}
