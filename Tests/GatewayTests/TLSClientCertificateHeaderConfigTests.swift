import Foundation
import XCTest
import Config
import PortcullisTLS

/// `tls.client_certificate_headers` at load time: one error per bad key, each naming its JSON path.
final class TLSClientCertificateHeaderConfigTests: XCTestCase {
    let pki = TLSTestPKI.shared

    private func config(_ headers: String, mode: String = "optional", top: String = "") -> String {
        """
        {"listen": "127.0.0.1:0", "upstreams": {"api": {"targets": ["http://127.0.0.1:9"]}}, \(top)
         "routes": [{"path": "/**", "upstream": "api", "public": true}],
         "tls": {"certificates": [{"certificate_file": "server.pem", "private_key_file": "server.key"}],
                 "client_certificate": "\(mode)", "client_ca_file": "client-ca.pem", "client_certificate_headers": \(headers)}}
        """
    }

    private func load(_ text: String) throws -> PortcullisConfig {
        try ConfigLoader.parse(bytes: Array(text.utf8), baseDirectory: pki.directory)
    }

    private func loadError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do { _ = try load(text); XCTFail("accepted", file: file, line: line); return nil }
        catch { return (error as? ConfigError)?.description ?? "\(error)" }
    }

    func testMappingIsReadSortedByHeader() throws {
        let loaded = try load(config(#"{"X-Client-Sha256": "sha256", "X-Client-DN": "subject", "X-Client-Until": "not_after"}"#))
        XCTAssertEqual(loaded.tls?.clientCertificateHeaders, [
            ClientCertificateHeader(header: "X-Client-DN", field: .subject),
            ClientCertificateHeader(header: "X-Client-Sha256", field: .sha256),
            ClientCertificateHeader(header: "X-Client-Until", field: .notAfter),
        ])
        XCTAssertEqual(try load(config("{}")).tls?.clientCertificateHeaders, [])
    }

    func testUnknownField() {
        XCTAssertEqual(loadError(config(#"{"X-Client-Email": "email"}"#)),
                       #"tls.client_certificate_headers.X-Client-Email: expected one of "subject", "issuer", "serial", "sha256", "not_after", got "email""#)
        XCTAssertEqual(loadError(config(#"{"X-Client-DN": 1}"#)), "tls.client_certificate_headers.X-Client-DN: expected a string, got a number")
    }

    func testInvalidHeaderName() {
        XCTAssertEqual(loadError(config(#"{"X Client": "subject"}"#)), #"tls.client_certificate_headers["X Client"]: invalid header name"#)
        XCTAssertEqual(loadError(config(#"{"X-Client:": "subject"}"#)), #"tls.client_certificate_headers["X-Client:"]: invalid header name"#)
    }

    func testFramingCredentialAndForwardingNamesAreRefused() {
        for name in ["Authorization", "content-length", "Transfer-Encoding", "Host", "Cookie", "X-Forwarded-For", "Forwarded",
                     "X-Request-Id", "traceparent", "DPoP"] {
            XCTAssertEqual(loadError(config(#"{"\#(name)": "subject"}"#)),
                           "tls.client_certificate_headers.\(name): \(name) cannot be a client certificate header", name)
        }
    }

    func testClashWithAnIdentityHeaderIsRefused() {
        // The default identity headers include X-Auth-Subject; the `_` spelling is the same field upstream.
        XCTAssertEqual(loadError(config(#"{"x-auth-subject": "subject"}"#)),
                       "tls.client_certificate_headers.x-auth-subject: X-Auth-Subject is already an identity header (identity_headers)")
        XCTAssertEqual(loadError(config(#"{"X_Auth_Subject": "subject"}"#)),
                       "tls.client_certificate_headers.X_Auth_Subject: X-Auth-Subject is already an identity header (identity_headers)")
        XCTAssertEqual(loadError(config(#"{"X-Cert": "subject"}"#, top: #""identity_headers": {"X-Cert": "sub"},"#)),
                       "tls.client_certificate_headers.X-Cert: X-Cert is already an identity header (identity_headers)")
    }

    func testDuplicateNamesAreRefused() {
        XCTAssertEqual(loadError(config(#"{"X-Cert": "subject", "x_cert": "issuer"}"#)),
                       "tls.client_certificate_headers.x_cert: duplicate header (names are case-insensitive, '_' counts as '-')")
    }

    func testHeadersNeedClientCertificatesToBeAskedFor() {
        XCTAssertEqual(loadError(config(#"{"X-Cert": "subject"}"#, mode: "none")),
                       #"tls.client_certificate_headers: needs client_certificate "optional" or "required" (with "none" no certificate is asked for)"#)
    }

    func testTheAdminListenerForwardsNothing() {
        let text = """
        {"listen": "127.0.0.1:0", "upstreams": {"api": {"targets": ["http://127.0.0.1:9"]}},
         "routes": [{"path": "/**", "upstream": "api", "public": true}],
         "admin": {"listen": "127.0.0.1:0", "tls": {"certificates": [{"certificate_file": "server.pem", "private_key_file": "server.key"}],
                   "client_certificate": "optional", "client_ca_file": "client-ca.pem", "client_certificate_headers": {"X-Cert": "subject"}}}}
        """
        XCTAssertEqual(loadError(text), "admin.tls.client_certificate_headers: only the gateway listener forwards requests (not allowed here)")
    }
}
