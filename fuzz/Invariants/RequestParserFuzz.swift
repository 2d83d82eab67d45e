import HTTP1
import TextCoding

/// `request-parser`: the request parser fed whole, in random splits and byte by byte.
///
/// Invariants: the three feeds agree exactly (items, body bytes, error); a `Content-Length` body
/// has exactly that many bytes; every accepted head re-serializes (HTTPSerializer) to a head the
/// parser accepts again with the same method, target, version, fields, framing and keep-alive.
enum RequestParserFuzz {
    static func run(_ bytes: [UInt8]) {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 1 << 20
        let parser = RequestParser(limits: limits)
        let outcome = MessageFeed.splitInvariant(parser, bytes, label: "request")
        MessageFeed.checkBodies(outcome, framing: \.framing) { reparse($0, parser) }
    }

    /// The serialized head parses back to the same request.
    static func reparse(_ request: ParsedRequest, _ parser: RequestParser) {
        var head: [UInt8] = []
        HTTPSerializer.writeRequestHead(request.head, into: &head)
        let again = MessageFeed.feed(parser, [head])
        guard case .head(let reparsed)? = again.items.first else {
            return FuzzCheck.require(false, "re-serialized head \(String(decoding: head, as: UTF8.self).debugDescription) not accepted: \(again)")
        }
        FuzzCheck.require(reparsed == request, "re-serialized head reads differently: \(request) -> \(reparsed)")
    }

    /// How the parser frames `bytes` fed whole, as one JSON line for the h11 differential:
    /// `{"messages":[{"method":..,"body":n,"keepAlive":b}...],"error":"code"|null,"partial":bool}`; a message is
    /// listed once its end was reached, `partial` says a further message had started.
    static func framingJSON(_ bytes: [UInt8]) -> String {
        let outcome = MessageFeed.feed(RequestParser(), [bytes])
        var messages: [String] = []
        var method = "", body = 0, open = false, keepAlive = true
        for item in outcome.items {
            switch item {
            case .head(let request): method = request.head.method; body = 0; open = true; keepAlive = request.keepAlive
            case .body(let piece): body += piece.count
            case .end:
                messages.append("{\"method\":\(JSONText.string(method)),\"body\":\(body),\"keepAlive\":\(keepAlive)}")
                open = false
            }
        }
        let error = outcome.error.map { JSONText.string($0.code.rawValue) } ?? "null"
        let partial = open || (outcome.error == nil && outcome.unconsumed > 0)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "{\"fnv\":\"\(String(hash, radix: 16))\",\"messages\":[\(messages.joined(separator: ","))],\"error\":\(error),\"partial\":\(partial)}"
    }
}
