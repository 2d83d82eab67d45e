import XCTest
@testable import HTTP1

/// A response parser that is told each request's method in turn, as the gateway does.
struct ResponseHarness: DrivableParser {
    var parser = ResponseParser()
    var methods: [String]
    var next = 0

    init(methods: [String]) { self.methods = methods }

    mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (event: ParseEvent<ParsedResponse>, consumed: Int) {
        try parser.parse(bytes)
    }

    mutating func prepareForNextMessage() {
        parser.expectResponse(toMethod: next < methods.count ? methods[next] : "GET")
        next += 1
    }
}

final class ResponseParserTests: XCTestCase {
    private func items(_ raw: String, methods: [String] = ["GET"]) throws -> [Item<ParsedResponse>] {
        try parseItems(ResponseHarness(methods: methods), [raw.bytes])
    }

    private func head(_ items: [Item<ParsedResponse>], _ index: Int = 0) -> ParsedResponse? {
        guard index < items.count, case .head(let response) = items[index] else { return nil }
        return response
    }

    func testContentLengthFraming() throws {
        let got = try items("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello")
        XCTAssertEqual(head(got)?.framing, .contentLength(5))
        XCTAssertEqual(head(got)?.keepAlive, true)
        XCTAssertEqual(head(got)?.head.reason, "OK")
        XCTAssertEqual(Array(got.dropFirst()), [.body("hello".bytes), .end])
    }

