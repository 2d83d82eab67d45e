import Foundation
import XCTest
@testable import Gateway

/// An idle keep-alive connection keeps no buffer the size of the last response it carried: the
/// 10,000-idle-connection figures hold for connections that moved real responses, not only tiny ones.
final class IdleConnectionMemoryTests: XCTestCase {
    func testLargeResponseLeavesNoResponseSizedBufferOnTheIdleConnection() throws {
        let fixture = try AuthGatewayFixture(routes: #"{ "methods": ["GET"], "path": "/bytes/{n}", "upstream": "api", "public": true }"#)
        defer { fixture.stop() }
        let socket = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
        defer { socket.close() }
        for size in [200_000, 100] {   // a large response, then a small one on the same connection
            socket.write("GET /bytes/\(size) HTTP/1.1\r\nHost: g\r\n\r\n")
            let response = try XCTUnwrap(socket.readResponse())
            XCTAssertEqual(response.body.count, size)
            let kept = idleBufferBytes(fixture.gateway.server)
            XCTAssertEqual(kept.count, 1, "one open connection")
            XCTAssertLessThanOrEqual(kept.first ?? .max, ProxyExchangeConstants.retainedScratchCapacity + 2048,
                                     "after /bytes/\(size) the idle connection keeps \(kept) bytes of buffers")
        }
    }

    /// `idleBufferBytes` of every connection, read on the loops (after the turn that finished the response).
    private func idleBufferBytes(_ server: GatewayServer) -> [Int] {
        var all: [Int] = []
        for loop in server.group.loops {
            guard let context = server.contexts[loop.index] else { continue }
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var values: [Int] = []
            loop.execute {
                values = context.connections.values.map(\.idleBufferBytes)
                done.signal()
            }
            done.wait()
            all += values
        }
        return all
    }
}
