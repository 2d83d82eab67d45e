import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Gateway

/// `responseTimeoutMs` is the longest silence of an upstream while the gateway waits for or reads a
/// response. Before the head: 504 JSON. In the middle of a body (the client already has a `200`
/// head): both connections are aborted, so the client sees its response cut short at once instead
/// of hanging, and the upstream connection is closed, not pooled.
final class ProxyTimeoutTests: XCTestCase {
    var upstream: TestUpstream!
    var gateway: GatewayHarness!

    override func setUpWithError() throws {
        upstream = TestUpstream()
        gateway = try GatewayHarness(upstreamPorts: [upstream.port], loops: 1) { _, up in up.responseTimeoutMs = 300 }
    }

    override func tearDown() {
        upstream.releaseSlowReaders()   // no upstream thread left waiting
        gateway.stop()
        upstream.stop()
    }

    func testUploadLastingLongerThanTheResponseTimeoutIsNotCutOff() throws {
        // 10 pieces 100 ms apart: the upload takes ~1 s, the response timeout is 300 ms. The timeout
        // counts from the last body bytes forwarded (it used to count from the connect: 504).
        let client = try gateway.client()
        defer { client.close() }
        client.write("POST /echo/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 10000\r\n\r\n")
        let piece = pattern(1000)
        for _ in 0..<10 {
            client.write(piece)
            usleep(100_000)
        }
        let r = try XCTUnwrap(client.readResponse(method: "POST"))
        XCTAssertEqual(r.status, 200)
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        XCTAssertEqual(body["body_length"] as? Int, 10_000)
    }

    /// A client that stops sending its body is the one that timed out: 408 with its own code, not a
    /// 504 blamed on the upstream (which has read everything it was given).
    func testClientStallingMidBodyGets408NotA504() throws {
        let client = try gateway.client()
        defer { client.close() }
        client.write("POST /echo/stall HTTP/1.1\r\nHost: t\r\nContent-Length: 10000\r\n\r\n")
        client.write(pattern(1000))   // and nothing more
        let r = try XCTUnwrap(client.readResponse(method: "POST"))
        XCTAssertEqual(r.status, 408)
        XCTAssertEqual(r.headers["connection"], "close")
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        XCTAssertEqual(body["error"] as? String, "request_timeout")
        XCTAssertFalse(upstream.requests.contains { $0.target == "/echo/stall" }, "an incomplete request never reaches the upstream as complete")
    }

    func testUpstreamThatStopsReadingTheBodyTimesOutWith504() throws {
        let client = try gateway.client()
        let written = DispatchSemaphore(value: 0)
        // Closed only once the writer is done: a descriptor closed under a writing thread is a
        // number the next socket gets (its bytes would land in another test's connection).
        defer { XCTAssertEqual(written.wait(timeout: .now() + 20), .success); client.close() }
        let size = 16 << 20   // more than the socket buffers and the gateway's queue hold
        client.write("POST /slow-read HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\n\r\n")
        Thread {
            client.writePattern(size)   // stops quietly once the gateway has closed
            written.signal()
        }.start()
        let r = try XCTUnwrap(client.readResponse(method: "POST"))
        XCTAssertEqual(r.status, 504)
        XCTAssertEqual(r.headers["connection"], "close", "the rest of the body is not read")
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        XCTAssertEqual(body["error"] as? String, "gateway_timeout")
        XCTAssertEqual(upstream.slowReadersWaiting, 1, "the upstream never read the body")
    }

    func testUpstreamStoppingMidBodyAbortsTheClientConnection() throws {
        let client = try gateway.client()   // its own receive timeout is 5 s, far beyond the gateway's 300 ms
        defer { client.close() }
        client.write("GET /stall/100000 HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try XCTUnwrap(client.readHead())
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 200"), head)
        XCTAssertTrue(head.lowercased().contains("content-length: 100000"), head)
        var received = client.buffer.count
        var chunk = [UInt8](repeating: 0, count: 65536)
        var end = 0, endErrno: Int32 = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, 65536, 0) }
            if n <= 0 { end = n; endErrno = errno; break }
            received += n
        }
        XCTAssertEqual(received, 50_000, "the half the upstream sent was relayed")
        // End of stream or reset: the gateway closed the connection; EAGAIN would mean the client hung.
        XCTAssertTrue(end == 0 || endErrno == ECONNRESET, "client connection not aborted: recv \(end), errno \(endErrno)")
        XCTAssertTrue(waitUntil { self.upstream.closedByPeer == 1 }, "the gateway closed the stalled upstream connection")
        // The gateway goes on serving, on a new upstream connection.
        XCTAssertEqual(gateway.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")?.status, 200)
        XCTAssertEqual(upstream.connectionCount, 2)
    }

    func testUpstreamSilentBeforeTheHeadAnswers504JSON() throws {
        let r = try XCTUnwrap(gateway.send("GET /stall-head HTTP/1.1\r\nHost: t\r\n\r\n"))
        XCTAssertEqual(r.status, 504)
        XCTAssertEqual(r.headers["content-type"], "application/json")
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        XCTAssertEqual(body["error"] as? String, "gateway_timeout")
        XCTAssertEqual(body["error_description"] as? String, "upstream did not respond in time")
        XCTAssertTrue(waitUntil { self.upstream.closedByPeer == 1 }, "the silent upstream connection is closed, not pooled")
    }
}
