import TestProcessSupport
import Foundation
import XCTest
@testable import Gateway

/// Certificate swap on reload (what SIGHUP does): new handshakes get the new certificate, a
/// keep-alive connection made before goes on, and a broken file changes nothing.
final class TLSCertificateReloadTests: XCTestCase {
    let pki = TLSTestPKI.shared

    /// Copies `name`.pem/.key of the PKI over `target`.pem/.key.
    private func install(_ name: String, as target: String) throws {
        for ext in ["pem", "key"] {
            let destination = pki.path("\(target).\(ext)")
            try? FileManager.default.removeItem(atPath: destination)
            try FileManager.default.copyItem(atPath: pki.path("\(name).\(ext)"), toPath: destination)
        }
    }

    func testSwapKeepsAnOpenKeepAliveConnectionAndServesTheNewCertificate() throws {
        let slot = "swap-\(UUID().uuidString)"
        try install("server", as: slot)
        let fixture = try TLSConfig.gateway(certificate: slot)
        defer { fixture.stop() }
        let firstDone = pki.path("\(slot).first"), go = pki.path("\(slot).go")

        // A client that sends one request on a keep-alive connection, waits for `go`, sends a
        // second one on the same connection, then connects anew.
        let finished = DispatchSemaphore(value: 0)
        let output = LockedText()
        let port = String(fixture.gateway.port)
        DispatchQueue.global().async {
            output.set(runProcess("/usr/bin/env", ["python3", "-c", Self.keepAliveClient, port, firstDone, go]).stdout)
            finished.signal()
        }
        XCTAssertTrue(waitUntil(10) { FileManager.default.fileExists(atPath: firstDone) }, "first request answered")

        try install("upstream", as: slot)   // CN localhost, same CA
        try fixture.gateway.reloadCertificates()
        _ = FileManager.default.createFile(atPath: go, contents: Data())
        XCTAssertEqual(finished.wait(timeout: .now() + 20), .success)
        let data = Data(output.value.utf8)
        let seen = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: data, as: UTF8.self))
        XCTAssertEqual(seen["first"] as? String, "200 api.porttask.example")
        XCTAssertEqual(seen["second"] as? String, "200 api.porttask.example", "the open connection goes on with its session")
        XCTAssertEqual(seen["new"] as? String, "200 localhost", "a new handshake gets the new certificate")
    }

    func testBrokenFileOnReloadKeepsTheCurrentCertificate() throws {
        let slot = "broken-\(UUID().uuidString)"
        try install("server", as: slot)
        let fixture = try TLSConfig.gateway(certificate: slot)
        defer { fixture.stop() }
        try FileManager.default.removeItem(atPath: pki.path("\(slot).key"))
        try FileManager.default.copyItem(atPath: pki.path("other.key"), toPath: pki.path("\(slot).key"))   // does not match
        XCTAssertThrowsError(try fixture.gateway.reloadCertificates()) { error in
            XCTAssertTrue("\(error)".hasPrefix("tls.certificates[0].private_key_file:"), "\(error)")
        }
        XCTAssertEqual(TLSConfig.client(fixture).run().peerCommonName, "api.porttask.example")
    }

    private static let keepAliveClient = #"""
import sys, json, os, socket, ssl, time
from cryptography import x509
from cryptography.x509.oid import NameOID
port, first_done, go = int(sys.argv[1]), sys.argv[2], sys.argv[3]
ctx = ssl.create_default_context(cafile=None)
ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
def cn(t):
    return x509.load_der_x509_certificate(t.getpeercert(binary_form=True)).subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
def exchange(t, close):
    t.sendall(b"GET /v1/status HTTP/1.1\r\nHost: g\r\n" + (b"Connection: close\r\n" if close else b"") + b"\r\n")
    data = b""
    while b"\r\n\r\n" not in data: data += t.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
    while len(body) < length: body += t.recv(65536)
    return head.split(b" ")[1].decode() + " " + cn(t)
out = {}
t = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="api.porttask.example")
out["first"] = exchange(t, False)
open(first_done, "w").close()
deadline = time.time() + 10
while not os.path.exists(go) and time.time() < deadline: time.sleep(0.01)
out["second"] = exchange(t, True)
t.close()
n = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="api.porttask.example")
out["new"] = exchange(n, True)
print(json.dumps(out))
"""#
}

/// Text written by one thread and read by another.
final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func set(_ value: String) { lock.lock(); text = value; lock.unlock() }
    var value: String { lock.lock(); defer { lock.unlock() }; return text }
}

/// `admin.tls`: the admin listener serves HTTPS with the same `tls` object.
final class TLSAdminListenerTests: XCTestCase {
    func testAdminListenerServesHTTPS() throws {
        let pki = TLSTestPKI.shared
        let admin = """
            "admin": { "listen": "127.0.0.1:0", "tls": { "certificates": [
              { "certificate_file": "\(pki.path("server.pem"))", "private_key_file": "\(pki.path("server.key"))" } ] } },
            """
        let fixture = try AuthGatewayFixture(extraTopLevel: admin)
        defer { fixture.stop() }
        let port = try XCTUnwrap(fixture.gateway.adminServer?.port)
        let outcome = TLSTestClient(port: port).run(request: "GET /healthz HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n")
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.status, 200)
        XCTAssertEqual(outcome.peerCommonName, "api.porttask.example")
    }
}
