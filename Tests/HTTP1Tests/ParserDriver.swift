import XCTest
@testable import HTTP1

/// The two parsers seen through the one method the connection layer uses.
protocol DrivableParser {
    associatedtype Head: Sendable & Equatable
    mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (event: ParseEvent<Head>, consumed: Int)
    /// Called before the first message and after each `.end` (responses need the request method).
    mutating func prepareForNextMessage()
}

extension RequestParser: DrivableParser {
    mutating func prepareForNextMessage() {}
}

/// What a parse produced, with consecutive body pieces merged so that differently split
/// feeds of the same bytes compare equal.
enum Item<Head: Equatable>: Equatable {
    case head(Head)
    case body([UInt8])
    case end
}

/// Drives a parser exactly like the I/O layer: a buffer of unconsumed bytes, drop `consumed`,
/// copy body ranges out of the buffer passed in that call, append new bytes on `.needMore`.
struct ParserDriver<Parser: DrivableParser> {
    var parser: Parser
    private(set) var buffer: [UInt8] = []
    private(set) var items: [Item<Parser.Head>] = []

    init(_ parser: Parser) {
        self.parser = parser
        self.parser.prepareForNextMessage()
    }

    /// Appends `bytes` and parses until the parser needs more.
    mutating func feed<S: Sequence<UInt8>>(_ bytes: S) throws(HTTPParseError) {
        buffer.append(contentsOf: bytes)
        var guardCount = 0
        while true {
            guardCount += 1
            precondition(guardCount < 1_000_000, "parser made no progress")
            let step = try parseStep(&parser, buffer)
            precondition(step.consumed >= 0 && step.consumed <= buffer.count, "consumed out of range")
            buffer.removeFirst(step.consumed)
            switch step.event {
            case .needMore:
                return
            case .head(let head):
                items.append(.head(head))
            case .body:
                if case .body(let previous)? = items.last {
                    items[items.count - 1] = .body(previous + step.body)
                } else {
                    items.append(.body(step.body))
                }
            case .end:
                items.append(.end)
                parser.prepareForNextMessage()
            }
        }
    }
}

/// One `parse` call on `buffer`, with the body bytes copied out (avoids typed-throws closures,
/// which crash the 6.3 compiler inside `withUnsafeBytes`).
func parseStep<P: DrivableParser>(_ parser: inout P, _ buffer: [UInt8]) throws(HTTPParseError)
    -> (event: ParseEvent<P.Head>, consumed: Int, body: [UInt8]) {
    var result: Result<(ParseEvent<P.Head>, Int, [UInt8]), HTTPParseError> = .success((.needMore, 0, []))
    buffer.withUnsafeBytes { raw in
        do throws(HTTPParseError) {
            let (event, consumed) = try parser.parse(raw)
            var body: [UInt8] = []
            if case .body(let range) = event {
                precondition(range.upperBound <= consumed && !range.isEmpty, "body range outside consumed bytes")
                body = Array(raw[range])
            }
            result = .success((event, consumed, body))
        } catch {
            result = .failure(error)
        }
    }
    return try result.get()
}

/// Parses `bytes` fed in the given pieces and returns the items.
func parseItems<P: DrivableParser>(_ parser: P, _ pieces: [[UInt8]]) throws(HTTPParseError) -> [Item<P.Head>] {
    var driver = ParserDriver(parser)
    for piece in pieces { try driver.feed(piece) }
    return driver.items
}

/// The error thrown while feeding `bytes` whole, or nil.
func parseError<P: DrivableParser>(_ parser: P, _ bytes: [UInt8]) -> HTTPParseError? {
    var driver = ParserDriver(parser)
    do throws(HTTPParseError) {
        try driver.feed(bytes)
        return nil
    } catch {
        return error
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
