import TestProcessSupport
import Foundation
import XCTest

/// The built executables over TLS: `portcullis serve` re-reads its certificate files on a real
/// SIGHUP, and `loadtest` drives an `https://` target (`--tls-ca`, `--insecure`).
final class TLSProcessTests: XCTestCase {
    let pki = TLSTestPKI.shared

    private func startGateway(slot: String) throws -> (PortcullisProcess, UInt16) {
        for ext in ["pem", "key"] { try FileManager.default.copyItem(atPath: pki.path("server.\(ext)"), toPath: pki.path("\(slot).\(ext)")) }
        let gateway = try PortcullisProcess(config: """
            { "listen": "127.0.0.1:0", "workers": 1,
              "upstreams": { "u": { "targets": ["http://127.0.0.1:9"] } },
              "routes": [ { "path": "/**", "upstream": "u", "public": true } ],
              "access_log": { "enabled": false },
              "tls": { "certificates": [ { "certificate_file": "\(pki.path("\(slot).pem"))", "private_key_file": "\(pki.path("\(slot).key"))" } ] } }
            """)
        return (gateway, gateway.gatewayPort)
    }

    private func peerName(port: UInt16) -> String? {
        var client = TLSTestClient(port: port)
        client.caFile = nil
        return client.run(request: "GET /nothing HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n").peerCommonName
    }

    func testSIGHUPSwapsTheCertificateForNewHandshakes() throws {
        let slot = "hup-\(UUID().uuidString)"
        let (gateway, port) = try startGateway(slot: slot)
        XCTAssertEqual(peerName(port: port), "api.porttask.example")
        for ext in ["pem", "key"] {
            try FileManager.default.removeItem(atPath: pki.path("\(slot).\(ext)"))
            try FileManager.default.copyItem(atPath: pki.path("upstream.\(ext)"), toPath: pki.path("\(slot).\(ext)"))
        }
        gateway.send(SIGHUP)
        XCTAssertNotNil(gateway.waitForLog("configuration reloaded"), gateway.stderr)
        XCTAssertEqual(peerName(port: port), "localhost")
    }

    func testLoadtestDrivesAnHTTPSTarget() throws {
        let (gateway, port) = try startGateway(slot: "lt-\(UUID().uuidString)")
        defer { withExtendedLifetime(gateway) {} }
        let loadtest = URL(fileURLWithPath: PortcullisProcess.executable).deletingLastPathComponent().appendingPathComponent("loadtest").path
        guard FileManager.default.isExecutableFile(atPath: loadtest) else { throw XCTSkip("loadtest is not built") }
        func run(_ extra: [String]) -> String {
            runProcess(loadtest, ["--url", "https://localhost:\(port)/nothing", "--connections", "2", "--duration", "300ms",
                                  "--warmup", "0s", "--threads", "1"] + extra).stdout
        }
        let trusted = run(["--tls-ca", pki.path("ca.pem")])
        XCTAssertTrue(trusted.contains("transport errors 0"), trusted)
        XCTAssertTrue(trusted.contains("502: "), trusted)   // the upstream is down: answered over TLS by the gateway
        let insecure = run(["--insecure"])
        XCTAssertTrue(insecure.contains("transport errors 0"), insecure)
        let untrusted = run([])   // the test CA is not in the system store
        XCTAssertTrue(untrusted.contains("tls: "), untrusted)
    }
}
