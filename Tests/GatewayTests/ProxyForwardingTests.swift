import XCTest
import Foundation
@testable import Gateway

/// End-to-end: a real gateway on 127.0.0.1 in front of `TestUpstream`.
final class ProxyForwardingTests: XCTestCase {
    var upstream: TestUpstream!
    var gateway: GatewayHarness!

    override func setUpWithError() throws {
        upstream = TestUpstream()
        gateway = try GatewayHarness(upstreamPorts: [upstream.port])
    }

    override func tearDown() {
        gateway.stop()
        upstream.stop()
    }

    func testGetIsForwardedAndAnswered() throws {
        let r = try XCTUnwrap(gateway.send("GET /echo/a?x=1 HTTP/1.1\r\nHost: api.example\r\n\r\n"))
        XCTAssertEqual(r.status, 200)
        let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
        XCTAssertEqual(json?["target"] as? String, "/echo/a?x=1")
        XCTAssertNotNil(r.headers["x-request-id"])
        let seen = try XCTUnwrap(upstream.requests.last)
        let names = Set(seen.headers.map { $0.0.lowercased() })
        XCTAssertTrue(names.contains("x-forwarded-for"))
        XCTAssertEqual(seen.headers.first { $0.0.lowercased() == "x-forwarded-host" }?.1, "api.example")
        XCTAssertEqual(seen.headers.first { $0.0.lowercased() == "x-request-id" }?.1, r.headers["x-request-id"])
    }

    func testBodiesOfSeveralSizesArriveIntact() throws {
        for size in [0, 1, 1000, 65_536, 1_000_003, 8_000_000] {
            let c = try gateway.client()
            c.write("POST /echo/upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(size)\r\n\r\n")
            c.writePattern(size)
            let r = try XCTUnwrap(c.readResponse(), "size \(size)")
            c.close()
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
            XCTAssertEqual(json["body_length"] as? Int, size)
            XCTAssertEqual((json["body_hash"] as? NSNumber)?.uint64Value, fnv1a(pattern(size)), "size \(size)")
        }
    }

    func testResponseBodiesOfSeveralSizesArriveIntact() throws {
        for size in [0, 10, 70_000, 3_000_000] {
            let r = try XCTUnwrap(gateway.send("GET /bytes/\(size) HTTP/1.1\r\nHost: t\r\n\r\n"))
            XCTAssertEqual(r.body.count, size)
            XCTAssertEqual(r.headers["x-body-hash"], String(fnv1a(pattern(size))))
        }
    }

