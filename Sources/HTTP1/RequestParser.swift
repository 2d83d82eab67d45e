/// Incremental, strict HTTP/1.1 request parser (RFC 9112), pure: bytes in, events out.
///
/// Driving it (what the connection layer does):
/// 1. Keep a buffer of unconsumed bytes; call `parse` with all of it.
/// 2. Drop `consumed` bytes from the front. On `.body(range)`, the body bytes are
///    `buffer[range]` of the buffer passed in that call: copy or forward them before dropping.
/// 3. On `.needMore`, wait for more bytes, append, and call again. On any other event call
///    again at once, even with an empty buffer: after `.head` of a body-less request the next
///    call returns `(.end, 0)`.
/// 4. After `.end`, the next call parses the next pipelined request.
///
/// While a head is incomplete, `parse` returns `(.needMore, 0)` and remembers how far it scanned.
/// `.head` consumes exactly the head bytes. Chunked bodies may return `.needMore` with
/// `consumed > 0` (see `ChunkedBodyDecoder`). Any thrown error is final: the connection's framing
/// is lost, so answer `error.status` and close; later calls rethrow the same error.
public struct RequestParser: Sendable {
    private enum State: Sendable {
        case head(HeadScanner)
        case body(BodyDecoder)
        case failed(HTTPParseError)
    }

    /// The limits this parser enforces.
    public let limits: HTTPLimits
    private var state: State
    /// The last head's arrays, refilled by the next head once the caller has dropped it.
    private var recycler = HeaderRecycler()

    /// Creates a parser waiting for the first request head.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        self.state = .head(HeadScanner(startLineTooLong: .requestLineTooLong))
    }

    /// True when no byte of a next message has been seen (a close now loses nothing).
    public var isIdle: Bool {
        if case .head(let scanner) = state { return !scanner.hasPartialHead }
        return false
    }

    /// Parses the next event from `bytes`; returns it and how many bytes of `bytes` it consumed.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError)
        -> (event: ParseEvent<ParsedRequest>, consumed: Int) {
        do throws(HTTPParseError) {
            switch state {
            case .failed(let error):
                throw error
            case .head(var scanner):
                let layout = try scanner.scan(bytes, limits: limits)
                state = .head(scanner)
                guard let layout else { return (.needMore, 0) }
                let request = try Self.makeRequest(bytes, layout, limits: limits, recycler: &recycler)
                state = .body(BodyDecoder(framing: request.framing, limits: limits))
                return (.head(request), layout.end)
            case .body(var decoder):
                let (event, consumed): (ParseEvent<ParsedRequest>, Int) = try decoder.event(bytes)
                if case .end = event { state = .head(HeadScanner(startLineTooLong: .requestLineTooLong)) } else { state = .body(decoder) }
                return (event, consumed)
            }
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private static func makeRequest(_ bytes: UnsafeRawBufferPointer, _ layout: HeadLayout, limits: HTTPLimits,
                                    recycler: inout HeaderRecycler) throws(HTTPParseError) -> ParsedRequest {
        let line = try RequestLine.parse(bytes, line: layout.startLine)
        let headers = try FieldLineParser.parseSection(bytes, section: layout.fields, count: layout.fieldCount, recycler: &recycler)
        let head = RequestHead(method: line.method, target: line.target, version: line.version, headers: headers)
        let decided = try MessageFraming.request(head, limits: limits)
        return ParsedRequest(head: head, framing: decided.framing, keepAlive: decided.keepAlive,
                             expectsContinue: decided.expectsContinue)
    }
}
