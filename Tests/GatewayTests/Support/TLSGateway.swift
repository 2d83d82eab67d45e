import Foundation
import XCTest
@testable import Gateway

/// `tls` objects for the TLS end-to-end tests (paths in the generated `TLSTestPKI`).
enum TLSConfig {
    static var pki: TLSTestPKI { .shared }

    /// The listener's `tls` member (with its trailing comma), as `AuthGatewayFixture(extraTopLevel:)` takes it.
    /// `extra`: more members of the `tls` object, ending in a comma.
    static func listener(minVersion: String = "1.2", clientCertificate: String = "none", resumption: Bool = true,
                         headerReadMs: Int = 2000, certificate: String = "server", extra: String = "") -> String {
        """
        "timeouts": { "header_read_ms": \(headerReadMs) },
        "tls": { \(extra)
          "certificates": [
            { "certificate_file": "\(pki.path("\(certificate).pem"))", "private_key_file": "\(pki.path("\(certificate).key"))",
              "server_names": ["api.porttask.example"] },
            { "certificate_file": "\(pki.path("other.pem"))", "private_key_file": "\(pki.path("other.key"))",
              "server_names": ["*.orca.example"] }
          ],
          "min_version": "\(minVersion)", "client_certificate": "\(clientCertificate)",
          "client_ca_file": "\(pki.path("client-ca.pem"))", "session_resumption": \(resumption)
        },
        """
    }

    /// A fixture with issuer A and the listener serving HTTPS.
    static func gateway(minVersion: String = "1.2", clientCertificate: String = "none", resumption: Bool = true,
                        headerReadMs: Int = 2000, certificate: String = "server",
                        routes: String = AuthRoutes.standard, extraTLS: String = "") throws -> AuthGatewayFixture {
        try AuthGatewayFixture(routes: routes,
                               extraTopLevel: listener(minVersion: minVersion, clientCertificate: clientCertificate,
                                               resumption: resumption, headerReadMs: headerReadMs, certificate: certificate,
                                               extra: extraTLS))
    }

    /// A client of `fixture` presenting `certificate` (a PKI name such as `client`), if any.
    static func client(_ fixture: AuthGatewayFixture, certificate: String? = nil) -> TLSTestClient {
        var c = TLSTestClient(port: fixture.gateway.port)
        if let certificate {
            c.certificateFile = pki.path("\(certificate).pem")
            c.keyFile = pki.path("\(certificate).key")
        }
        return c
    }
}

/// Polls `condition` until it holds or `seconds` pass (for what another thread records).
func waitUntil(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// Open descriptors of this process.
func openDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}
