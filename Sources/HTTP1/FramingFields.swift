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
    /// False once a Host value has a character outside `uri-host [":" port]`.
    var hostIsValid = true
    var connectionClose = false
    var connectionKeepAlive = false
    var expectContinue = false

    /// Collects the framing fields of `headers`; throws on a malformed or repeated Content-Length.
    init(_ headers: HTTPHeaders) throws(HTTPParseError) {
        var codings = 0
        var chunkedCount = 0
        var lastIsChunked = false
        let slots = headers.slots
        try headers.storage.withUnsafeBufferPointer { (s) throws(HTTPParseError) in
            for slot in slots {
                let name = slot.name(in: s)
                let value = slot.value(in: s)
                switch slot.key {
                case WellKnownFieldKey.host where ASCII.equalsIgnoringCase(name, "host"):
                    hostCount += 1
                    hostIsValid = Self.isValidHost(value)
                case WellKnownFieldKey.expect where ASCII.equalsIgnoringCase(name, "expect"):
                    if ASCII.equalsIgnoringCase(value, "100-continue") { expectContinue = true }
                case WellKnownFieldKey.connection where ASCII.equalsIgnoringCase(name, "connection"):
                    _ = ASCII.anyListElement(value) { token in
                        if ASCII.equalsIgnoringCase(token, "close") { connectionClose = true }
                        if ASCII.equalsIgnoringCase(token, "keep-alive") { connectionKeepAlive = true }
                        return false
                    }
                case WellKnownFieldKey.contentLength where ASCII.equalsIgnoringCase(name, "content-length"):
                    if contentLength != nil { throw HTTPParseError(.multipleContentLength) }
                    contentLength = try Self.parseContentLength(value)
                case WellKnownFieldKey.transferEncoding where ASCII.equalsIgnoringCase(name, "transfer-encoding"):
                    _ = ASCII.anyListElement(value) { coding in
                        codings += 1
                        lastIsChunked = ASCII.equalsIgnoringCase(coding, "chunked")
                        if lastIsChunked { chunkedCount += 1 }
                        return false
                    }
                    if transferCoding == .absent { transferCoding = .chunkedNotFinal }
                default:
                    break
                }
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
    static func parseContentLength(_ value: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
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
    static func isValidHost(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in value {
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
