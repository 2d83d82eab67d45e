import XCTest
import Dispatch
import IO
@testable import Gateway

/// The end of a drain closes the listening socket, and the kernel resets every connection still in
/// its backlog (completed, never accepted). Those clients have usually sent their request already, so
/// the listener accepts its backlog before closing, and the drain leaves connections that have not
/// carried a request yet to send one: each is answered, with `Connection: close`.
final class DrainBacklogTests: XCTestCase {
    func testConnectionsWaitingInTheBacklogAtDrainAreServedNotReset() throws {
        let upstream = TestUpstream()
        defer { upstream.stop() }
        let gateway = try GatewayHarness(upstreamPorts: [upstream.port], loops: 1)
        defer { gateway.group.shutdown() }

        // Hold the only loop: connections complete in the kernel's backlog and nobody accepts them.
        let holding = DispatchSemaphore(value: 0), held = DispatchSemaphore(value: 0)
        gateway.group.loops[0].execute { held.signal(); holding.wait() }
        held.wait()
        let clients = try (0..<16).map { i -> BlockingSocket in
            let c = try XCTUnwrap(BlockingSocket.connect(port: gateway.port), "connection \(i) completes in the backlog")
            c.write("GET /echo/\(i) HTTP/1.1\r\nHost: t\r\n\r\n")
            return c
        }
        defer { clients.forEach { $0.close() } }

        // Drain with no delay: stop accepting and close idle connections, then let the loop run.
        let drained = DispatchSemaphore(value: 0)
        gateway.server.shutdown(graceMs: 5000) { _ in drained.signal() }
        holding.signal()

        for (i, c) in clients.enumerated() {
            let response = c.readResponse()
            XCTAssertEqual(response?.status, 200, "connection \(i) was answered, not reset")
            XCTAssertEqual(response?.headers["connection"], "close", "connection \(i)")
        }
        XCTAssertEqual(drained.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(upstream.requests.count, clients.count)
    }
}
