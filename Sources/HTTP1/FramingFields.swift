/// The fields that decide framing and connection handling, collected in one pass over a head.
///
/// Security invariants (RFC 9112 6.1, 6.3; each a distinct rejection):
/// - Content-Length is digits only, exactly one value: two fields or a list (`5, 5`) are rejected
///   rather than deduplicated, and overflow is rejected;
/// - Content-Length together with Transfer-Encoding is rejected (never "TE wins");
/// - Transfer-Encoding is interpreted over all its fields as one list.
struct FramingFields: Sendable {
    /// How the Transfer-Encoding list ends.
    enum TransferCoding: Equatable, Sendable {
        /// No Transfer-Encoding field.
        case absent
        /// Exactly `chunked`.
        case chunked
        /// Other codings followed by a single, final `chunked` (e.g. `gzip, chunked`).
        case otherThenChunked
        /// The final coding is not `chunked`, or `chunked` appears more than once.
        case chunkedNotFinal
    }

    var contentLength: Int?
    var transferCoding = TransferCoding.absent
    var hostCount = 0
    var hostValue: String?
    var connectionClose = false
    var connectionKeepAlive = false
    var expectContinue = false

    /// Collects the framing fields of `headers`; throws on a malformed or repeated Content-Length.
    init(_ headers: HTTPHeaders) throws(HTTPParseError) {
        var codings = 0
        var chunkedCount = 0
        var lastIsChunked = false
        for field in headers {
            let name = field.name.utf8
            switch name.count {
            case 4 where ASCII.equalsIgnoringCase(name, "host".utf8):
                hostCount += 1
                hostValue = field.value
            case 6 where ASCII.equalsIgnoringCase(name, "expect".utf8):
                if ASCII.equalsIgnoringCase(field.value.utf8, "100-continue".utf8) { expectContinue = true }
            case 10 where ASCII.equalsIgnoringCase(name, "connection".utf8):
                _ = ASCII.anyListElement(field.value.utf8) { token in
                    if ASCII.equalsIgnoringCase(token, "close".utf8) { connectionClose = true }
                    if ASCII.equalsIgnoringCase(token, "keep-alive".utf8) { connectionKeepAlive = true }
                    return false
                }
            case 14 where ASCII.equalsIgnoringCase(name, "content-length".utf8):
                if contentLength != nil { throw HTTPParseError(.multipleContentLength) }
                contentLength = try Self.parseContentLength(field.value.utf8)
            case 17 where ASCII.equalsIgnoringCase(name, "transfer-encoding".utf8):
                _ = ASCII.anyListElement(field.value.utf8) { coding in
                    codings += 1
                    lastIsChunked = ASCII.equalsIgnoringCase(coding, "chunked".utf8)
                    if lastIsChunked { chunkedCount += 1 }
                    return false
                }
                if transferCoding == .absent { transferCoding = .chunkedNotFinal }
            default:
                break
            }
        }
        if transferCoding != .absent {
            if !lastIsChunked || chunkedCount != 1 {
                transferCoding = .chunkedNotFinal
            } else {
                transferCoding = codings == 1 ? .chunked : .otherThenChunked
            }
        }
    }

    /// `1*DIGIT` with overflow detection. A comma means a list of lengths: rejected as repeated.
    static func parseContentLength(_ value: String.UTF8View) throws(HTTPParseError) -> Int {
        if value.isEmpty { throw HTTPParseError(.invalidContentLength) }
        var n = 0
        for b in value {
            if b == ASCII.comma { throw HTTPParseError(.multipleContentLength) }
            guard ASCII.isDigit(b) else { throw HTTPParseError(.invalidContentLength) }
            let (times10, o1) = n.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(b - UInt8(ascii: "0")))
            if o1 || o2 { throw HTTPParseError(.invalidContentLength) }
            n = sum
        }
        return n
    }

    /// `uri-host [":" port]` characters only: unreserved, sub-delims, `%`, `:`, `[`, `]`.
    static func isValidHost(_ value: String) -> Bool {
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "%"),
                 UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
                 UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
                 UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"):
                continue
            default:
                return false
            }
        }
        return true
    }
}
