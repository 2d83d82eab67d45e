import Foundation
import XCTest
import IO
@testable import Gateway

/// The admin, demo and development listeners close a connection that does not deliver a complete
/// request in time: a slow-header client (slowloris) or a silent one cannot hold them forever.
final class LocalServerTimeoutTests: XCTestCase {
    struct Hello: LocalService {
        func handle(_ request: LocalRequest) -> LocalResponse { LocalResponse(status: 200, body: Array("hi".utf8)) }
    }

    private func withServer(_ body: (UInt16) throws -> Void) throws {
        let group = EventLoopGroup(count: 1, tickInterval: .milliseconds(20))
        defer { group.shutdown() }
        let server = LocalServer(service: Hello(), group: group, requestTimeoutMs: 300)
        let port = try server.start(listen: SocketAddress(host: "127.0.0.1", port: 0)!)
        defer { server.stop() }
        try body(port)
    }

    /// Reads until the server closes; true if it did within `seconds` (the socket's receive timeout).
    private func closedByServer(_ c: BlockingSocket) -> Bool {
        while c.fill() {}
        var byte: UInt8 = 0
        return recv(c.fd, &byte, 1, Int32(MSG_DONTWAIT)) == 0
    }

    func testSlowHeadIsClosed_Slowloris() throws {
        try withServer { port in
            let c = try XCTUnwrap(BlockingSocket.connect(port: port, timeoutSeconds: 3))
            defer { c.close() }
            c.write("GET /metrics HTTP/1.1\r\nHo")   // and nothing more
            XCTAssertTrue(closedByServer(c), "a connection stuck in its head was not closed")
        }
    }

    func testIdleKeepAliveConnectionIsClosedAfterItsAnswer() throws {
        try withServer { port in
            let c = try XCTUnwrap(BlockingSocket.connect(port: port, timeoutSeconds: 3))
            defer { c.close() }
            c.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
            let r = try XCTUnwrap(c.readResponse())
            XCTAssertEqual(r.status, 200)
            XCTAssertTrue(closedByServer(c), "an idle keep-alive connection was kept forever")
        }
    }

    func testARequestInTimeIsAnswered() throws {
        try withServer { port in
            let c = try XCTUnwrap(BlockingSocket.connect(port: port, timeoutSeconds: 3))
            defer { c.close() }
            c.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\nGET /y HTTP/1.1\r\nHost: a\r\n\r\n")
            XCTAssertEqual(c.readResponse()?.status, 200)
            XCTAssertEqual(c.readResponse()?.status, 200)
        }
    }
}
