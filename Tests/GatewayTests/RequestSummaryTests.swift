import XCTest
import HTTP1
@testable import Gateway

/// What the exchange keeps of a forwarded request decides retries, HEAD handling and keep-alive.
final class RequestSummaryTests: XCTestCase {
    private func summary(_ method: String, framing: BodyFraming = .none, version: HTTPVersion = .http1_1,
                         keepAlive: Bool = true) -> RequestSummary {
        RequestSummary(ParsedRequest(head: RequestHead(method: method, target: "/", version: version),
                                     framing: framing, keepAlive: keepAlive, expectsContinue: false))
    }

    func testBodylessIdempotentMethodsAreRetryable() {
        for method in ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"] {
            XCTAssertTrue(summary(method).isRetryable, method)
            XCTAssertTrue(summary(method, framing: .contentLength(0)).isRetryable, "\(method) with Content-Length: 0")
        }
    }

    func testPostAndPatchAreNeverRetried() {
        XCTAssertFalse(summary("POST").isRetryable)
        XCTAssertFalse(summary("PATCH").isRetryable)
        XCTAssertFalse(summary("get").isRetryable, "methods are case-sensitive: `get` is not GET")
    }

    func testRequestWithABodyIsNeverRetried() {
        XCTAssertFalse(summary("PUT", framing: .contentLength(5)).isRetryable)
        XCTAssertFalse(summary("GET", framing: .chunked).isRetryable)
        XCTAssertFalse(summary("GET", framing: .chunked).hasNoBody)
    }

    func testHeadVersionAndKeepAliveAreKept() {
        XCTAssertTrue(summary("HEAD").isHEAD)
        XCTAssertFalse(summary("GET").isHEAD)
        XCTAssertTrue(summary("GET", version: .http1_0).isHTTP10)
        XCTAssertFalse(summary("GET").isHTTP10)
        XCTAssertFalse(summary("GET", keepAlive: false).keepAlive)
    }
}
