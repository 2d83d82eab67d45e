import XCTest
@testable import HTTP1

final class RequestAcceptanceTests: XCTestCase {
    struct Case {
        var name: String
        var raw: String
        var method: String
        var target: String
        var version: HTTPVersion = .http1_1
        var framing: BodyFraming
        var keepAlive = true
        var expectsContinue = false
        var body = ""
    }

    static let cases: [Case] = [
        Case(name: "GET", raw: "GET /a/b?c=1&d=%2F HTTP/1.1\r\nHost: api.example\r\nAccept: */*\r\n\r\n",
             method: "GET", target: "/a/b?c=1&d=%2F", framing: .none),
        Case(name: "POST with Content-Length",
             raw: "POST /items HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
             method: "POST", target: "/items", framing: .contentLength(5), body: "hello"),
        Case(name: "Content-Length zero", raw: "PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
             method: "PUT", target: "/x", framing: .contentLength(0)),
        Case(name: "Content-Length with leading zeros",
             raw: "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 002\r\n\r\nok",
             method: "POST", target: "/", framing: .contentLength(2), body: "ok"),
        Case(name: "chunked with extensions and trailers",
             raw: "POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=val\r\nhello\r\n6;a;b=\"q v\"\r\n world\r\nA\r\n0123456789\r\n0;last\r\nX-Checksum: abc\r\nX-Other:\r\n\r\n",
             method: "POST", target: "/u", framing: .chunked, body: "hello world0123456789"),
        Case(name: "chunked coding name is case-insensitive",
             raw: "POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n",
             method: "POST", target: "/u", framing: .chunked),
        Case(name: "HTTP/1.0 closes by default", raw: "GET / HTTP/1.0\r\n\r\n",
             method: "GET", target: "/", version: .http1_0, framing: .none, keepAlive: false),
        Case(name: "HTTP/1.0 keep-alive", raw: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\nHost: h\r\n\r\n",
             method: "GET", target: "/", version: .http1_0, framing: .none, keepAlive: true),
        Case(name: "HTTP/1.1 Connection close", raw: "GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n",
             method: "GET", target: "/", framing: .none, keepAlive: false),
        Case(name: "Expect 100-continue",
             raw: "POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\nabc",
             method: "POST", target: "/up", framing: .contentLength(3), expectsContinue: true, body: "abc"),
        Case(name: "Expect ignored on HTTP/1.0",
             raw: "POST /up HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz",
             method: "POST", target: "/up", version: .http1_0, framing: .contentLength(1), keepAlive: false, body: "z"),
        Case(name: "OPTIONS asterisk", raw: "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
             method: "OPTIONS", target: "*", framing: .none),
        Case(name: "empty line before request line", raw: "\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
             method: "GET", target: "/", framing: .none),
        Case(name: "empty Host and obs-text value", raw: "GET / HTTP/1.1\r\nHost:\r\nX-Name: \t caf\u{E9} \t\r\n\r\n",
             method: "GET", target: "/", framing: .none),
    ]

    /// Tabs inside a value are field-value bytes: the scan for the line's end passes over them, also
    /// several and deep inside a long value; OWS around the value is trimmed, inner tabs are kept.
    func testTabsInsideLongValuesAreKept() throws {
        let value = "abcdefgh\tijklmnopqrstuvw\txyz" + String(repeating: "0123456789", count: 4) + "\tend"
        let raw = "GET / HTTP/1.1\r\nHost: h\r\nX-T: \t" + value + " \t\r\nX-U: u\r\n\r\n"
        let items = try parseItems(RequestParser(), [raw.bytes])
        guard case .head(let request)? = items.first else { return XCTFail("no head") }
        XCTAssertEqual(request.head.headers.first("X-T"), value)
        XCTAssertEqual(request.head.headers.first("X-U"), "u")
        XCTAssertEqual(request.head.headers.count, 3)
    }

