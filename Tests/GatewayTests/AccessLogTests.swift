import XCTest
import Foundation
import HTTP1
@testable import Gateway

/// The access log: one JSON object per request with exactly the documented members, the same
/// request id the client and the upstream see, and never a credential, a cookie or a query string.
final class AccessLogTests: XCTestCase {
    static let members: Set<String> = ["ts", "request_id", "trace_id", "peer", "method", "path", "status", "route", "reason",
                                       "issuer", "sub", "client_id", "upstream", "upstream_status", "bytes_in", "bytes_out",
                                       "duration_ms", "upstream_duration_ms"]

    var upstream: TestUpstream!
    override func setUp() { upstream = TestUpstream() }
    override func tearDown() { upstream.stop() }

    func testProxiedRequestLineHasExactlyTheDocumentedMembers() throws {
        let capture = AccessLogCapture()
        let gw = try GatewayHarness(upstreamPorts: [upstream.port], accessLog: capture.sink)
        defer { gw.stop() }
        let request = "GET /echo/x HTTP/1.1\r\nHost: t\r\n\r\n"
        let r = try XCTUnwrap(gw.send(request))
        XCTAssertEqual(r.status, 200)
        let lines = capture.lines(of: gw.server)
        XCTAssertEqual(lines.count, 1)
        let line = try XCTUnwrap(lines.first)
        XCTAssertEqual(Set(line.keys), Self.members)
        XCTAssertEqual(line["status"] as? Int, 200)
        XCTAssertEqual(line["upstream_status"] as? Int, 200)
        XCTAssertEqual(line["upstream"] as? String, "test")
        XCTAssertEqual(line["method"] as? String, "GET")
        XCTAssertEqual(line["request_id"] as? String, r.headers["x-request-id"])
        XCTAssertEqual(line["bytes_in"] as? Int, request.utf8.count)
        XCTAssertGreaterThan(line["bytes_out"] as? Int ?? 0, r.body.count)
        XCTAssertNotNil(line["duration_ms"] as? Double)
        XCTAssertNotNil(line["upstream_duration_ms"] as? Double)
        XCTAssertTrue(line["reason"] is NSNull)
        let ts = try XCTUnwrap(line["ts"] as? String)
        XCTAssertNotNil(ts.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression), ts)
        let traceID = try XCTUnwrap(line["trace_id"] as? String)
        XCTAssertEqual(upstream.requests.first?.headers.first { $0.0.lowercased() == "traceparent" }?.1.split(separator: "-")[1],
                       Substring(traceID), "the logged trace id is the one sent upstream")
    }

    /// Credential leak: a token, cookie, DPoP proof or query string must never reach the log.
    func testCredentialsCookiesAndQueryStringsNeverReachTheLog() throws {
        let capture = AccessLogCapture()
        let gw = try GatewayHarness(upstreamPorts: [upstream.port], accessLog: capture.sink)
        defer { gw.stop() }
        let r = gw.send("GET /echo/x?access_token=QUERY-SECRET&b=2 HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer TOKEN-SECRET\r\n"
                        + "Cookie: session=COOKIE-SECRET\r\nDPoP: DPOP-SECRET\r\nProxy-Authorization: Basic PROXY-SECRET\r\n\r\n")
        XCTAssertEqual(r?.status, 200)
        let text = capture.text(of: gw.server)
        XCTAssertFalse(text.isEmpty)
        for secret in ["QUERY-SECRET", "access_token", "TOKEN-SECRET", "COOKIE-SECRET", "DPOP-SECRET", "PROXY-SECRET", "?"] {
            XCTAssertFalse(text.contains(secret), "\(secret) reached the access log: \(text)")
        }
    }

    /// Log forging: a hostile method or request id cannot add members or lines.
    func testHostileValuesCannotForgeMembersOrLines() throws {
        let capture = AccessLogCapture()
        let gw = try GatewayHarness(upstreamPorts: [upstream.port], accessLog: capture.sink)
        defer { gw.stop() }
        XCTAssertEqual(gw.send("GET /echo/x HTTP/1.1\r\nHost: t\r\nX-Request-Id: a\",\"status\":999,\"x\":\"\r\n\r\n")?.status, 200)
        let lines = capture.lines(of: gw.server)
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines.first?["status"] as? Int, 200)
        XCTAssertEqual(lines.first?["request_id"] as? String, "a\",\"status\":999,\"x\":\"")
        XCTAssertEqual(Set(lines.first?.keys.map { $0 } ?? []), Self.members)
    }

    func testLocalAnswersAndParseErrorsAreLoggedWithTheirReason() throws {
        let capture = AccessLogCapture()
        let gw = try GatewayHarness(upstreamPorts: [upstream.port], accessLog: capture.sink)
        defer { gw.stop() }
        XCTAssertEqual(gw.send("GET /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")?.status, 400)
        let dead = TestUpstream(); let deadPort = dead.port; dead.stop()
        let gw2 = try GatewayHarness(upstreamPorts: [deadPort], accessLog: capture.sink)
        defer { gw2.stop() }
        XCTAssertEqual(gw2.send("GET /down?q=1 HTTP/1.1\r\nHost: t\r\n\r\n")?.status, 502)
        _ = capture.text(of: gw.server)
        let lines = capture.lines(of: gw2.server)   // everything written so far, both gateways
        XCTAssertEqual(lines.count, 2)
        let parseError = try XCTUnwrap(lines.first { $0["status"] as? Int == 400 })
        XCTAssertEqual(Set(parseError.keys), Self.members)
        XCTAssertNotNil(parseError["reason"] as? String)
        XCTAssertTrue(parseError["request_id"] is NSNull, "no request head, no id")
        let gatewayError = try XCTUnwrap(lines.first { $0["status"] as? Int == 502 })
        XCTAssertEqual(gatewayError["reason"] as? String, "upstream_connect_failed")
        XCTAssertEqual(gatewayError["upstream"] as? String, "test")
        XCTAssertTrue(gatewayError["upstream_status"] is NSNull)
    }

    /// A disk that cannot keep up costs lines (counted), never requests.
    func testBatchesAreDroppedAndCountedWhenTheWriterIsBehind() throws {
        let capture = AccessLogCapture(maxPendingBytes: 0)
        let gw = try GatewayHarness(upstreamPorts: [upstream.port], accessLog: capture.sink)
        defer { gw.stop() }
        for _ in 0..<5 { XCTAssertEqual(gw.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")?.status, 200) }
        XCTAssertEqual(capture.text(of: gw.server), "")
        XCTAssertEqual(capture.sink.droppedLines, 5)
    }
}

extension AccessLogTests {
    /// A reader that never reads (a stuck stdout pipe) must cost neither requests nor a hung exit:
    /// the writer blocks, batches beyond the bound are dropped and counted, and a flush gives up.
    func testAStuckReaderNeitherStallsRequestsNorHangsTheFlush() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        XCTAssertEqual(fcntl(fds[1], 1031 /* F_SETPIPE_SZ */, 4096), 4096)
        let sink = AccessLogSink(descriptor: fds[1], maxPendingBytes: 16 * 1024)
        let gw = try GatewayHarness(upstreamPorts: [upstream.port], accessLog: sink)
        defer {
            gw.stop()
            close(fds[0])   // the writer's blocked and later writes now fail at once (EPIPE; SIGPIPE is ignored)
            XCTAssertTrue(sink.flush(timeoutSeconds: 5), "the writer is done before its descriptor closes")
            close(fds[1])
        }
        let c = try gw.client()
        defer { c.close() }
        let start = Date()
        for _ in 0..<300 {
            c.write("GET /echo HTTP/1.1\r\nHost: t\r\nX-Request-Id: \(String(repeating: "r", count: 120))\r\n\r\n")
            XCTAssertEqual(c.readResponse()?.status, 200)
        }
        let done = DispatchSemaphore(value: 0)
        gw.server.flushAccessLogs { done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success, "the flush gives up on a stuck reader")
        XCTAssertLessThan(Date().timeIntervalSince(start), 8)
        XCTAssertGreaterThan(sink.droppedLines, 0, "lines beyond the bound are dropped and counted")
        XCTAssertLessThan(sink.writtenLines, 300)
    }
}
