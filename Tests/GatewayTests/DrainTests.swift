import XCTest
import Foundation
@testable import Gateway
#if canImport(Glibc)
import Glibc
#endif

/// Health and drain: `/healthz`, `/readyz`, SIGTERM with `drain_delay_ms` and `shutdown_grace_ms`,
/// and no reset for a request the gateway has received when it closes idle connections.
final class DrainTests: XCTestCase {
    private var upstream: TestUpstream!

    override func setUp() { upstream = TestUpstream() }
    override func tearDown() { upstream.stop() }

    private func config(drainDelayMs: Int) -> String {
        """
        {"listen": "127.0.0.1:0", "workers": 1, "admin": {"listen": "127.0.0.1:0"},
         "timeouts": {"drain_delay_ms": \(drainDelayMs), "shutdown_grace_ms": 5000},
         "upstreams": {"u": {"targets": ["http://127.0.0.1:\(upstream.port)"]}},
         "routes": [{"path": "/**", "upstream": "u", "public": true}]}
        """
    }

    func testSIGTERMTurnsReadyzTo503AtOnceAndServesWithConnectionCloseUntilTheDrainDelayEnds() throws {
        let gateway = try PortcullisProcess(config: config(drainDelayMs: 1500))
        XCTAssertEqual(gateway.admin("/readyz")?.status, 200)
        XCTAssertEqual(gateway.admin("/healthz")?.status, 200)
        let keepAlive = try XCTUnwrap(BlockingSocket.connect(port: gateway.gatewayPort))
        defer { keepAlive.close() }
        keepAlive.write("GET /echo/1 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(keepAlive.readResponse()?.headers["connection"], nil, "keep-alive before the drain")

        gateway.send(SIGTERM)
        XCTAssertNotNil(gateway.waitForLog("draining"), gateway.logText)
        let ready = try XCTUnwrap(gateway.admin("/readyz"))
        XCTAssertEqual(ready.status, 503)
        let body = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ready.body)) as? [String: Any])
        XCTAssertEqual(body["status"] as? String, "not_ready")
        XCTAssertEqual(body["reasons"] as? [String], ["draining"])
        XCTAssertEqual(gateway.admin("/healthz")?.status, 200, "alive while draining")

        // During the delay: the open connection's next request and a new connection are both served,
        // each told to close.
        keepAlive.write("GET /echo/2 HTTP/1.1\r\nHost: t\r\n\r\n")
        let last = try XCTUnwrap(keepAlive.readResponse())
        XCTAssertEqual(last.status, 200)
        XCTAssertEqual(last.headers["connection"], "close")
        XCTAssertEqual(keepAlive.readToEOF(), [], "then the gateway closes it (an end of stream, not a reset)")
        let fresh = try XCTUnwrap(BlockingSocket.connect(port: gateway.gatewayPort), "still accepting during the drain delay")
        defer { fresh.close() }
        fresh.write("GET /echo/3 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(fresh.readResponse()?.headers["connection"], "close")
        XCTAssertNil(gateway.log.first { $0["msg"] as? String == "stopped" }, "still serving inside the delay")

        XCTAssertEqual(gateway.waitForExit(), 0)
        XCTAssertEqual(gateway.waitForLog("stopped")?["unfinished_connections"] as? String, "0")
    }

    func testRequestInFlightAtSIGTERMFinishesAndTheProcessExitsZero() throws {
        let gateway = try PortcullisProcess(config: config(drainDelayMs: 0))
        let client = try XCTUnwrap(BlockingSocket.connect(port: gateway.gatewayPort))
        client.write("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        let deadline = Date().addingTimeInterval(5)
        while upstream.requests.isEmpty && Date() < deadline { usleep(5_000) }
        XCTAssertEqual(upstream.requests.count, 1)
        gateway.send(SIGTERM)
        let response = try XCTUnwrap(client.readResponse())
        XCTAssertEqual(response.status, 200, "the request in flight finishes within shutdown_grace_ms")
        XCTAssertEqual(response.headers["connection"], "close")
        client.close()
        XCTAssertEqual(gateway.waitForExit(), 0)
    }

    /// Regression: a drain closed idle keep-alive connections with `close()` even when the client's
    /// next request was already in the socket; closing over unread bytes sends a reset, so the
    /// client lost a request it had sent (2–3 per SIGTERM under load). Now the socket is read first
    /// and that request is answered, with `Connection: close`.
    func testRequestAlreadyInTheSocketWhenTheDrainClosesIdleConnectionsIsAnsweredNotReset() throws {
        let harness = try GatewayHarness(upstreamPorts: [upstream.port], loops: 1)
        defer { harness.group.shutdown() }
        let client = try harness.client()
        client.write("GET /echo/1 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(client.readResponse()?.status, 200)

        // Hold the loop, so the drain's "close idle connections" step is queued before the loop
        // learns (from epoll) that the next request has arrived.
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        harness.group.loops[0].execute { holding.signal(); release.wait() }
        holding.wait()
        let stopped = DispatchSemaphore(value: 0)
        harness.server.shutdown(graceMs: 2000) { _ in stopped.signal() }
        client.write("GET /echo/2 HTTP/1.1\r\nHost: t\r\n\r\n")   // in the server's socket buffer at once (loopback)
        release.signal()

        let response = try XCTUnwrap(client.readResponse(), "the request the client had sent was reset")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["connection"], "close")
        XCTAssertEqual(client.readToEOF(), [])
        client.close()
        XCTAssertEqual(stopped.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(upstream.requests.count, 2)
    }

    func testIdleKeepAliveConnectionIsClosedWithAnEndOfStreamWhenAcceptingStops() throws {
        let harness = try GatewayHarness(upstreamPorts: [upstream.port], loops: 1)
        defer { harness.group.shutdown() }
        let client = try harness.client()
        client.write("GET /echo/1 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(client.readResponse()?.status, 200)
        let stopped = DispatchSemaphore(value: 0)
        harness.server.shutdown(graceMs: 2000) { remaining in XCTAssertEqual(remaining, 0); stopped.signal() }
        var byte: UInt8 = 0
        XCTAssertEqual(recv(client.fd, &byte, 1, 0), 0, "an end of stream (errno \(errno) if not)")
        client.close()
        XCTAssertEqual(stopped.wait(timeout: .now() + 5), .success)
    }
}
