import Foundation
import XCTest
import PortcullisCrypto
@testable import Gateway

/// `portcullis_auth_denials_total{issuer}` names the trusted source that refused a credential, for
/// personal access tokens too (`personal_access_tokens`), never the token's own text.
final class DenialLabelTests: XCTestCase {
    func testPersonalAccessTokenDenialsCarryTheirSource() throws {
        let expired = "pcl_pat_" + String(repeating: "E", count: 40) + "expird"
        let reader = "pcl_pat_" + String(repeating: "R", count: 40) + "reader"
        func entry(_ name: String, _ token: String, expiresAt: String) -> String {
            let sha = SHA256Digest(hashing: Array(token.utf8)).bytes.map { String(format: "%02x", $0) }.joined()
            return #"{"name": "\#(name)", "sha256": "\#(sha)", "subject": "u", "scopes": ["read:port_calls"], "expires_at": "\#(expiresAt)"}"#
        }
        let file = NSTemporaryDirectory() + "pats-\(UUID().uuidString).json"
        try Data(#"{"tokens": [\#(entry("old", expired, expiresAt: "2020-01-01T00:00:00Z")), \#(entry("reader", reader, expiresAt: "2099-01-01T00:00:00Z"))]}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let fixture = try AuthGatewayFixture(extraTopLevel: #""personal_access_tokens": {"file": "\#(file)"}, "admin": {"listen": "127.0.0.1:0"},"#)
        defer { fixture.stop() }
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: expired)?.status, 401)
        XCTAssertEqual(fixture.send("GET", "/v1/invoices/inv-1", token: reader)?.status, 403)
        XCTAssertEqual(fixture.send("GET", "/v1/port-calls/1", token: "pcl_pat_unknown-token-text")?.status, 401)

        let c = try XCTUnwrap(BlockingSocket.connect(port: try XCTUnwrap(fixture.gateway.adminServer?.port)))
        defer { c.close() }
        c.write("GET /metrics HTTP/1.1\r\nHost: admin\r\n\r\n")
        let m = try PrometheusScrape(String(decoding: try XCTUnwrap(c.readResponse()).body, as: UTF8.self))
        XCTAssertEqual(m.value("portcullis_auth_denials_total", ["reason": "expired", "issuer": "personal_access_tokens"]), 1)
        XCTAssertEqual(m.value("portcullis_auth_denials_total", ["reason": "insufficient_scope", "issuer": "personal_access_tokens"]), 1)
        XCTAssertEqual(m.value("portcullis_auth_denials_total", ["reason": "unknown_token", "issuer": "none"]), 1)
        XCTAssertFalse(m.text.contains("pcl_pat_"), "no token text in a label")
    }
}
