import XCTest
import Foundation
@testable import Gateway

/// `portcullis_requests_total` counts the status the client actually got, on every path: relayed
/// responses, gateway errors (502, 504), local answers (400, 408) and clients that left (499). The
/// regression: while an upstream was down, a forwarded-requests counter rose and nothing counted 502.
final class RequestCountingTests: XCTestCase {
    var upstream: TestUpstream!
    override func setUp() { upstream = TestUpstream() }
    override func tearDown() { upstream.stop() }

    private func metrics(_ gw: GatewayHarness) -> RequestMetricsSnapshot {
        let done = DispatchSemaphore(value: 0)
        let box = SnapshotBox()
        gw.server.collectMetrics { box.value = $0; done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        return box.value!
    }

    private func errors(_ s: RequestMetricsSnapshot, _ kind: UpstreamErrorKind) -> Int {
        s.metrics.upstreamErrors[RequestMetrics.UpstreamErrorKey(upstream: "test", kind: kind)] ?? 0
    }

    func testDeadUpstreamCounts502AndAConnectError() throws {
        let dead = TestUpstream(); let deadPort = dead.port; dead.stop()
        let gw = try GatewayHarness(upstreamPorts: [deadPort])
        defer { gw.stop() }
        for _ in 0..<3 { XCTAssertEqual(gw.send("GET /x HTTP/1.1\r\nHost: t\r\n\r\n")?.status, 502) }
        let s = metrics(gw)
        XCTAssertEqual(s.requests(status: 502), 3)
        XCTAssertEqual(errors(s, .connect), 3)
        XCTAssertEqual(s.metrics.upstreamDurations["test"]?.count ?? 0, 0, "no upstream response was timed")
        XCTAssertEqual(s.metrics.codes["upstream_connect_failed"], 3)
        XCTAssertEqual(s.metrics.forwarded, 3, "the deprecated counter counts hand-overs, whatever came of them")
    }

    func testTimeoutResetAndMalformedResponsesCountTheirKind() throws {
        let gw = try GatewayHarness(upstreamPorts: [upstream.port]) { _, up in up.responseTimeoutMs = 300 }
        defer { gw.stop() }
        XCTAssertEqual(gw.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")?.status, 504)
        XCTAssertEqual(gw.send("POST /reset HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")?.status, 502)
        XCTAssertEqual(gw.send("GET /garbage HTTP/1.1\r\nHost: t\r\n\r\n")?.status, 502)
        XCTAssertEqual(gw.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")?.status, 200)
        let s = metrics(gw)
        XCTAssertEqual(s.requests(status: 504), 1)
        XCTAssertEqual(s.requests(status: 502), 2)
        XCTAssertEqual(s.requests(status: 200), 1)
        XCTAssertEqual(errors(s, .timeout), 1)
        XCTAssertEqual(errors(s, .reset), 1)
        XCTAssertEqual(errors(s, .malformed), 1)
        XCTAssertEqual(s.metrics.upstreamDurations["test"]?.count, 1, "the relayed response was timed")
        XCTAssertEqual(s.metrics.requestDurations["none"]?.count, 4, "every request was timed (route none)")
    }

    func testParseErrorsAndHeaderTimeoutsAreCounted() throws {
        let gw = try GatewayHarness(upstreamPorts: [upstream.port]) { s, _ in s.headerReadTimeoutMs = 200 }
        defer { gw.stop() }
        XCTAssertEqual(gw.send("GET /x HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")?.status, 400)
        let slow = try gw.client()
        defer { slow.close() }
        slow.write("GET /echo HTTP/1.1\r\nHost: t\r\n")
        XCTAssertEqual(slow.readResponse()?.status, 408)
        let s = metrics(gw)
        XCTAssertEqual(s.requests(status: 400), 1)
        XCTAssertEqual(s.requests(status: 408), 1)
        XCTAssertEqual(s.metrics.requests.keys.filter { $0.status == 408 }.first?.method, .other)
    }

    func testClientLeavingBeforeTheResponseCounts499() throws {
        let gw = try GatewayHarness(upstreamPorts: [upstream.port])
        defer { gw.stop() }
        let c = try gw.client()
        c.write("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n")
        c.writePattern(10)
        c.close()   // the body is incomplete: the gateway cannot answer any more
        let deadline = Date().addingTimeInterval(5)
        var s = metrics(gw)
        while s.requests(status: 499) == 0 && Date() < deadline { usleep(10_000); s = metrics(gw) }
        XCTAssertEqual(s.requests(status: 499), 1)
        XCTAssertEqual(s.metrics.codes["client_closed"], 1)
    }

    func testMethodsOutsideTheKnownSetFoldIntoOther() {
        XCTAssertEqual(MethodLabel("GET"), .get)
        XCTAssertEqual(MethodLabel("PATCH").text, "PATCH")
        XCTAssertEqual(MethodLabel("get"), .other, "methods are case-sensitive")
        XCTAssertEqual(MethodLabel("X-ATTACKER-\(UUID().uuidString)").text, "other")
    }
}

private final class SnapshotBox: @unchecked Sendable { var value: RequestMetricsSnapshot? }

extension RequestCountingTests {
    /// Every request is finished exactly once: over keep-alive and pipelined connections, with
    /// bodies, HEAD and gateway errors mixed in, the counters and the access log each hold exactly
    /// one entry per response the clients read.
    func testEveryResponseIsCountedAndLoggedExactlyOnce() throws {
        let capture = AccessLogCapture()
        let gw = try GatewayHarness(upstreamPorts: [upstream.port], accessLog: capture.sink)
        defer { gw.stop() }
        let shapes: [(raw: String, method: String, status: Int)] = [
            ("GET /echo/a HTTP/1.1\r\nHost: t\r\n\r\n", "GET", 200),
            ("POST /echo/b HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello", "POST", 200),
            ("HEAD /echo/c HTTP/1.1\r\nHost: t\r\n\r\n", "HEAD", 200),
            ("GET /garbage HTTP/1.1\r\nHost: t\r\n\r\n", "GET", 502),
            ("PUT /echo/d HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "PUT", 200),
        ]
        // Each connection ends with a malformed request: 400, and the connection closes.
        let last: (raw: String, method: String, status: Int) = ("GET /x HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "GET", 400)
        let sequence = shapes + shapes + [last]
        var statuses: [Int: Int] = [:]
        var ids = Set<String>()
        for connection in 0..<4 {
            let c = try gw.client()
            defer { c.close() }
            // Half of the connections pipeline all their requests at once, the others send one at a time.
            if connection % 2 == 0 { c.write(sequence.map(\.raw).joined()) }
            for shape in sequence {
                if connection % 2 == 1 { c.write(shape.raw) }
                let r = try XCTUnwrap(c.readResponse(method: shape.method))
                XCTAssertEqual(r.status, shape.status, shape.raw)
                statuses[r.status, default: 0] += 1
                if let id = r.headers["x-request-id"] { ids.insert(id) }
            }
        }
        let read = statuses.values.reduce(0, +)
        let s = metrics(gw)
        XCTAssertEqual(s.metrics.requests.values.reduce(0, +), read)
        for (status, n) in statuses { XCTAssertEqual(s.requests(status: status), n, "status \(status)") }
        let lines = capture.lines(of: gw.server)
        XCTAssertEqual(lines.count, read)
        XCTAssertEqual(Set(lines.compactMap { $0["request_id"] as? String }), ids)
        XCTAssertEqual(ids.count, read - 4, "every response but the four 400s (no head, no id) had its own id")
        let posts = lines.filter { $0["method"] as? String == "POST" }
        XCTAssertEqual(posts.count, 8)
        XCTAssertTrue(posts.allSatisfy { ($0["bytes_in"] as? Int ?? 0) == shapes[1].raw.utf8.count }, "bytes_in counts head and body")
    }
}

/// An upstream that answers one request with a head promising 100 bytes, sends 10 and closes.
private final class TruncatingUpstream: @unchecked Sendable {
    let port: UInt16
    private let fd: Int32

    init() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 16)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.fd = fd
        port = UInt16(bigEndian: addr.sin_port)
        Thread { [fd] in
            let c = accept(fd, nil, nil)
            guard c >= 0 else { return }
            let conn = BlockingSocket(fd: c)
            _ = conn.readHead()
            conn.write(Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789".utf8))
            conn.close()
        }.start()
    }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
}

extension RequestCountingTests {
    /// A response cut short after its head reached the client counts with the status the client
    /// got, and its cause (`upstream_reset`) in the log's `reason` and the upstream error kinds.
    func testResponseCutShortAfterItsHeadCountsItsStatusAndTheReset() throws {
        let truncating = TruncatingUpstream()
        defer { truncating.stop() }
        let capture = AccessLogCapture()
        let gw = try GatewayHarness(upstreamPorts: [truncating.port], accessLog: capture.sink)
        defer { gw.stop() }
        let c = try gw.client()
        defer { c.close() }
        c.write("GET /cut HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertNil(c.readResponse(), "the client sees the connection close before 100 body bytes")
        let deadline = Date().addingTimeInterval(5)
        var s = metrics(gw)
        while s.requests(status: 200) == 0 && Date() < deadline { usleep(10_000); s = metrics(gw) }
        XCTAssertEqual(s.requests(status: 200), 1)
        XCTAssertEqual(errors(s, .reset), 1)
        let line = try XCTUnwrap(capture.lines(of: gw.server).first)
        XCTAssertEqual(line["status"] as? Int, 200)
        XCTAssertEqual(line["upstream_status"] as? Int, 200)
        XCTAssertEqual(line["reason"] as? String, "upstream_reset")
    }
}
