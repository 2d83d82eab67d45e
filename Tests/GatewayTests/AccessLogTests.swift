import XCTest
import Foundation
import Telemetry
@testable import Gateway

/// The debug-level access log: one JSON line per request, with the same request id the client and
/// the upstream see, and never a header value such as the token.
final class AccessLogTests: XCTestCase {
    func testAccessLineCarriesTheResponsesRequestIdAndNoTokenBytes() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let upstream = TestUpstream()
        defer { upstream.stop() }
        let gw = try GatewayHarness(upstreamPorts: [upstream.port], accessLog: Logger(component: "access", minimumLevel: .debug, fd: fds[1]))
        let r = try XCTUnwrap(gw.send("GET /echo/x HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer SECRET-TOKEN-BYTES\r\n\r\n"))
        gw.stop()
        close(fds[1])
        var buf = [UInt8](repeating: 0, count: 8192)
        let n = read(fds[0], &buf, buf.count)
        close(fds[0])
        let line = String(decoding: buf[0..<max(0, n)], as: UTF8.self)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.split(separator: "\n")[0].utf8)) as? [String: Any])
        XCTAssertEqual(object["status"] as? String, "200")
        XCTAssertEqual(object["request_id"] as? String, r.headers["x-request-id"])
        XCTAssertFalse(line.contains("SECRET-TOKEN-BYTES"))
    }
}
