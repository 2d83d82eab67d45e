import Foundation
import XCTest
@testable import Gateway

/// A pooled keep-alive connection the upstream closes just as the next request arrives (its idle
/// timeout fired at that moment): an idempotent, bodyless request is retried once on a new
/// connection; a POST is never retried (the upstream may have acted on it), it gets 502.
/// Counted on the upstream: connections opened, stale connections closed, requests served.
final class ProxyRetryTests: XCTestCase {
    var upstream: TestUpstream!
    var gateway: GatewayHarness!

    override func setUpWithError() throws {
        upstream = TestUpstream()
        // One loop: every request of the test meets the same pool.
        gateway = try GatewayHarness(upstreamPorts: [upstream.port], loops: 1)
    }

    override func tearDown() {
        gateway.stop()
        upstream.stop()
    }

    /// Serves `/keepalive-once` so the pool holds one connection that dies on its next request.
    private func poolAStaleConnection() throws {
        XCTAssertEqual(gateway.send("GET /keepalive-once HTTP/1.1\r\nHost: t\r\n\r\n")?.status, 200)
        XCTAssertEqual(upstream.connectionCount, 1)
    }

    func testIdempotentRequestOnAStaleKeepAliveConnectionIsRetriedOnceOnANewConnection() throws {
        try poolAStaleConnection()
        let r = try XCTUnwrap(gateway.send("GET /echo/after HTTP/1.1\r\nHost: t\r\n\r\n"))
        XCTAssertEqual(r.status, 200, "the retry on a new connection succeeds")
        XCTAssertEqual(upstream.staleCloses, 1, "the request went to the pooled connection first")
        XCTAssertEqual(upstream.connectionCount, 2, "exactly one new connection for the retry")
        XCTAssertEqual(upstream.requests.filter { $0.target == "/echo/after" }.count, 1, "served once")
    }

    func testPostOnAStaleKeepAliveConnectionIsNotRetried() throws {
        try poolAStaleConnection()
        let r = try XCTUnwrap(gateway.send("POST /echo/after HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello", method: "POST"))
        XCTAssertEqual(r.status, 502)
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        XCTAssertEqual(body["error"] as? String, "bad_gateway")
        XCTAssertNotNil(body["error_description"])
        XCTAssertEqual(upstream.staleCloses, 1)
        XCTAssertEqual(upstream.connectionCount, 1, "no second connection: a POST is never sent twice")
        XCTAssertFalse(upstream.requests.contains { $0.target == "/echo/after" })
    }

    func testBodylessDeleteIsRetriedButAGetWithABodyIsNot() throws {
        // Idempotent and bodyless (RFC 9110 9.2.2): DELETE is retried.
        try poolAStaleConnection()
        XCTAssertEqual(gateway.send("DELETE /echo/delete HTTP/1.1\r\nHost: t\r\n\r\n")?.status, 200)
        XCTAssertEqual(upstream.connectionCount, 2)
        // A body that was (partly) sent cannot be sent again: no retry, even for GET.
        XCTAssertEqual(gateway.send("GET /keepalive-once HTTP/1.1\r\nHost: t\r\n\r\n")?.status, 200)
        let r = gateway.send("GET /echo/with-body HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")
        XCTAssertEqual(r?.status, 502)
        XCTAssertEqual(upstream.staleCloses, 2)
        XCTAssertEqual(upstream.connectionCount, 2, "no new connection for the GET with a body")
    }
}
