import Foundation
import XCTest
import Config
@testable import Gateway

/// `tls.client_certificate_headers`: facts of the verified client certificate reach the upstream
/// exactly, and a client can never supply them itself. The client is Python's `ssl` with
/// certificates from the test PKI; expected values are Python's own reading of what it generated.
final class TLSClientCertificateHeaderTests: XCTestCase {
    static let mapping = """
    "client_certificate_headers": { "X-Client-Cert-Subject": "subject", "X-Client-Cert-Issuer": "issuer",
      "X-Client-Cert-Serial": "serial", "X-Client-Cert-Sha256": "sha256", "X-Client-Cert-Not-After": "not_after" },
    """
    static let names = ["X-Client-Cert-Subject", "X-Client-Cert-Issuer", "X-Client-Cert-Serial", "X-Client-Cert-Sha256",
                        "X-Client-Cert-Not-After"]
    var fixture: AuthGatewayFixture!
    let pki = TLSTestPKI.shared

    override func setUpWithError() throws {
        fixture = try TLSConfig.gateway(clientCertificate: "optional", extraTLS: Self.mapping)
    }
    override func tearDown() { fixture?.stop() }

    private func request(_ extraHeaders: String = "") -> String {
        "GET /v1/status HTTP/1.1\r\nHost: g\r\n\(extraHeaders)Connection: close\r\n\r\n"
    }

    /// Every value of `name` the upstream saw in request `index`.
    private func seen(_ name: String, _ index: Int = 0) -> [String] { fixture.upstreamHeader(name, request: index) }

    /// `text` with each non-ASCII character written as RFC 4514 hex pairs of its UTF-8 (`ö` → `\C3\B6`).
    private func hexEscapingNonASCII(_ text: String) -> String {
        text.unicodeScalars.map { scalar in
            scalar.isASCII ? String(scalar) : String(scalar).utf8.map { String(format: "\\%02X", $0) }.joined()
        }.joined()
    }

    func testEveryFieldReachesTheUpstreamExactly() throws {
        let outcome = TLSConfig.client(fixture, certificate: "client").run(request: request())
        XCTAssertEqual(outcome.status, 200, outcome.error ?? "")
        let facts = try XCTUnwrap(pki.facts["client"])
        XCTAssertEqual(seen("X-Client-Cert-Subject"), ["CN=client-1"])
        XCTAssertEqual(seen("X-Client-Cert-Subject"), [facts["subject"]!])
        XCTAssertEqual(seen("X-Client-Cert-Issuer"), [facts["issuer"]!])
        XCTAssertEqual(seen("X-Client-Cert-Serial"), [facts["serial"]!])
        XCTAssertEqual(seen("X-Client-Cert-Sha256"), [pki.thumbprints["client"]!], "the RFC 8705 x5t#S256 of the certificate")
        XCTAssertEqual(seen("X-Client-Cert-Not-After"), [facts["not_after"]!])
    }

