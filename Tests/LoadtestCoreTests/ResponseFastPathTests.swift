import XCTest
@testable import LoadtestCore

final class ResponseFastPathTests: XCTestCase {
    private func scan(_ text: String, head: Bool = false) -> ResponseFastPath.Scan {
        Array(text.utf8).withUnsafeBytes { ResponseFastPath.scan($0, requestWasHead: head) }
    }

    private let nginx = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nok\n"

    func testFramesASimpleResponse() {
        XCTAssertEqual(scan(nginx), .complete(status: 200, length: nginx.utf8.count))
        XCTAssertEqual(scan("HTTP/1.1 404\r\ncontent-length:0\r\n\r\n"), .complete(status: 404, length: 34))
    }

    func testStopsAtTheEndOfTheFirstResponse() {
        XCTAssertEqual(scan(nginx + nginx), .complete(status: 200, length: nginx.utf8.count))
    }

    func testEveryPrefixIsIncomplete() {
        let bytes = Array(nginx.utf8)
        for cut in 0..<bytes.count {
            let result = bytes[0..<cut].withUnsafeBytes { ResponseFastPath.scan($0) }
            XCTAssertEqual(result, .incomplete, "cut at \(cut)")
        }
    }

    func testLeavesEveryOtherShapeToTheStrictParser() {
        let unsupported = [
            "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive, close\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\n\r\nuntil close",
            "HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 100 Continue\r\n\r\n",
            "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
            "HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nNoColon\r\nContent-Length: 2\r\n\r\nok",
            "NOT HTTP AT ALL\r\n\r\n",
        ]
        for text in unsupported { XCTAssertEqual(scan(text), .unsupported, text.debugDescription) }
        XCTAssertEqual(scan(nginx, head: true), .unsupported, "HEAD responses have no body whatever they say")
    }

    func testLongHeadsAndLargeBodiesGoToTheStrictParser() {
        let longHead = "HTTP/1.1 200 OK\r\nX-Pad: " + String(repeating: "a", count: ResponseFastPath.maximumHeadBytes) + "\r\n"
        XCTAssertEqual(scan(longHead), .unsupported)
        XCTAssertEqual(scan("HTTP/1.1 200 OK\r\nContent-Length: \(ResponseFastPath.maximumBodyBytes + 1)\r\n\r\n"), .unsupported)
    }
}
