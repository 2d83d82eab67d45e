import XCTest
@testable import HTTP1

final class SerializerTests: XCTestCase {
    func testRequestHeadRoundTrip() throws {
        let head = RequestHead(method: "PATCH", target: "/v1/items/7?x=%20y", version: .http1_1,
                               headers: [("Host", "api.internal:8080"), ("X-A", "1"), ("x-a", "2"), ("Content-Length", "0")])
        var out: [UInt8] = []
        HTTPSerializer.writeRequestHead(head, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self),
                       "PATCH /v1/items/7?x=%20y HTTP/1.1\r\nHost: api.internal:8080\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 0\r\n\r\n")
        let items = try parseItems(RequestParser(), [out])
        guard case .head(let parsed)? = items.first else { return XCTFail("no head") }
        XCTAssertEqual(parsed.head, head)
    }

    func testResponseHeadRoundTrip() throws {
        let head = ResponseHead(status: 404, version: .http1_0, headers: [("Content-Length", "3"), ("Server", "portcullis")])
        XCTAssertEqual(head.reason, "Not Found")
        var out: [UInt8] = []
        HTTPSerializer.writeResponseHead(head, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self),
                       "HTTP/1.0 404 Not Found\r\nContent-Length: 3\r\nServer: portcullis\r\n\r\n")
        let items = try parseItems(ResponseHarness(methods: ["GET"]), [out + "abc".bytes])
        guard case .head(let parsed)? = items.first else { return XCTFail("no head") }
        XCTAssertEqual(parsed.head, head)
        XCTAssertEqual(Array(items.dropFirst()), [.body("abc".bytes), .end])
    }

    func testChunkHeaderIsLowercaseHex() {
        for (length, expected) in [(0, "0"), (1, "1"), (26, "1a"), (255, "ff"), (4096, "1000"), (Int.max, "7fffffffffffffff")] {
            var out: [UInt8] = []
            HTTPSerializer.writeChunkHeader(length: length, into: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), expected + "\r\n")
        }
        XCTAssertEqual(HTTPSerializer.lastChunk, "0\r\n\r\n".bytes)
        XCTAssertEqual(HTTPSerializer.crlf, "\r\n".bytes)
    }

    func testChunkedBodyRoundTrip() throws {
        var out: [UInt8] = []
        HTTPSerializer.writeRequestHead(RequestHead(method: "POST", target: "/", headers: [("Host", "h"), ("Transfer-Encoding", "chunked")]),
                                        into: &out)
        let pieces = ["first piece ", String(repeating: "x", count: 300), " end"]
        for piece in pieces {
            HTTPSerializer.writeChunkHeader(length: piece.utf8.count, into: &out)
            out += piece.bytes
            out += HTTPSerializer.crlf
        }
        out += HTTPSerializer.lastChunk
        let items = try parseItems(RequestParser(), [out])
        XCTAssertEqual(Array(items.dropFirst()), [.body(pieces.joined().bytes), .end])
    }

    func testRejectsHeaderInjectionThroughFieldValues() throws {
        // A value built from attacker-controlled data (e.g. a token claim) must not add fields or messages.
        let evil = "alice\r\nX-Admin: true\r\n\r\nGET /steal HTTP/1.1"
        let head = RequestHead(method: "GET", target: "/a b\r\n", headers: [("Host", "h"), ("X-User", evil), ("X-Bad\r\nName", "v")])
        var out: [UInt8] = []
        HTTPSerializer.writeRequestHead(head, into: &out)
        let items = try parseItems(RequestParser(), [out])
        XCTAssertEqual(items.count, 2, "exactly one message")
        guard case .head(let parsed)? = items.first else { return XCTFail("no head") }
        XCTAssertEqual(parsed.head.headers.count, 3)
        XCTAssertFalse(parsed.head.headers.contains("X-Admin"))
        XCTAssertEqual(parsed.head.headers.first("X-User"), "alice  X-Admin: true    GET /steal HTTP/1.1")
        XCTAssertEqual(parsed.head.target, "/a_b__")
        var response: [UInt8] = []
        HTTPSerializer.writeResponseHead(ResponseHead(status: 200, reason: "OK\r\nSet-Cookie: x"), into: &response)
        XCTAssertEqual(String(decoding: response, as: UTF8.self), "HTTP/1.1 200 OK  Set-Cookie: x\r\n\r\n")
    }

    /// Values that must go out unaltered or not at all (client certificate fields).
    func testCleanFieldValues() {
        for clean in ["CN=client-1", #"CN=Doe\, \"J\C3\B6rg\""#, "a b\tc", "x"] {
            XCTAssertTrue(HTTPSerializer.isCleanFieldValue(clean.utf8), clean)
        }
        for unclean in ["", " lead", "trail ", "CN=client\\ ", "tab\t", "a\r\nX-Admin: 1", "nul\u{0}", "del\u{7F}", "J\u{F6}rg"] {
            XCTAssertFalse(HTTPSerializer.isCleanFieldValue(unclean.utf8), unclean.debugDescription)
        }
    }

    func testReasonPhrases() {
        XCTAssertEqual(HTTPSerializer.reasonPhrase(200), "OK")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(401), "Unauthorized")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(403), "Forbidden")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(431), "Request Header Fields Too Large")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(502), "Bad Gateway")
        XCTAssertEqual(HTTPSerializer.reasonPhrase(799), "")
    }
}
