import Foundation
import XCTest
@testable import Gateway

/// `client_certificate` `required` and `optional`: a certificate that is missing (when required),
/// from another CA, or expired fails the handshake, and nothing reaches the upstream.
final class TLSClientCertificateTests: XCTestCase {
    func testRequiredCertificateIsAccepted() throws {
        let fixture = try TLSConfig.gateway(clientCertificate: "required")
        defer { fixture.stop() }
        XCTAssertEqual(TLSConfig.client(fixture, certificate: "client").run().status, 200)
    }

    func testMissingRequiredCertificateFailsTheHandshake() throws {
        let fixture = try TLSConfig.gateway(clientCertificate: "required")
        defer { fixture.stop() }
        for version in ["1.2", "1.3"] {
            var client = TLSConfig.client(fixture)
            client.maxVersion = version
            XCTAssertNil(client.run().status, "TLS \(version): no response without a certificate")
        }
        XCTAssertTrue(fixture.upstream.requests.isEmpty)
    }

    func testCertificateFromAnotherCAFailsTheHandshake() throws {
        for mode in ["required", "optional"] {
            let fixture = try TLSConfig.gateway(clientCertificate: mode)
            defer { fixture.stop() }
            XCTAssertNil(TLSConfig.client(fixture, certificate: "rogue-client").run().status, mode)
            XCTAssertTrue(fixture.upstream.requests.isEmpty, mode)
        }
    }

    func testExpiredClientCertificateFailsTheHandshake() throws {
        let fixture = try TLSConfig.gateway(clientCertificate: "required")
        defer { fixture.stop() }
        XCTAssertNil(TLSConfig.client(fixture, certificate: "expired-client").run().status)
        XCTAssertTrue(fixture.upstream.requests.isEmpty)
    }

    func testOptionalCertificateMayBeLeftOut() throws {
        let fixture = try TLSConfig.gateway(clientCertificate: "optional")
        defer { fixture.stop() }
        XCTAssertEqual(TLSConfig.client(fixture).run().status, 200)
        XCTAssertEqual(TLSConfig.client(fixture, certificate: "client").run().status, 200)
    }
}

/// RFC 8705 certificate-bound tokens: `cnf.x5t#S256` must be the connection's verified client
/// certificate. One test per way of presenting a bound token without its certificate.
final class CertificateBoundTokenTests: XCTestCase {
    var fixture: AuthGatewayFixture!

    override func setUpWithError() throws { fixture = try TLSConfig.gateway(clientCertificate: "optional") }
    override func tearDown() { fixture?.stop() }

    private func token(boundTo thumbprint: String?) -> String {
        let now = fixture.clock.unixSeconds()
        let cnf: [(String, String?)] = thumbprint.map { [("cnf", AuthTokenForge.json([("x5t#S256", AuthTokenForge.str($0))]))] } ?? []
        return AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, extra: cnf))
    }

    private func request(_ token: String) -> String {
        "GET /v1/me HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n"
    }

    private func assertBoundTokenRejected(_ outcome: TLSTestClient.Outcome, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome.status, 401, outcome.error ?? "", file: file, line: line)
        let text = outcome.responses.first ?? ""
        XCTAssertTrue(text.contains("error=\"invalid_token\""), text, file: file, line: line)
        XCTAssertTrue(text.contains("token is bound to a client certificate"), text, file: file, line: line)
        XCTAssertTrue(fixture.upstream.requests.isEmpty, "a bound token without its certificate never reaches the upstream", file: file, line: line)
    }

    func testBoundTokenWithItsCertificateIsForwarded() {
        let bound = token(boundTo: TLSConfig.pki.thumbprints["client"]!)
        let outcome = TLSConfig.client(fixture, certificate: "client").run(request: request(bound))
        XCTAssertEqual(outcome.status, 200)
        XCTAssertEqual(fixture.upstream.requests.count, 1)
    }

    func testBoundTokenWithoutAClientCertificateIsRejected() {
        assertBoundTokenRejected(TLSConfig.client(fixture).run(request: request(token(boundTo: TLSConfig.pki.thumbprints["client"]!))))
    }

    func testBoundTokenWithAnotherClientsCertificateIsRejected() {
        let stolen = token(boundTo: TLSConfig.pki.thumbprints["client"]!)
        assertBoundTokenRejected(TLSConfig.client(fixture, certificate: "client2").run(request: request(stolen)))
    }

    func testBoundTokenWithANonStringThumbprintIsRejected() {
        let now = fixture.clock.unixSeconds()
        let odd = AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, extra: [("cnf", "{\"x5t#S256\":42}")]))
        assertBoundTokenRejected(TLSConfig.client(fixture, certificate: "client").run(request: request(odd)))
    }

    func testBoundTokenIsCheckedOnEveryRequestNotOnlyBeforeCaching() {
        let bound = token(boundTo: TLSConfig.pki.thumbprints["client"]!)
        XCTAssertEqual(TLSConfig.client(fixture, certificate: "client").run(request: request(bound)).status, 200)
        // Now verified and cached: the same token from another client is still refused.
        let outcome = TLSConfig.client(fixture, certificate: "client2").run(request: request(bound))
        XCTAssertEqual(outcome.status, 401)
        XCTAssertEqual(fixture.upstream.requests.count, 1)
    }

    func testUnboundTokenNeedsNoCertificate() {
        XCTAssertEqual(TLSConfig.client(fixture).run(request: request(token(boundTo: nil))).status, 200)
    }
}

/// A bound token on a plain-HTTP listener: there is no certificate to match, so it is refused.
final class CertificateBoundTokenPlainHTTPTests: XCTestCase {
    func testBoundTokenOnAPlainConnectionIsRejected() throws {
        let fixture = try AuthGatewayFixture()
        defer { fixture.stop() }
        let now = fixture.clock.unixSeconds()
        let cnf = AuthTokenForge.json([("x5t#S256", AuthTokenForge.str(TLSConfig.pki.thumbprints["client"]!))])
        let bound = AuthTokenForge.rsaToken(now: now, claims: AuthTokenForge.claims(now: now, extra: [("cnf", cnf)]))
        let r = fixture.send("GET", "/v1/me", token: bound)
        XCTAssertEqual(r?.status, 401)
        XCTAssertEqual(r?.challenge?["error"], "invalid_token")
        XCTAssertEqual(r?.challenge?["error_description"], "token is bound to a client certificate")
        XCTAssertTrue(fixture.upstream.requests.isEmpty)
    }
}
