/// Produces the body events of one message according to its framing.
struct BodyDecoder: Sendable {
    private enum State: Sendable {
        case remaining(Int)
        case untilClose
        case chunked(ChunkedBodyDecoder)
    }

    private var state: State

    init(framing: BodyFraming, limits: HTTPLimits) {
        switch framing {
        case .none: state = .remaining(0)
        case .contentLength(let n): state = .remaining(n)
        case .untilClose: state = .untilClose
        case .chunked: state = .chunked(ChunkedBodyDecoder(limits: limits))
        }
    }

    /// True when the peer closing now ends the body cleanly.
    var endsAtClose: Bool {
        switch state {
        case .untilClose: return true
        case .remaining(let n): return n == 0
        case .chunked: return false
        }
    }

    mutating func decode(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (step: ChunkedBodyDecoder.Step, consumed: Int) {
        switch state {
        case .remaining(let n):
            if n == 0 { return (.end, 0) }
            if bytes.isEmpty { return (.needMore, 0) }
            let k = min(n, bytes.count)
            state = .remaining(n - k)
            return (.body(0..<k), k)
        case .untilClose:
            if bytes.isEmpty { return (.needMore, 0) }
            return (.body(0..<bytes.count), bytes.count)
        case .chunked(var decoder):
            let result = try decoder.decode(bytes)
            state = .chunked(decoder)
            return result
        }
    }
}

extension BodyDecoder {
    /// One body step as a parser event (`.needMore`, `.body(range)` or `.end`) and the bytes it
    /// consumed: the body state of `RequestParser` and `ResponseParser` alike.
    mutating func event<Head>(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (event: ParseEvent<Head>, consumed: Int) {
        let (step, consumed) = try decode(bytes)
        switch step {
        case .needMore: return (.needMore, consumed)
        case .body(let range): return (.body(range), consumed)
        case .end: return (.end, consumed)
        }
    }
}
