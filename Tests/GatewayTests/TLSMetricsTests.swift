import TestProcessSupport
import XCTest
import Foundation
@testable import Gateway

/// `portcullis_tls_certificate_expiry_timestamp_seconds`: the `notAfter` of each certificate the
/// listener actually serves, by server name, as `openssl x509` reads it from the file.
final class TLSMetricsTests: XCTestCase {
    private func openSSLNotAfter(_ file: String) throws -> Double {
        let result = runProcess("/usr/bin/env", ["openssl", "x509", "-noout", "-enddate", "-dateopt", "iso_8601", "-in", file])
        guard result.status == 0 else { throw XCTSkip("openssl x509 failed: \(result.stderr)") }
        let text = result.stdout
        // notAfter=2026-12-08 05:30:00Z
        let iso = text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "notAfter=", with: "")
            .replacingOccurrences(of: " ", with: "T")
        return try XCTUnwrap(ISO8601DateFormatter().date(from: iso), text).timeIntervalSince1970
    }

    /// The admin listener's `/metrics`, checked for well-formedness.
    private func scrape(_ fixture: AuthGatewayFixture) throws -> PrometheusScrape {
        let port = try XCTUnwrap(fixture.gateway.adminServer?.port)
        let c = try XCTUnwrap(BlockingSocket.connect(port: port))
        defer { c.close() }
        c.write("GET /metrics HTTP/1.1\r\nHost: admin\r\n\r\n")
        let m = try PrometheusScrape(String(decoding: try XCTUnwrap(c.readResponse()).body, as: UTF8.self))
        m.assertWellFormed()
        return m
    }

    func testExpiryOfEachServedCertificateByServerName() throws {
        let fixture = try AuthGatewayFixture(extraTopLevel: TLSConfig.listener() + #""admin": {"listen": "127.0.0.1:0"},"#)
        defer { fixture.stop() }
        let m = try scrape(fixture)
        let family = "portcullis_tls_certificate_expiry_timestamp_seconds"
        XCTAssertEqual(m.value(family, ["listener": "gateway", "server_name": "api.porttask.example"]),
                       try openSSLNotAfter(TLSConfig.pki.path("server.pem")))
        XCTAssertEqual(m.value(family, ["listener": "gateway", "server_name": "*.orca.example"]),
                       try openSSLNotAfter(TLSConfig.pki.path("other.pem")))
        XCTAssertNil(m.value(family, ["listener": "admin"]), "the admin listener is plain HTTP here")
    }

    /// `portcullis_tls_handshakes_total{listener,result}`: a full handshake, a resumed one (the
    /// client offers the first connection's session), and a failed one (plain HTTP on the TLS port).
    func testHandshakesAreCountedFullResumedAndFailed() throws {
        let fixture = try AuthGatewayFixture(extraTopLevel: TLSConfig.listener() + #""admin": {"listen": "127.0.0.1:0"},"#)
        defer { fixture.stop() }
        var client = TLSConfig.client(fixture)
        client.maxVersion = "1.3"
        let outcome = client.run(connections: 2)
        XCTAssertEqual(outcome.reusedEach, [false, true], outcome.error ?? "")
        let plain = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
        plain.write("GET /v1/status HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = plain.readToEOF()   // the gateway answers plain HTTP with a 400 and closes
        plain.close()

        let m = try scrape(fixture)
        let family = "portcullis_tls_handshakes_total"
        XCTAssertEqual(m.value(family, ["listener": "gateway", "result": "full"]), 1)
        XCTAssertEqual(m.value(family, ["listener": "gateway", "result": "resumed"]), 1)
        XCTAssertEqual(m.value(family, ["listener": "gateway", "result": "failed"]), 1)
    }
}
