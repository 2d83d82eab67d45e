/// A zero-allocation scanner for the one response shape a benchmark target sends millions of times:
/// `HTTP/1.1 <2xx-5xx>`, exactly one `Content-Length`, no `Transfer-Encoding`, no `Connection: close`.
///
/// It only recognises; it never guesses. Anything else — HTTP/1.0, 1xx/204/304, chunked or
/// close-delimited bodies, a repeated `Content-Length`, a bare LF, `Connection` naming `close`, a head
/// longer than `maximumHeadBytes` — is `.unsupported`, and the engine hands that response to HTTP1's
/// strict `ResponseParser`, which applies every check and limit. So the fast path can only ever accept
/// responses the strict parser would also frame the same way; it saves allocating header strings.
public enum ResponseFastPath {
    /// What the scan found at the start of the buffer.
    public enum Scan: Sendable, Equatable {
        /// A whole response of `length` bytes (head and body) with `status`.
        case complete(status: Int, length: Int)
        /// Nothing disqualifying yet, but the head or the body is not all there: read more.
        case incomplete
        /// Not the simple shape: parse this response with `ResponseParser`.
        case unsupported
    }

    /// Heads longer than this go to the strict parser (which enforces its own limits).
    public static let maximumHeadBytes = 8192
    /// Bodies longer than this go to the strict parser (the fast path wants the whole response buffered).
    public static let maximumBodyBytes = 65536

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// Scans `bytes`, which begin at a response. `requestWasHead` responses are always `.unsupported`.
    public static func scan(_ bytes: UnsafeRawBufferPointer, requestWasHead: Bool = false) -> Scan {
        if requestWasHead { return .unsupported }
        let n = bytes.count
        // "HTTP/1.1 200 " or "HTTP/1.1 200\r\n"
        let prefix: StaticString = "HTTP/1.1 "
        let prefixLength = prefix.utf8CodeUnitCount
        for i in 0..<min(n, prefixLength) where bytes[i] != prefix.utf8Start[i] { return .unsupported }
        guard n >= 13 else { return .incomplete }
        var status = 0
        for i in 9..<12 {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d <= 9 else { return .unsupported }
            status = status * 10 + Int(d)
        }
        guard (200...599).contains(status), status != 204, status != 304,
              bytes[12] == UInt8(ascii: " ") || bytes[12] == cr else { return .unsupported }
        var lineStart = 0
        var contentLength = -1
        var i = 12
        while true {
            // Find the next LF; it must follow a CR.
            while i < n && bytes[i] != lf { i += 1 }
            if i >= n { return n > maximumHeadBytes ? .unsupported : .incomplete }
            guard i > lineStart, bytes[i - 1] == cr else { return .unsupported }
            if i > maximumHeadBytes { return .unsupported }
            let lineEnd = i - 1
            if lineStart > 0 {
                if lineEnd == lineStart {   // the empty line: end of head
                    guard contentLength >= 0 else { return .unsupported }
                    let total = i + 1 + contentLength
                    return total <= n ? .complete(status: status, length: total) : .incomplete
                }
                switch field(bytes, lineStart, lineEnd) {
                case .other: break
                case .unsupported: return .unsupported
                case .contentLength(let value):
                    guard contentLength < 0 else { return .unsupported }   // a repeated Content-Length
                    contentLength = value
                }
            }
            i += 1
            lineStart = i
        }
    }

    private enum Field { case other, unsupported, contentLength(Int) }

    /// Classifies one field line `bytes[start..<end]` (without CRLF).
    private static func field(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Field {
        var colon = start
        while colon < end && bytes[colon] != UInt8(ascii: ":") { colon += 1 }
        guard colon < end, colon > start else { return .unsupported }
        let first = bytes[start] | 0x20
        guard first == UInt8(ascii: "c") || first == UInt8(ascii: "t") else { return .other }
        var valueStart = colon + 1, valueEnd = end
        while valueStart < valueEnd && (bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09) { valueStart += 1 }
        while valueEnd > valueStart && (bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09) { valueEnd -= 1 }
        if nameEquals(bytes, start, colon, "content-length") {
            guard valueEnd > valueStart, valueEnd - valueStart <= 6 else { return .unsupported }
            var value = 0
            for k in valueStart..<valueEnd {
                let d = bytes[k] &- UInt8(ascii: "0")
                guard d <= 9 else { return .unsupported }
                value = value * 10 + Int(d)
            }
            return value <= maximumBodyBytes ? .contentLength(value) : .unsupported
        }
        if nameEquals(bytes, start, colon, "transfer-encoding") { return .unsupported }
        if nameEquals(bytes, start, colon, "connection") {
            // Only a plain `keep-alive` stays on the fast path; `close` or any list goes to the strict parser.
            return valueEquals(bytes, valueStart, valueEnd, "keep-alive") ? .other : .unsupported
        }
        return .other
    }

    private static func nameEquals(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ lower: StaticString) -> Bool {
        valueEquals(bytes, start, end, lower)
    }

    /// ASCII case-insensitive comparison of `bytes[start..<end]` with a lowercase literal.
    private static func valueEquals(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ lower: StaticString) -> Bool {
        guard end - start == lower.utf8CodeUnitCount else { return false }
        let p = lower.utf8Start
        for k in 0..<(end - start) {
            var b = bytes[start + k]
            if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") { b |= 0x20 }
            if b != p[k] { return false }
        }
        return true
    }
}
