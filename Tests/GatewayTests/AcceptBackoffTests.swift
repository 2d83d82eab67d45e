import Foundation
import XCTest

/// Out of descriptors, the gateway must neither spin nor stop serving (issue #10, fault 4): with
/// `ulimit -n 40` and 80 clients connecting, it used 80% of a core doing nothing, silently.
final class AcceptBackoffTests: XCTestCase {
    func testOutOfDescriptorsPausesAcceptingLogsOnceAndRecovers() throws {
        let gateway = try PortcullisProcess(config: """
            { "listen": "127.0.0.1:0", "workers": 1,
              "upstreams": { "u": { "targets": ["http://127.0.0.1:9"] } },
              "routes": [ { "path": "/**", "upstream": "u", "public": true } ],
              "log": { "level": "info" } }
            """, shellPrefix: "ulimit -n 40")
        let port = gateway.gatewayPort

        // More clients than descriptors: the kernel completes their handshakes into the backlog.
        var clients: [BlockingSocket] = []
        defer { clients.forEach { $0.close() } }
        for _ in 0..<80 { if let c = BlockingSocket.connect(port: port) { clients.append(c) } }
        XCTAssertEqual(clients.count, 80)
        XCTAssertNotNil(gateway.waitForLog("accepting paused"), gateway.stderr)

        // While descriptors are exhausted the process waits (100 ms back-off), it does not spin.
        let before = gateway.cpuTicks
        usleep(1_000_000)
        let used = gateway.cpuTicks - before
        XCTAssertGreaterThanOrEqual(before, 0)
        XCTAssertLessThan(used, 25, "CPU ticks (1/100 s) in one second while out of descriptors")
        XCTAssertEqual(gateway.log.filter { $0["msg"] as? String == "accepting paused" }.count, 1,
                       "one log line per episode, not per retry")

        // Descriptors free up: the gateway accepts and answers again.
        clients.forEach { $0.close() }
        clients.removeAll()
        let fresh = try XCTUnwrap(BlockingSocket.connect(port: port))
        defer { fresh.close() }
        fresh.write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try XCTUnwrap(fresh.readResponse(method: "GET"), gateway.stderr)
        XCTAssertEqual(response.status, 502)   // served (the upstream is a closed port)
        XCTAssertNotNil(gateway.waitForLog("accepting resumed"), gateway.stderr)
    }
}