    func testAcceptsTable() throws {
        for c in Self.cases {
            let items = try parseItems(RequestParser(), [c.raw.bytes])
            guard case .head(let request)? = items.first else { XCTFail("\(c.name): no head"); continue }
            XCTAssertEqual(request.head.method, c.method, c.name)
            XCTAssertEqual(request.head.target, c.target, c.name)
            XCTAssertEqual(request.head.version, c.version, c.name)
            XCTAssertEqual(request.framing, c.framing, c.name)
            XCTAssertEqual(request.keepAlive, c.keepAlive, c.name)
            XCTAssertEqual(request.expectsContinue, c.expectsContinue, c.name)
            let expectedBody: [Item<ParsedRequest>] = c.body.isEmpty ? [] : [.body(c.body.bytes)]
            XCTAssertEqual(Array(items.dropFirst()), expectedBody + [.end], c.name)
        }
    }

    func testFieldValuesAreTrimmedAndOrderedWithDuplicates() throws {
        let raw = "GET / HTTP/1.1\r\nHost: h\r\nX-A:  1 \r\nx-a:\t2\r\nX-Name: caf\u{E9}\r\n\r\n"
        let items = try parseItems(RequestParser(), [raw.bytes])
        guard case .head(let request)? = items.first else { return XCTFail("no head") }
        XCTAssertEqual(request.head.headers.fields.map(\.name), ["Host", "X-A", "x-a", "X-Name"])
        XCTAssertEqual(request.head.headers.values("x-A"), ["1", "2"])
        XCTAssertEqual(request.head.headers.first("x-name"), "caf\u{E9}")
    }

    func testPipelinedRequestsInOneBuffer() throws {
        let raw = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody"
            + "POST /3 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n"
            + "GET /4 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        let items = try parseItems(RequestParser(), [raw.bytes])
        let targets = items.compactMap { item -> String? in
            if case .head(let r) = item { return r.head.target }
            return nil
        }
        XCTAssertEqual(targets, ["/1", "/2", "/3", "/4"])
        let shape = items.map { item -> String in
            switch item {
            case .head: return "H"
            case .body(let b): return String(decoding: b, as: UTF8.self)
            case .end: return "E"
            }
        }
        XCTAssertEqual(shape, ["H", "E", "H", "body", "E", "H", "ab", "E", "H", "E"])
    }

    func testHeadConsumesExactlyTheHeadAndBodylessRequestEndsWithZeroConsumed() throws {
        let head = "GET / HTTP/1.1\r\nHost: h\r\n\r\n".bytes
        var parser = RequestParser()
        let extra = "GET".bytes
        let buffer = head + extra
        let first = try parseStep(&parser, buffer)
        XCTAssertEqual(first.consumed, head.count)
        let rest = Array(buffer[first.consumed...])
        let second = try parseStep(&parser, rest)
        guard case .end = second.event else { return XCTFail("expected end, got \(second.event)") }
        XCTAssertEqual(second.consumed, 0)
        let third = try parseStep(&parser, rest)
        guard case .needMore = third.event else { return XCTFail("expected needMore") }
        XCTAssertEqual(third.consumed, 0)
        XCTAssertFalse(parser.isIdle, "a partial next head has been seen")
    }

    func testBodyRangeIndexesTheBufferOfThatCall() throws {
        var parser = RequestParser()
        let head = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\n".bytes
        _ = try parseStep(&parser, head)
        let piece = "abcd".bytes
        let step = try parseStep(&parser, piece)
        guard case .body(let range) = step.event else { return XCTFail("expected body") }
        XCTAssertEqual(range, 0..<4)
        XCTAssertEqual(step.consumed, 4)
        let tail = "efGET".bytes
        let step2 = try parseStep(&parser, tail)
        guard case .body(let range2) = step2.event else { return XCTFail("expected body") }
        XCTAssertEqual(range2, 0..<2, "the body stops at Content-Length; the next request is not consumed")
        XCTAssertEqual(step2.consumed, 2)
    }
}