    func testChunkedRequestBodyIsReframedAndIntact() throws {
        let c = try gateway.client()
        defer { c.close() }
        let body = pattern(5000)
        var raw = Array("POST /echo/chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        raw += Array("1388;ext=1\r\n".utf8) + body + Array("\r\n0\r\nX-Trailer: t\r\n\r\n".utf8)
        c.write(raw)
        let r = try XCTUnwrap(c.readResponse())
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        XCTAssertEqual(json["body_length"] as? Int, 5000)
        XCTAssertEqual((json["body_hash"] as? NSNumber)?.uint64Value, fnv1a(body))
    }

    func testChunkedAndCloseDelimitedResponsesReachAnHTTP11ClientChunked() throws {
        for path in ["/chunked/12345", "/close/54321"] {
            let r = try XCTUnwrap(gateway.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n"))
            XCTAssertEqual(r.headers["transfer-encoding"], "chunked", path)
            XCTAssertEqual(String(fnv1a(r.body)), r.headers["x-body-hash"], path)
        }
    }

    func testCloseDelimitedResponseReachesAnHTTP10ClientCloseDelimited() throws {
        let c = try gateway.client()
        defer { c.close() }
        c.write("GET /close/3000 HTTP/1.0\r\nHost: t\r\n\r\n")
        let r = try XCTUnwrap(c.readResponse())
        XCTAssertNil(r.headers["transfer-encoding"])
        XCTAssertEqual(r.body.count, 3000)
    }

    func testKeepAliveAndPipelinedRequestsAreAnsweredInOrder() throws {
        let c = try gateway.client()
        defer { c.close() }
        c.write("GET /echo/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /bytes/5 HTTP/1.1\r\nHost: t\r\n\r\nGET /echo/3 HTTP/1.1\r\nHost: t\r\n\r\n")
        let r1 = try XCTUnwrap(c.readResponse()), r2 = try XCTUnwrap(c.readResponse()), r3 = try XCTUnwrap(c.readResponse())
        XCTAssertTrue(String(decoding: r1.body, as: UTF8.self).contains("/echo/1"))
        XCTAssertEqual(r2.body.count, 5)
        XCTAssertTrue(String(decoding: r3.body, as: UTF8.self).contains("/echo/3"))
        // And the connection stays usable.
        c.write("GET /echo/4 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(c.readResponse()?.status, 200)
    }

    func testHopByHopHeadersAreRemovedBothWays() throws {
        let r = try XCTUnwrap(gateway.send("GET /echo/h HTTP/1.1\r\nHost: t\r\nConnection: X-Secret, keep-alive\r\nX-Secret: 1\r\nKeep-Alive: 5\r\nProxy-Connection: x\r\nTE: trailers\r\nUpgrade: websocket\r\n\r\n"))
        XCTAssertEqual(r.status, 200)
        let names = Set(try XCTUnwrap(upstream.requests.last).headers.map { $0.0.lowercased() })
        for hop in ["x-secret", "keep-alive", "proxy-connection", "te", "upgrade"] { XCTAssertFalse(names.contains(hop), hop) }
        XCTAssertNil(r.headers["x-upstream-connection"], "a field named by the upstream's Connection header must not reach the client")
    }

    func testExpect100ContinueGetsContinueThenTheResponse() throws {
        let c = try gateway.client()
        defer { c.close() }
        c.write("POST /echo/e HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        XCTAssertEqual(c.readHead(), "HTTP/1.1 100 Continue")
        c.write("abcd")
        let r = try XCTUnwrap(c.readResponse())
        XCTAssertTrue(String(decoding: r.body, as: UTF8.self).contains("\"body_length\":4"))
        XCTAssertFalse(try XCTUnwrap(upstream.requests.last).headers.contains { $0.0.lowercased() == "expect" })
    }

    func testHeadRequestGetsNoBody() throws {
        let c = try gateway.client()
        defer { c.close() }
        c.write("HEAD /bytes/100 HTTP/1.1\r\nHost: t\r\n\r\nGET /bytes/3 HTTP/1.1\r\nHost: t\r\n\r\n")
        let r = try XCTUnwrap(c.readResponse(method: "HEAD"))
        XCTAssertEqual(r.headers["content-length"], "100")
        XCTAssertEqual(c.readResponse()?.body.count, 3, "the next response must start right after the HEAD response head")
    }

    func testUpstreamConnectionsAreReused() throws {
        let c = try gateway.client()
        defer { c.close() }
        for i in 0..<5 {
            c.write("GET /echo/\(i) HTTP/1.1\r\nHost: t\r\n\r\n")
            XCTAssertEqual(c.readResponse()?.status, 200)
        }
        XCTAssertEqual(upstream.connectionCount, 1)
    }

    /// 100 requests in flight at once on one loop, twice: the second burst finds every upstream
    /// connection of the first one idle in the pool (the default keeps up to 1024 per target; with
    /// the former default of 64, 36 would have been closed and opened again on every burst).
    func testConcurrentBurstsReuseEveryUpstreamConnectionByDefault() throws {
        let oneLoop = try GatewayHarness(upstreamPorts: [upstream.port], loops: 1)
        defer { oneLoop.stop() }
        let clients = try (0..<100).map { _ in try oneLoop.client() }
        defer { clients.forEach { $0.close() } }
        func burst() {
            for (i, c) in clients.enumerated() { c.write("GET /pause/\(i) HTTP/1.1\r\nHost: t\r\n\r\n") }
            for c in clients { XCTAssertEqual(c.readResponse()?.status, 200) }
        }
        burst()
        let afterFirst = upstream.connectionCount
        XCTAssertGreaterThan(afterFirst, 64, "the burst really had more requests in flight than the old limit")
        burst()
        XCTAssertEqual(upstream.connectionCount, afterFirst, "no upstream connection opened for the second burst")
    }

    /// One keep-alive connection reuses its exchange for the next request: every per-request field
    /// (body framing both ways, HEAD, a failed exchange in between) must start fresh each time.
    func testOneConnectionCarriesRequestsOfEveryShapeInTurn() throws {
        let c = try gateway.client()
        defer { c.close() }
        func json(_ r: (status: Int, headers: [String: String], body: [UInt8])?) -> [String: Any]? {
            guard let r else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any]
        }
        c.write("POST /echo/a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
        XCTAssertEqual(json(c.readResponse())?["body_length"] as? Int, 5)
        c.write("GET /chunked/3000 HTTP/1.1\r\nHost: t\r\n\r\n")
        let chunked = try XCTUnwrap(c.readResponse())
        XCTAssertEqual(chunked.body.count, 3000)
        XCTAssertEqual(chunked.headers["transfer-encoding"], "chunked")
        c.write("POST /echo/b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
        XCTAssertEqual(json(c.readResponse())?["body_length"] as? Int, 3)
        c.write("HEAD /bytes/100 HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try XCTUnwrap(c.readResponse(method: "HEAD"))
        XCTAssertEqual(head.headers["content-length"], "100")
        XCTAssertTrue(head.body.isEmpty)
        c.write("GET /bytes/7 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(c.readResponse()?.body.count, 7)
        c.write("GET /garbage HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(c.readResponse()?.status, 502)
        c.write("GET /bytes/9 HTTP/1.1\r\nHost: t\r\n\r\n")
        let last = try XCTUnwrap(c.readResponse())
        XCTAssertEqual(last.status, 200)
        XCTAssertEqual(last.body.count, 9)
        XCTAssertEqual(Set(upstream.requests.map(\.1)).count, 7, "every request reached the upstream once")
    }

    func testClientCannotSpoofTheForwardedHeadersTheGatewaySets() throws {
        let r = try XCTUnwrap(gateway.send("GET /echo/f HTTP/1.0\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n"
                                           + "X_Forwarded_Host: evil2\r\nX-Forwarded-For: 10.9.9.9\r\nX-Request-Id: mine-1\r\n\r\n"))
        XCTAssertEqual(r.status, 200)
        let seen = try XCTUnwrap(upstream.requests.last).headers
        func values(_ name: String) -> [String] { seen.filter { $0.0.lowercased() == name }.map(\.1) }
        XCTAssertEqual(values("x-forwarded-host"), [], "no Host on this request: nothing to forward, and never the client's")
        XCTAssertEqual(values("x_forwarded_host"), [], "underscore spelling dropped too")
        XCTAssertEqual(values("x-forwarded-proto"), ["http"])
        XCTAssertEqual(values("x-forwarded-for"), ["10.9.9.9, 127.0.0.1"], "the client's chain kept, the peer appended")
        XCTAssertEqual(values("x-request-id"), ["mine-1"], "a sane client id is kept, once")
        XCTAssertEqual(r.headers["x-request-id"], "mine-1")
    }

    /// Issue #10, fault 5: `Transfer_Encoding: chunked` and `Content_Length: 5` reached the upstream
    /// beside the gateway's own framing; an upstream that reads `_` as `-` saw two framings.
    func testUnderscoreSpellingsOfFramingFieldsAreNotForwarded_SmugglingViaAlias() throws {
        let r = try XCTUnwrap(gateway.send("POST /echo/u HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer_Encoding: chunked\r\n"
                                           + "Content_Length: 5\r\nKeep_Alive: 1\r\nProxy_Connection: close\r\nX_Forwarded_Port: 1\r\n\r\nabc"))
        XCTAssertEqual(r.status, 200)
        let seen = try XCTUnwrap(upstream.requests.last).headers.map { $0.0.lowercased() }
        for alias in ["transfer_encoding", "content_length", "keep_alive", "proxy_connection", "x_forwarded_port"] {
            XCTAssertFalse(seen.contains(alias), "\(alias) forwarded")
        }
        XCTAssertEqual(seen.filter { $0 == "content-length" }.count, 1, "the gateway's own framing, once")
        XCTAssertEqual(try XCTUnwrap(upstream.requests.last).bodyCount, 3)
    }

    /// `Proxy-Authorization` is meant for this proxy (RFC 9110 §11.7.2) and carries credentials: it is
    /// never passed on, in either spelling.
    func testProxyAuthorizationAndCredentialAliasesAreNotForwarded_CredentialLeak() throws {
        let r = try XCTUnwrap(gateway.send("GET /echo/p HTTP/1.1\r\nHost: t\r\nProxy-Authorization: Basic c2VjcmV0\r\n"
                                           + "Proxy_Authorization: Basic c2VjcmV0\r\nX-Custom_Field: kept\r\n\r\n"))
        XCTAssertEqual(r.status, 200)
        let seen = try XCTUnwrap(upstream.requests.last).headers.map { $0.0.lowercased() }
        for name in ["proxy-authorization", "proxy_authorization"] {
            XCTAssertFalse(seen.contains(name), "\(name) forwarded")
        }
        XCTAssertTrue(seen.contains("x-custom_field"), "an underscore name that aliases nothing we interpret is forwarded")
    }
}
