import HTTP1

/// A parser the fuzz targets can feed: the request and response parsers behind one method.
protocol FeedableParser {
    associatedtype Head: Sendable & Equatable
    mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (event: ParseEvent<Head>, consumed: Int)
    /// Called before the first message and after each `.end`.
    mutating func startMessage()
}

extension RequestParser: FeedableParser {
    mutating func startMessage() {}
}

/// What feeding produced: heads, body bytes (consecutive pieces merged, so any split of the same
/// bytes gives the same items), ends, and the error that stopped the parse, if any.
struct FeedOutcome<Head: Equatable>: Equatable {
    enum Item: Equatable {
        case head(Head)
        case body([UInt8])
        case end
    }

    var items: [Item] = []
    var error: HTTPParseError?
    /// Bytes received but not consumed when the pieces ran out (0 after an error).
    var unconsumed = 0
}

/// Drives a parser the way the connection layer does (a buffer of unconsumed bytes, drop
/// `consumed`, copy body ranges before dropping, call again until `.needMore`), checking the
/// parser's side of that contract on every call.
enum MessageFeed {
    static func feed<P: FeedableParser>(_ parser: P, _ pieces: [[UInt8]]) -> FeedOutcome<P.Head> {
        var parser = parser
        parser.startMessage()
        var outcome = FeedOutcome<P.Head>()
        var buffer: [UInt8] = []
        var calls = 0
        for piece in pieces {
            buffer.append(contentsOf: piece)
            while true {
                calls += 1
                FuzzCheck.require(calls < 1_000_000, "parser made no progress")
                let step = parseOnce(&parser, buffer)
                guard case .success(let (event, consumed, body)) = step else {
                    if case .failure(let error) = step { outcome.error = error }
                    return outcome   // after an error, what was not yet fed is not comparable

                }
                FuzzCheck.require(consumed >= 0 && consumed <= buffer.count, "consumed \(consumed) of \(buffer.count)")
                buffer.removeFirst(consumed)
                switch event {
                case .needMore:
                    break
                case .head(let head):
                    outcome.items.append(.head(head))
                    continue
                case .body:
                    if case .body(let previous)? = outcome.items.last {
                        outcome.items[outcome.items.count - 1] = .body(previous + body)
                    } else {
                        outcome.items.append(.body(body))
                    }
                    continue
                case .end:
                    outcome.items.append(.end)
                    parser.startMessage()
                    continue
                }
                break
            }
        }
        outcome.unconsumed = buffer.count
        return outcome
    }

    /// One `parse` call; body bytes copied out of the buffer passed in. (A `Result` instead of a
    /// typed-throws closure: those crash the 6.3 compiler inside `withUnsafeBytes`.)
    private static func parseOnce<P: FeedableParser>(_ parser: inout P, _ buffer: [UInt8])
        -> Result<(ParseEvent<P.Head>, Int, [UInt8]), HTTPParseError> {
        var result: Result<(ParseEvent<P.Head>, Int, [UInt8]), HTTPParseError> = .success((.needMore, 0, []))
        buffer.withUnsafeBytes { raw in
            do throws(HTTPParseError) {
                let (event, consumed) = try parser.parse(raw)
                var body: [UInt8] = []
                if case .body(let range) = event {
                    FuzzCheck.require(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= consumed,
                                      "body range \(range) outside the \(consumed) consumed bytes")
                    if !range.isEmpty && range.upperBound <= raw.count { body = Array(raw[range]) }
                }
                result = .success((event, consumed, body))
            } catch {
                result = .failure(error)
            }
        }
        return result
    }

    /// Feeds `bytes` whole, in random pieces and (when short) one byte at a time; all three must
    /// give the same outcome. Returns the whole-feed outcome.
    static func splitInvariant<P: FeedableParser>(_ parser: P, _ bytes: [UInt8], label: String) -> FeedOutcome<P.Head> {
        var random = FuzzRandom(seededBy: bytes)
        let whole = feed(parser, [bytes])
        let pieces = random.pieces(of: bytes)
        let split = feed(parser, pieces)
        FuzzCheck.require(split == whole, "\(label): split at \(pieces.map(\.count)) gives \(split), whole gives \(whole)")
        if bytes.count <= 512 {
            let single = feed(parser, bytes.map { [$0] })
            FuzzCheck.require(single == whole, "\(label): byte by byte gives \(single), whole gives \(whole)")
        }
        return whole
    }

    /// Walks the messages of `outcome`: `onHead` sees each head, and a message's body must have
    /// exactly the length its framing announces (`Content-Length`: that many bytes; none: zero).
    static func checkBodies<Head>(_ outcome: FeedOutcome<Head>, framing: (Head) -> BodyFraming, onHead: (Head) -> Void) {
        var announced: BodyFraming?
        var received = 0
        for item in outcome.items {
            switch item {
            case .head(let head):
                onHead(head)
                announced = framing(head)
                received = 0
            case .body(let body):
                received += body.count
            case .end:
                switch announced {
                case .contentLength(let length)?: FuzzCheck.require(received == length, "Content-Length \(length) but \(received) body bytes")
                case BodyFraming.none?: FuzzCheck.require(received == 0, "\(received) body bytes on a message without a body")
                default: break
                }
                announced = nil
            }
        }
    }
}
