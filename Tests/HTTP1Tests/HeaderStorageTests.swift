import XCTest
@testable import HTTP1

/// `HTTPHeaders` backed by the parser's byte storage: parsed and appended fields mixed.
final class HeaderStorageTests: XCTestCase {
    private struct NoHead: Error {}

    private func parse(_ raw: String) throws -> ParsedRequest {
        var parser = RequestParser()
        let bytes = Array(raw.utf8)
        let (event, _) = try bytes.withUnsafeBytes { try parser.parse($0) }
        guard case .head(let request) = event else { throw NoHead() }
        return request
    }

    private func serialize(_ head: RequestHead) -> String {
        var out: [UInt8] = []
        HTTPSerializer.writeRequestHead(head, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func testCaseInsensitiveLookupOnParsedBytes() throws {
        let request = try parse("GET / HTTP/1.1\r\nHost: h\r\nx-request-ID: r1\r\nAUTHORIZATION: Bearer a\r\nauthorization: Bearer b\r\n\r\n")
        let headers = request.head.headers
        XCTAssertEqual(headers.first("X-Request-Id"), "r1")
        XCTAssertEqual(headers.values("Authorization"), ["Bearer a", "Bearer b"])
        XCTAssertEqual(headers.count("authorization"), 2)
        XCTAssertTrue(headers.contains("HOST"))
        XCTAssertFalse(headers.contains("Hos"))
        XCTAssertEqual(headers.fields.map(\.name), ["Host", "x-request-ID", "AUTHORIZATION", "authorization"])
    }

    func testNamesWithTheSameLengthAndEndsDoNotMatch() throws {
        // Same length, same first and last byte: the precomputed key is equal, the bytes decide.
        let request = try parse("GET / HTTP/1.1\r\nHost: h\r\nX-Ab: 1\r\nX-Bb: 2\r\n\r\n")
        XCTAssertEqual(request.head.headers.values("x-bb"), ["2"])
        XCTAssertNil(request.head.headers.first("X-Cb"))
    }

    func testAppendAfterParse() throws {
        let request = try parse("GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n")
        var headers = request.head.headers
        headers.append("x-forwarded-for", "10.0.0.2")
        headers.append("X-New", "n")
        XCTAssertEqual(headers.values("X-Forwarded-For"), ["10.0.0.1", "10.0.0.2"])
        XCTAssertEqual(headers.first("x-new"), "n")
        XCTAssertEqual(headers.count, 4)
        // The parsed request is a value: its headers did not change.
        XCTAssertEqual(request.head.headers.values("X-Forwarded-For"), ["10.0.0.1"])
        XCTAssertEqual(request.head.headers.count, 2)
    }

    func testRemoveThenAppend() throws {
        let request = try parse("GET / HTTP/1.1\r\nHost: h\r\nX-Auth-Subject: forged\r\nAccept: */*\r\nx-auth-subject: again\r\n\r\n")
        var headers = request.head.headers
        headers.remove("X-AUTH-SUBJECT")
        XCTAssertFalse(headers.contains("X-Auth-Subject"))
        headers.append("X-Auth-Subject", "alice")
        XCTAssertEqual(headers.values("x-auth-subject"), ["alice"])
        XCTAssertEqual(headers.fields, [HTTPField(name: "Host", value: "h"), HTTPField(name: "Accept", value: "*/*"),
                                        HTTPField(name: "X-Auth-Subject", value: "alice")])
    }

    func testReplaceOrAppendOnParsedHeadersKeepsThePosition() throws {
        let request = try parse("GET / HTTP/1.1\r\nX-Request-Id: a\r\nHost: h\r\nx-request-id: b\r\n\r\n")
        var headers = request.head.headers
        headers.replaceOrAppend("X-Request-Id", "new-id")
        XCTAssertEqual(headers.fields, [HTTPField(name: "X-Request-Id", value: "new-id"), HTTPField(name: "Host", value: "h")])
        headers.replaceOrAppend("X-Forwarded-Proto", "http")
        XCTAssertEqual(headers.fields.last, HTTPField(name: "X-Forwarded-Proto", value: "http"))
    }

    func testHopByHopWithConnectionTokensOnParsedHead() throws {
        let request = try parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Hop, content-length\r\n"
            + "Keep-Alive: timeout=5\r\nx-hop: 1\r\nContent-Length: 0\r\nX-Keep: 2\r\nTE: trailers\r\nUpgrade: h2c\r\n\r\n")
        var headers = request.head.headers
        headers.removeHopByHop()
        XCTAssertEqual(headers.fields.map(\.name), ["Host", "Content-Length", "X-Keep"])
    }

    func testHopByHopConnectionCloseNominatesAFieldNamedClose() throws {
        var headers: HTTPHeaders = [("Host", "h"), ("Connection", "close"), ("Close", "x"), ("Accept", "a")]
        headers.removeHopByHop()
        XCTAssertEqual(headers.fields.map(\.name), ["Host", "Accept"])
        var appended = HTTPHeaders()
        appended.append("Connection", "keep-alive")
        appended.append("Keep-Alive", "timeout=5")
        appended.append("X", "1")
        appended.removeHopByHop()
        XCTAssertEqual(appended.fields, [HTTPField(name: "X", value: "1")])
    }

    func testSerializerRoundTripWithMixedParsedAndAppendedFields() throws {
        let request = try parse("GET /p?q=1 HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nX-Tab: a\tb\r\nAccept: */*\r\n\r\n")
        var headers = request.head.headers
        headers.removeHopByHop()
        headers.append("X-Forwarded-For", "10.0.0.1")
        headers.append("X-Evil", "v\r\nX-Admin: true")
        headers.append("Bad Name", "v")
        headers.replaceOrAppend("Accept", "text/plain")
        let text = serialize(RequestHead(method: request.head.method, target: request.head.target, headers: headers))
        XCTAssertEqual(text, "GET /p?q=1 HTTP/1.1\r\nHost: h\r\nX-Tab: a\tb\r\nAccept: text/plain\r\n"
            + "X-Forwarded-For: 10.0.0.1\r\nX-Evil: v  X-Admin: true\r\nBad_Name: v\r\n\r\n")
        let reparsed = try parse(text)
        XCTAssertEqual(reparsed.head.headers, [("Host", "h"), ("X-Tab", "a\tb"), ("Accept", "text/plain"),
                                               ("X-Forwarded-For", "10.0.0.1"), ("X-Evil", "v  X-Admin: true"), ("Bad_Name", "v")])
    }

    func testSerializerNormalizesParsedSpacingAndKeepsOrderAroundRemovals() throws {
        let request = try parse("GET / HTTP/1.1\r\nHost:h\r\nX-A:  1 \t\r\nAccept: */*\r\nX-Drop: d\r\nB: 2\r\nC: 3\r\n\r\n")
        var headers = request.head.headers
        headers.remove("x-drop")
        headers.replaceOrAppend("C", "4")
        XCTAssertEqual(serialize(RequestHead(method: "GET", target: "/", headers: headers)),
                       "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nAccept: */*\r\nB: 2\r\nC: 4\r\n\r\n")
        XCTAssertEqual(serialize(request.head),
                       "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nAccept: */*\r\nX-Drop: d\r\nB: 2\r\nC: 3\r\n\r\n")
    }

    func testParsedHeadersEqualLiteralHeaders() throws {
        let request = try parse("GET / HTTP/1.1\r\nHost: h\r\nX-A:  1 \r\n\r\n")
        XCTAssertEqual(request.head.headers, [("Host", "h"), ("X-A", "1")])
        XCTAssertNotEqual(request.head.headers, [("host", "h"), ("X-A", "1")])
    }

    func testInvalidUTF8ValueIsForwardedAsTheStringCallersSee() throws {
        var bytes = Array("GET / HTTP/1.1\r\nHost: h\r\nX-Raw: a".utf8)
        bytes += [0xFF, 0x62]
        bytes += Array("\r\n\r\n".utf8)
        var parser = RequestParser()
        let (event, _) = try bytes.withUnsafeBytes { try parser.parse($0) }
        guard case .head(let request) = event else { return XCTFail("no head") }
        XCTAssertEqual(request.head.headers.first("X-Raw"), "a\u{FFFD}b")
        var out: [UInt8] = []
        HTTPSerializer.writeRequestHead(request.head, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "GET / HTTP/1.1\r\nHost: h\r\nX-Raw: a\u{FFFD}b\r\n\r\n")
        XCTAssertFalse(out.contains(0xFF))
    }

    func testWellKnownKeysMatchTheKeyFunction() {
        let expected: [(String, UInt32)] = [
            ("Host", WellKnownFieldKey.host), ("Expect", WellKnownFieldKey.expect),
            ("Connection", WellKnownFieldKey.connection), ("Keep-Alive", WellKnownFieldKey.keepAlive),
            ("Content-Length", WellKnownFieldKey.contentLength), ("Transfer-Encoding", WellKnownFieldKey.transferEncoding),
            ("TE", WellKnownFieldKey.te), ("Trailer", WellKnownFieldKey.trailer), ("Upgrade", WellKnownFieldKey.upgrade),
            ("Proxy-Connection", WellKnownFieldKey.proxyConnection),
        ]
        for (name, key) in expected {
            for spelling in [name, name.lowercased(), name.uppercased()] {
                XCTAssertEqual(Array(spelling.utf8).withUnsafeBufferPointer { FieldSlot.key(of: $0) }, key, spelling)
            }
        }
    }

    func testAnyNameContains() throws {
        let request = try parse("GET / HTTP/1.1\r\nHost: h\r\nX_Auth_Subject: forged\r\n\r\n")
        XCTAssertTrue(request.head.headers.anyNameContains(UInt8(ascii: "_")))
        XCTAssertFalse(request.head.headers.anyNameContains(UInt8(ascii: "!")))
        XCTAssertFalse(HTTPHeaders([HTTPField(name: "A", value: "_")]).anyNameContains(UInt8(ascii: "_")))
    }
}