    func testChunkedFinalCodingIsChunked() throws {
        let got = try items("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        XCTAssertEqual(head(got)?.framing, .chunked)
        XCTAssertEqual(Array(got.dropFirst()), [.body("abc".bytes), .end])
    }

    func testTransferEncodingNotChunkedFinalReadsUntilClose() throws {
        var parser = ResponseParser()
        parser.expectResponse(toMethod: "GET")
        let raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzz".bytes
        var driver = ParserDriver(ResponseHarness(methods: ["GET"]))
        try driver.feed(raw)
        XCTAssertEqual(head(driver.items)?.framing, .untilClose)
        XCTAssertEqual(head(driver.items)?.keepAlive, false)
        XCTAssertEqual(driver.items.last, .body("zzz".bytes))
        XCTAssertEqual(try driver.parser.parser.finish(), .end)
    }

    func testNoFramingFieldsReadsUntilCloseAndFinishEnds() throws {
        var driver = ParserDriver(ResponseHarness(methods: ["GET"]))
        try driver.feed("HTTP/1.1 200 OK\r\n\r\npart1".bytes)
        try driver.feed("part2".bytes)
        XCTAssertEqual(head(driver.items)?.framing, .untilClose)
        XCTAssertEqual(head(driver.items)?.keepAlive, false)
        XCTAssertEqual(driver.items.last, .body("part1part2".bytes))
        XCTAssertEqual(try driver.parser.parser.finish(), .end)
    }

    func testHeadResponseHasNoBody() throws {
        let raw = "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n" + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        let got = try items(raw, methods: ["HEAD", "GET"])
        XCTAssertEqual(head(got, 0)?.framing, BodyFraming.none)
        XCTAssertEqual(got[1], .end)
        XCTAssertEqual(head(got, 2)?.framing, .contentLength(2))
        XCTAssertEqual(Array(got.dropFirst(3)), [.body("ok".bytes), .end])
    }

    func testNoContentAndNotModifiedHaveNoBody() throws {
        let raw = "HTTP/1.1 204 No Content\r\n\r\n" + "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\nETag: \"x\"\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        let got = try items(raw, methods: ["GET", "GET", "GET"])
        XCTAssertEqual(head(got, 0)?.framing, BodyFraming.none)
        XCTAssertEqual(head(got, 2)?.framing, BodyFraming.none)
        XCTAssertEqual(head(got, 2)?.head.status, 304)
        XCTAssertEqual(head(got, 4)?.framing, .contentLength(0))
        XCTAssertEqual(got.count, 6)
    }

    func testInformationalThenFinalResponse() throws {
        let raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
            + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nid"
        let got = try items(raw, methods: ["POST"])
        XCTAssertEqual(head(got, 0)?.head.status, 100)
        XCTAssertEqual(head(got, 0)?.framing, BodyFraming.none)
        XCTAssertEqual(head(got, 1)?.head.status, 103)
        XCTAssertEqual(head(got, 2)?.head.status, 201)
        XCTAssertEqual(Array(got.dropFirst(3)), [.body("id".bytes), .end])
    }

    func testHeadMethodSurvivesInformationalResponse() throws {
        let raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"
        let got = try items(raw, methods: ["HEAD"])
        XCTAssertEqual(head(got, 1)?.framing, BodyFraming.none)
        XCTAssertEqual(got.last, .end)
    }

    func testHTTP10ResponseKeepAlive() throws {
        XCTAssertEqual(head(try items("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"))?.keepAlive, false)
        XCTAssertEqual(head(try items("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"))?.keepAlive, true)
        XCTAssertEqual(head(try items("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))?.keepAlive, false)
    }

    func testStatusLineWithoutReason() throws {
        XCTAssertEqual(head(try items("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"))?.head.reason, "")
        XCTAssertEqual(head(try items("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"))?.head.reason, "")
        XCTAssertEqual(head(try items("HTTP/1.1 404 Not  Found\r\nContent-Length: 0\r\n\r\n"))?.head.reason, "Not  Found")
    }

    private func assertRejects(_ raws: [String], _ code: HTTPParseError.Code, file: StaticString = #filePath, line: UInt = #line) {
        for raw in raws {
            let error = parseError(ResponseHarness(methods: ["GET"]), raw.bytes)
            XCTAssertEqual(error?.code, code, raw.debugDescription, file: file, line: line)
        }
    }

    func testRejectsMalformedStatusLine() {
        assertRejects(["HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n", "ICY 200 OK\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n",
                       "HTTP/1.1 200OK\r\n\r\n", "HTTP/1.1 099 Low\r\n\r\n", "HTTP/1.1 200 O\u{1}K\r\n\r\n"],
                      .invalidStatusLine)
    }

    func testRejectsResponseContentLengthWithTransferEncoding() {
        assertRejects(["HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc"],
                      .contentLengthWithTransferEncoding)
    }

    func testRejectsResponseWithUnforwardableCoding() {
        assertRejects(["HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"], .unsupportedTransferCoding)
    }

    func testRejectsResponseMultipleContentLength() {
        assertRejects(["HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc"], .multipleContentLength)
    }

    func testRejectsResponseObsFoldAndBareLineFeed() {
        assertRejects(["HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n"], .obsFold)
        assertRejects(["HTTP/1.1 200 OK\nContent-Length: 0\n\n"], .bareLineFeed)
    }

    func testRejectsUnrequestedSwitchingProtocols() {
        assertRejects(["HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"], .unexpectedSwitchingProtocols)
    }

    func testRejectsStatusLineTooLong() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 20
        var parser = ResponseHarness(methods: ["GET"])
        parser.parser = ResponseParser(limits: limits)
        parser.prepareForNextMessage()
        let raw = ("HTTP/1.1 200 " + String(repeating: "r", count: 50)).bytes
        XCTAssertThrowsError(try parseStep(&parser, raw)) { error in
            XCTAssertEqual((error as? HTTPParseError)?.code, .statusLineTooLong)
        }
    }

    func testFinishDuringContentLengthBodyIsPrematureEnd() throws {
        var driver = ParserDriver(ResponseHarness(methods: ["GET"]))
        try driver.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".bytes)
        XCTAssertThrowsError(try driver.parser.parser.finish()) { error in
            XCTAssertEqual((error as? HTTPParseError)?.code, .prematureEnd)
        }
    }

    func testFinishDuringChunkedBodyIsPrematureEnd() throws {
        var driver = ParserDriver(ResponseHarness(methods: ["GET"]))
        try driver.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n".bytes)
        XCTAssertThrowsError(try driver.parser.parser.finish()) { error in
            XCTAssertEqual((error as? HTTPParseError)?.code, .prematureEnd)
        }
    }

    func testFinishDuringHeadIsPrematureEndAndWhenIdleIsEnd() throws {
        var partial = ParserDriver(ResponseHarness(methods: ["GET"]))
        try partial.feed("HTTP/1.1 200 OK\r\nContent-".bytes)
        XCTAssertThrowsError(try partial.parser.parser.finish()) { error in
            XCTAssertEqual((error as? HTTPParseError)?.code, .prematureEnd)
        }
        var idle = ParserDriver(ResponseHarness(methods: ["GET", "GET"]))
        try idle.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx".bytes)
        XCTAssertEqual(idle.items.last, .end)
        XCTAssertEqual(try idle.parser.parser.finish(), .end)
    }
}