    func testSpecialCharactersAndNonASCIIAreEscapedPerRFC4514() throws {
        XCTAssertEqual(TLSConfig.client(fixture, certificate: "client-escaped").run(request: request()).status, 200)
        let subject = try XCTUnwrap(seen("X-Client-Cert-Subject").first)
        XCTAssertEqual(subject, #"CN=Doe\, \"J\C3\B6rg\" \<j\>,O=Ex\;ample\+Co"#)
        XCTAssertEqual(subject, hexEscapingNonASCII(pki.facts["client-escaped"]!["subject"]!), "Python's RFC 4514 string, UTF-8 as hex pairs")
        XCTAssertTrue(subject.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "printable ASCII only")
    }

    func testSpoofedHeadersWithoutACertificateAreStripped() {
        var spoofed = ""
        for name in Self.names { spoofed += "\(name): CN=admin\r\n\(name.replacingOccurrences(of: "-", with: "_")): CN=admin\r\n" }
        XCTAssertEqual(TLSConfig.client(fixture).run(request: request(spoofed)).status, 200)
        XCTAssertEqual(fixture.upstream.requests.count, 1)
        let forwarded = fixture.upstream.requests[0].headers.map { $0.0.lowercased() }
        for name in Self.names {
            XCTAssertFalse(forwarded.contains(name.lowercased()), "\(name) from the client reached the upstream")
            XCTAssertFalse(forwarded.contains(name.lowercased().replacingOccurrences(of: "-", with: "_")), "its underscore spelling too")
        }
    }

    func testSpoofedHeaderBesideARealCertificateIsReplaced() {
        let outcome = TLSConfig.client(fixture, certificate: "client")
            .run(request: request("X-Client-Cert-Subject: CN=admin\r\nx_client_cert_sha256: forged\r\n"))
        XCTAssertEqual(outcome.status, 200)
        XCTAssertEqual(seen("X-Client-Cert-Subject"), ["CN=client-1"], "only the gateway's value")
        XCTAssertEqual(seen("X-Client-Cert-Sha256"), [pki.thumbprints["client"]!])
        XCTAssertEqual(seen("x_client_cert_sha256"), [])
    }

    func testOptionalCertificateLeftOutMeansNoHeaders() {
        XCTAssertEqual(TLSConfig.client(fixture).run(request: request()).status, 200)
        for name in Self.names { XCTAssertEqual(seen(name), [], name) }
    }

    func testEveryRequestOfAConnectionCarriesTheHeaders() {
        let two = "GET /v1/status HTTP/1.1\r\nHost: g\r\n\r\n" + request()
        XCTAssertEqual(TLSConfig.client(fixture, certificate: "client2").run(request: two).status, 200)
        XCTAssertEqual(fixture.upstream.requests.count, 2)
        XCTAssertEqual(seen("X-Client-Cert-Subject", 0), ["CN=client-2"])
        XCTAssertEqual(seen("X-Client-Cert-Subject", 1), ["CN=client-2"])
    }

    func testResumedSessionKeepsTheCertificateIdentity() {
        let outcome = TLSConfig.client(fixture, certificate: "client").run(request: request(), connections: 2)
        XCTAssertTrue(outcome.reused, "the second connection resumed")
        XCTAssertEqual(fixture.upstream.requests.count, 2)
        XCTAssertEqual(seen("X-Client-Cert-Sha256", 1), [pki.thumbprints["client"]!])
        XCTAssertEqual(seen("X-Client-Cert-Subject", 1), ["CN=client-1"])
    }

    /// `CN=client ` is `CN=client\ ` in RFC 4514: a field value cannot end in a space (a reader would
    /// strip it and see `CN=client\`), so the header is left out and counted; the others still go.
    func testValueThatIsNotACleanFieldValueIsOmittedAndCounted() throws {
        XCTAssertEqual(TLSConfig.client(fixture, certificate: "client-trailing-space").run(request: request()).status, 200)
        XCTAssertEqual(seen("X-Client-Cert-Subject"), [])
        XCTAssertEqual(seen("X-Client-Cert-Sha256"), [pki.thumbprints["client-trailing-space"]!])
        let counted = expectation(description: "counted")
        fixture.gateway.server.collectMetrics { snapshot in
            if snapshot.metrics.certificateHeadersOmitted["X-Client-Cert-Subject"] == 1 { counted.fulfill() }
        }
        wait(for: [counted], timeout: 5)
    }

    /// A reload applies new `client_certificate_headers` from the next request on (new connections
    /// included); the authorizer's drop set and the names set always come from one configuration.
    func testReloadAppliesNewHeaderNames() throws {
        XCTAssertEqual(TLSConfig.client(fixture, certificate: "client").run(request: request()).status, 200)
        XCTAssertEqual(seen("X-Client-Cert-Subject"), ["CN=client-1"])
        let text = AuthGatewayFixture.configText(
            issuers: fixture.issuers, routes: AuthRoutes.standard, upstreamPort: fixture.upstream.port, stubURL: fixture.stub.baseURL,
            logLevel: "error", extraTopLevel: TLSConfig.listener(clientCertificate: "optional",
                                                                 extra: #""client_certificate_headers": {"X-Cert-DN": "subject"},"#))
        let next = try ConfigLoader.parse(bytes: Array(text.utf8), baseDirectory: NSTemporaryDirectory())
        let changes = try fixture.gateway.reload(config: next)
        XCTAssertTrue(changes.changedSections.contains("tls.client_certificate_headers"), "\(changes)")
        XCTAssertEqual(TLSConfig.client(fixture, certificate: "client")
                        .run(request: request("X-Cert-DN: CN=admin\r\n")).status, 200)
        XCTAssertEqual(seen("X-Cert-DN", 1), ["CN=client-1"], "the new name, the client's copy dropped")
        XCTAssertEqual(seen("X-Client-Cert-Subject", 1), [])
    }
}
