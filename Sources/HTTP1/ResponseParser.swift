/// Incremental, strict HTTP/1.1 response parser for the upstream side (RFC 9112), pure.
///
/// Driven like `RequestParser`, with two additions:
/// - call `expectResponse(toMethod:)` before each response, so responses to HEAD get no body;
/// - when the upstream closes, call `finish()`: it ends an `.untilClose` body, or reports that
///   a message was cut short.
///
/// Informational responses (100-199) are reported as a lone `.head` (no `.end`); the parser
/// then parses the final response to the same request. A 101 is rejected, because the gateway
/// never asks the upstream to switch protocols.
public struct ResponseParser: Sendable {
    private enum State: Sendable {
        case head(HeadScanner)
        case body(BodyDecoder)
        case failed(HTTPParseError)
    }

    /// The limits this parser enforces.
    public let limits: HTTPLimits
    private var state: State
    private var requestMethod: String?
    /// The last head's arrays, refilled by the next head once the caller has dropped it.
    private var recycler = HeaderRecycler()

    /// Creates a parser waiting for a response head.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        self.state = .head(HeadScanner(startLineTooLong: .statusLineTooLong))
    }

    /// Forgets any message in progress (or a failure): the parser waits for a new response head,
    /// as a new parser would, but keeps the arrays it recycles. For a new upstream connection.
    public mutating func reset() {
        state = .head(HeadScanner(startLineTooLong: .statusLineTooLong))
        requestMethod = nil
    }

    /// Call before each response with the request method (HEAD responses have no body).
    public mutating func expectResponse(toMethod method: String) {
        requestMethod = method
    }

    /// Parses the next event from `bytes`; returns it and how many bytes of `bytes` it consumed.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError)
        -> (event: ParseEvent<ParsedResponse>, consumed: Int) {
        do throws(HTTPParseError) {
            switch state {
            case .failed(let error):
                throw error
            case .head(var scanner):
                let layout = try scanner.scan(bytes, limits: limits)
                state = .head(scanner)
                guard let layout else { return (.needMore, 0) }
                let response = try makeResponse(bytes, layout)
                if response.head.status >= 200 {
                    state = .body(BodyDecoder(framing: response.framing, limits: limits))
                }
                return (.head(response), layout.end)
            case .body(var decoder):
                let (event, consumed): (ParseEvent<ParsedResponse>, Int) = try decoder.event(bytes)
                if case .end = event { endMessage() } else { state = .body(decoder) }
                return (event, consumed)
            }
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// The peer closed: returns `.end` if an `.untilClose` body (or nothing) was in progress,
    /// else throws `prematureEnd` (a truncated head, Content-Length or chunked body).
    public mutating func finish() throws(HTTPParseError) -> ParseEvent<ParsedResponse> {
        switch state {
        case .failed(let error):
            throw error
        case .head(let scanner):
            if scanner.hasPartialHead { try fail(.prematureEnd) }
            return .end
        case .body(let decoder):
            if !decoder.endsAtClose { try fail(.prematureEnd) }
            endMessage()
            return .end
        }
    }

    private mutating func fail(_ code: HTTPParseError.Code) throws(HTTPParseError) -> Never {
        state = .failed(HTTPParseError(code))
        throw HTTPParseError(code)
    }

    private mutating func endMessage() {
        state = .head(HeadScanner(startLineTooLong: .statusLineTooLong))
        requestMethod = nil
    }

    private mutating func makeResponse(_ bytes: UnsafeRawBufferPointer, _ layout: HeadLayout) throws(HTTPParseError) -> ParsedResponse {
        let line = try StatusLine.parse(bytes, line: layout.startLine)
        if line.status == 101 { throw HTTPParseError(.unexpectedSwitchingProtocols) }
        let headers = try FieldLineParser.parseSection(bytes, section: layout.fields, count: layout.fieldCount, recycler: &recycler)
        let head = ResponseHead(status: line.status, reason: line.reason, version: line.version, headers: headers)
        let decided = try MessageFraming.response(head, requestMethod: requestMethod, limits: limits)
        return ParsedResponse(head: head, framing: decided.framing, keepAlive: decided.keepAlive)
    }
}
