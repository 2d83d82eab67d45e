import HTTP1

/// The response parser with the method of the request it answers.
struct ResponseFeed: FeedableParser {
    var parser = ResponseParser()
    let method: String

    mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (event: ParseEvent<ParsedResponse>, consumed: Int) {
        try parser.parse(bytes)
    }

    mutating func startMessage() { parser.expectResponse(toMethod: method) }
}

/// `response-parser`: responses (to a GET, or to a HEAD when the input starts with `HEAD\n`) fed
/// whole, in random splits and byte by byte.
///
/// Invariants: the feeds agree exactly; a `Content-Length` body has exactly that many bytes; a
/// response to HEAD, a 204 and a 304 have no body; every accepted head re-serializes to a head
/// read back identically.
enum ResponseParserFuzz {
    static let headPrefix = Array("HEAD\n".utf8)

    static func run(_ input: [UInt8]) {
        let isHead = input.starts(with: headPrefix)
        let bytes = isHead ? Array(input.dropFirst(headPrefix.count)) : input
        let feed = ResponseFeed(method: isHead ? "HEAD" : "GET")
        let outcome = MessageFeed.splitInvariant(feed, bytes, label: "response")
        MessageFeed.checkBodies(outcome, framing: \.framing) { response in
            var head: [UInt8] = []
            HTTPSerializer.writeResponseHead(response.head, into: &head)
            let again = MessageFeed.feed(feed, [head])
            if case .head(let reparsed)? = again.items.first {
                FuzzCheck.require(reparsed == response, "re-serialized response head reads differently: \(response) -> \(reparsed)")
            } else {
                FuzzCheck.require(false, "re-serialized response head not accepted: \(again)")
            }
            if isHead || response.head.status == 204 || response.head.status == 304 {
                FuzzCheck.require(response.framing == BodyFraming.none, "bodyless response framed as \(response.framing)")
            }
        }
    }
}
