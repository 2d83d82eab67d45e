@testable import HTTP1

/// The chunked body decoder alone, seen as a parser of one body (no head).
struct ChunkedFeed: FeedableParser {
    struct NoHead: Equatable, Sendable {}

    var decoder: ChunkedBodyDecoder
    private var ended = false

    init(limits: HTTPLimits) { decoder = ChunkedBodyDecoder(limits: limits) }

    mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (event: ParseEvent<NoHead>, consumed: Int) {
        if ended { return (.needMore, 0) }
        let (step, consumed) = try decoder.decode(bytes)
        switch step {
        case .needMore: return (.needMore, consumed)
        case .body(let range): return (.body(range), consumed)
        case .end:
            ended = true
            return (.end, consumed)
        }
    }

    mutating func startMessage() {}
}

/// `chunked-decoder`: a `Transfer-Encoding: chunked` body fed whole, in random splits and byte by byte.
///
/// Invariants: the feeds agree exactly; the decoded body never exceeds `maxBodyBytes`; a body
/// that ends re-encodes (random chunk sizes, `HTTPSerializer.writeChunkHeader`) to bytes that
/// decode to the same body and end exactly at their last byte.
enum ChunkedDecoderFuzz {
    static func run(_ bytes: [UInt8]) {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 1 << 16
        let feed = ChunkedFeed(limits: limits)
        let outcome = MessageFeed.splitInvariant(feed, bytes, label: "chunked")
        var body: [UInt8] = []
        for case .body(let piece) in outcome.items { body += piece }
        FuzzCheck.require(body.count <= limits.maxBodyBytes, "decoded \(body.count) bytes past the body limit")
        guard outcome.items.last == .end else { return }
        var random = FuzzRandom(seededBy: bytes)
        var encoded: [UInt8] = []
        var start = 0
        while start < body.count {
            let length = min(body.count - start, 1 + random.below(64))
            HTTPSerializer.writeChunkHeader(length: length, into: &encoded)
            encoded += body[start..<(start + length)]
            encoded += HTTPSerializer.crlf
            start += length
        }
        encoded += HTTPSerializer.lastChunk
        let again = MessageFeed.feed(feed, [encoded])
        var reencoded: [UInt8] = []
        for case .body(let piece) in again.items { reencoded += piece }
        FuzzCheck.require(again.error == nil && again.items.last == .end && again.unconsumed == 0 && reencoded == body,
                          "re-encoded body does not decode back: \(again)")
    }
}
