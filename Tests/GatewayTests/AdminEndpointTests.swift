import XCTest
import Foundation
import Config
@testable import Gateway

/// The admin listener: metrics and health, from a gateway started by `RunningGateway`.
final class AdminEndpointTests: XCTestCase {
    func testMetricsAndHealthReportDecisionsAndIssuerKeys() throws {
        let upstream = TestUpstream()
        defer { upstream.stop() }
        let json = """
        {"listen": "127.0.0.1:0", "admin": {"listen": "127.0.0.1:0"},
         "upstreams": {"u": {"targets": ["http://127.0.0.1:\(upstream.port)"]}},
         "issuers": [{"issuer": "https://never.example", "jwks_uri": "http://127.0.0.1:1/jwks.json", "algorithms": ["RS256"]}],
         "routes": [{"path": "/p/**", "upstream": "u", "scopes": ["x"]}]}
        """
        let config = try ConfigLoader.parse(bytes: Array(json.utf8), baseDirectory: "/")
        let gateway = try RunningGateway(config: config, waitForKeysSeconds: 0.2)
        defer {
            let done = DispatchSemaphore(value: 0)
            gateway.shutdown(graceMs: 200) { _ in done.signal() }
            done.wait()
        }
        let port = try XCTUnwrap(gateway.adminServer?.port)
        // A denial, to see its code counted.
        let denied = try BlockingSocket.open(port: gateway.port)
        denied.write("GET /p/1 HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(denied.readResponse()?.status, 401)
        denied.close()

        let m = try BlockingSocket.open(port: port)
        m.write("GET /metrics HTTP/1.1\r\nHost: admin\r\n\r\n")
        let metrics = try XCTUnwrap(m.readResponse())
        m.close()
        let text = String(decoding: metrics.body, as: UTF8.self)
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(text.contains("portcullis_decisions_total{code=\"token_missing\"} 1"), text)
        XCTAssertTrue(text.contains("portcullis_issuer_keys_unavailable{issuer=\"https://never.example\"} 1"), text)

        let h = try BlockingSocket.open(port: port)
        h.write("GET /readyz HTTP/1.1\r\nHost: admin\r\n\r\n")
        let readiness = try XCTUnwrap(h.readResponse())
        h.write("GET /healthz HTTP/1.1\r\nHost: admin\r\n\r\n")
        let liveness = try XCTUnwrap(h.readResponse())
        h.close()
        XCTAssertEqual(readiness.status, 503, "an issuer without usable keys makes the gateway not ready")
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(readiness.body)) as? [String: Any])
        XCTAssertEqual(object["status"] as? String, "not_ready")
        XCTAssertEqual(object["reasons"] as? [String], ["issuer_keys_unavailable: https://never.example"])
        XCTAssertEqual(liveness.status, 200, "alive all the same: a restart would not bring keys")

        for (raw, status) in [("POST /metrics HTTP/1.1\r\nHost: admin\r\nContent-Length: 0\r\n\r\n", 405),
                              ("GET /nope HTTP/1.1\r\nHost: admin\r\n\r\n", 404)] {
            let c = try BlockingSocket.open(port: port)
            c.write(raw)
            let r = try XCTUnwrap(c.readResponse())
            c.close()
            XCTAssertEqual(r.status, status)
            XCTAssertEqual(r.headers["content-type"], "application/json")
            XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        }
    }
}
