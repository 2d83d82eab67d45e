import Foundation
import XCTest
@testable import Gateway

/// An upstream may answer before it has read the request body (an early 413 or 401; RFC 9110
/// §15 lets a server do so). The answer must reach the client completely, say `Connection: close`,
/// and the connection must end with a lingering close, never a reset (issue #10, fault 2: 9.3% of
/// such answers were lost to ECONNRESET and some 413s became 502s).
final class EarlyResponseTests: XCTestCase {
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

    /// Sends a POST with a `size`-byte body from a background thread; returns the client and the
    /// writer's completion.
    private func post(_ path: String, size: Int) throws -> (BlockingSocket, DispatchSemaphore) {
        try Self.post(gateway, path, size: size)
    }

    private static func post(_ gateway: GatewayHarness, _ path: String, size: Int) throws -> (BlockingSocket, DispatchSemaphore) {
        let client = try gateway.client()
        client.write("POST \(path) HTTP/1.1\r\nHost: a\r\nContent-Length: \(size)\r\n\r\n")
        let written = DispatchSemaphore(value: 0)
        Thread {
            client.writePattern(size)   // stops quietly once the gateway has closed
            written.signal()
        }.start()
        return (client, written)
    }

    func testEarlyAnswerToAnUnfinishedUploadIsForwardedWithConnectionCloseAndNoReset() throws {
        // Larger than every kernel buffer between client, gateway and upstream together, so the
        // upstream answers before the whole body can have been forwarded, however slowly it runs.
        let (client, written) = try post("/early", size: 32 << 20)
        defer { client.close() }
        let response = try XCTUnwrap(client.readResponse(method: "POST"))
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "too large")
        XCTAssertEqual(response.headers["connection"], "close", "the rest of the body will not be read")
        // The gateway half-closes after the answer: the client reads an end of stream, not a reset.
        var byte: UInt8 = 0
        let n = recv(client.fd, &byte, 1, 0)
        XCTAssertEqual(n, 0, "expected EOF after the answer, got \(n) (errno \(errno))")
        XCTAssertEqual(written.wait(timeout: .now() + 60), .success)
    }

    func testEarlyAnswerThenResetByTheUpstreamStillReachesTheClient() throws {
        // The upstream closes over the unread body: its kernel sends RST, so the gateway's next body
        // write fails. The 413 already received must still be forwarded (it became a 502 before).
        for _ in 0..<20 {
            let (client, written) = try post("/early-reset", size: 512 << 10)
            let response = try XCTUnwrap(client.readResponse(method: "POST"))
            XCTAssertEqual(response.status, 413)
            // No assertion on `Connection` here: on a slow host the whole 512 KiB can be forwarded
            // into the upstream's socket buffer before it reads the head, and then the connection
            // may rightly stay open.
            XCTAssertEqual(written.wait(timeout: .now() + 60), .success)
            client.close()
        }
    }

    func testGatewayStaysUpAfterManyEarlyResetsAndServesTheNextRequest() throws {
        // The crash of fault 1 came from this upstream behaviour under concurrency.
        let group = DispatchGroup()
        nonisolated(unsafe) let gw = gateway!
        for _ in 0..<8 {
            group.enter()
            Thread {
                for _ in 0..<10 {
                    let client: BlockingSocket, written: DispatchSemaphore
                    do { (client, written) = try Self.post(gw, "/early-reset", size: 100 << 10) } catch { XCTFail("\(error)"); break }
                    _ = client.readResponse(method: "POST")
                    _ = written.wait(timeout: .now() + 60)
                    client.close()
                }
                group.leave()
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
        let next = try XCTUnwrap(gateway.send("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n"))
        XCTAssertEqual(next.status, 200)
    }
}
