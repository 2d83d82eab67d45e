import XCTest
@testable import HTTP1

final class HTTPHeadersTests: XCTestCase {
    func testLookupsAreCaseInsensitiveAndKeepOrderAndDuplicates() {
        let headers: HTTPHeaders = [("Host", "h"), ("Accept", "a"), ("ACCEPT", "b"), ("X-Y", "z")]
        XCTAssertEqual(headers.count, 4)
        XCTAssertEqual(headers.first("accept"), "a")
        XCTAssertEqual(headers.values("Accept"), ["a", "b"])
        XCTAssertTrue(headers.contains("x-y"))
        XCTAssertFalse(headers.contains("x-yz"))
        XCTAssertNil(headers.first("Missing"))
        XCTAssertEqual(headers.map(\.name), ["Host", "Accept", "ACCEPT", "X-Y"])
    }

    func testAppendRemoveAndReplaceOrAppend() {
        var headers: HTTPHeaders = [("A", "1"), ("B", "2"), ("a", "3"), ("C", "4")]
        headers.replaceOrAppend("A", "9")
        XCTAssertEqual(headers.fields, [HTTPField(name: "A", value: "9"), HTTPField(name: "B", value: "2"), HTTPField(name: "C", value: "4")])
        headers.replaceOrAppend("D", "5")
        XCTAssertEqual(headers.first("d"), "5")
        headers.append("b", "6")
        headers.remove("B")
        XCTAssertEqual(headers.map(\.name), ["A", "C", "D"])
    }

    func testHasToken() {
        let headers: HTTPHeaders = [("Connection", "keep-alive,  Upgrade"), ("connection", " , CLOSE ,")]
        XCTAssertTrue(headers.hasToken("close", in: "Connection"))
        XCTAssertTrue(headers.hasToken("upgrade", in: "connection"))
        XCTAssertTrue(headers.hasToken("Keep-Alive", in: "CONNECTION"))
        XCTAssertFalse(headers.hasToken("clos", in: "Connection"))
        XCTAssertFalse(headers.hasToken("keep", in: "Connection"))
        XCTAssertFalse(headers.hasToken("close", in: "Proxy-Connection"))
    }

    func testRemoveHopByHop() {
        var headers: HTTPHeaders = [
            ("Host", "h"), ("Connection", "keep-alive, X-Secret-Hop"), ("Keep-Alive", "timeout=5"),
            ("Proxy-Connection", "close"), ("TE", "trailers"), ("Trailer", "X-Sum"), ("Transfer-Encoding", "chunked"),
            ("Upgrade", "h2c"), ("x-secret-hop", "1"), ("Content-Length", "3"), ("Accept", "*/*"),
        ]
        headers.removeHopByHop()
        XCTAssertEqual(headers.map(\.name), ["Host", "Content-Length", "Accept"])
    }

    func testRejectsConnectionNominatingContentLengthOrHost() {
        // `Connection: content-length` must not strip the framing of a body the proxy forwards.
        var headers: HTTPHeaders = [("Host", "h"), ("Connection", "Content-Length, host, x-drop"),
                                    ("Content-Length", "5"), ("X-Drop", "1")]
        headers.removeHopByHop()
        XCTAssertEqual(headers.map(\.name), ["Host", "Content-Length"])
    }

    func testEqualityIsOrderSensitive() {
        let a: HTTPHeaders = [("A", "1"), ("B", "2")]
        let b: HTTPHeaders = [("B", "2"), ("A", "1")]
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a, HTTPHeaders([HTTPField(name: "A", value: "1"), HTTPField(name: "B", value: "2")]))
    }
}
