import Foundation
import XCTest
import IO
import PortcullisTLS
@testable import Gateway

/// Records the peer of every request it answers (one peer per upstream connection).
final class PeerRecordingService: LocalService, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String] = []
    var peers: [String] { lock.lock(); defer { lock.unlock() }; return seen }
    func handle(_ request: LocalRequest) -> LocalResponse {
        lock.lock(); seen.append(request.peer); lock.unlock()
        return LocalResponse(status: 200, body: Array("{\"upstream\":\"tls\"}".utf8))
    }
}

/// HTTPS upstreams: the certificate is verified (CA, host name) before any request byte is sent;
/// a failure is a 502 `upstream_tls`, never retried in clear; pooled TLS connections are reused.
final class TLSUpstreamTests: XCTestCase {
    let pki = TLSTestPKI.shared
    var group: EventLoopGroup!
    var service: PeerRecordingService!
    var upstream: LocalServer!

    /// An HTTPS upstream presenting the PKI certificate `certificate`; `requireClientCertificate`:
    /// it asks for one signed by `client-ca` (upstream mTLS).
    private func startUpstream(_ certificate: String, requireClientCertificate: Bool = false) throws -> UInt16 {
        group = EventLoopGroup(count: 1)
        service = PeerRecordingService()
        let tls = try TLSServerCertificates(settings: TLSServerSettings(certificates: [
            TLSCertificateEntry(certificateFile: pki.path("\(certificate).pem"), privateKeyFile: pki.path("\(certificate).key"))],
            clientCertificate: requireClientCertificate ? .required : .none, clientCAFile: pki.path("client-ca.pem")))
        upstream = LocalServer(service: service, group: group, tls: tls)
        return try upstream.start(listen: SocketAddress(host: "127.0.0.1", port: 0)!)
    }

    override func tearDown() {
        upstream?.stop()
        group?.shutdown()
    }

    private func gateway(port: UInt16, host: String = "127.0.0.1", tls: String = #""ca_file": "ca.pem""#) throws -> AuthGatewayFixture {
        let caTLS = tls.replacingOccurrences(of: "\"ca.pem\"", with: "\"\(pki.path("ca.pem"))\"")
        return try Self.fixture(#"{"targets": ["https://\#(host):\#(port)"], "tls": {\#(caTLS)}}"#)
    }

    func testTrustedUpstreamIsReachedAndItsConnectionReused() throws {
        let fixture = try gateway(port: try startUpstream("upstream"))
        defer { fixture.stop() }
        let socket = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
        defer { socket.close() }
        for _ in 0..<3 {
            socket.write("GET /v1/status HTTP/1.1\r\nHost: g\r\n\r\n")
            let r = try XCTUnwrap(socket.readResponse())
            XCTAssertEqual(r.status, 200)
            XCTAssertEqual(String(decoding: r.body, as: UTF8.self), "{\"upstream\":\"tls\"}")
        }
        XCTAssertEqual(service.peers.count, 3)
        XCTAssertEqual(Set(service.peers).count, 1, "one pooled TLS connection carried all three requests")
    }

    func testServerNameOverridesTheTargetHostForSNIAndTheNameCheck() throws {
        let fixture = try gateway(port: try startUpstream("wronghost"), tls: #""ca_file": "ca.pem", "server_name": "wrong.example""#)
        defer { fixture.stop() }
        XCTAssertEqual(fixture.send("GET", "/v1/status")?.status, 200)
    }

    func testUntrustedUpstreamCertificateIs502AndNothingIsSent() throws {
        let fixture = try gateway(port: try startUpstream("rogue-upstream"))
        defer { fixture.stop() }
        assertUpstreamTLSFailure(fixture.send("GET", "/v1/status"))
        XCTAssertTrue(service.peers.isEmpty, "no request reached the untrusted upstream")
    }

    func testWrongHostNameIs502() throws {
        let fixture = try gateway(port: try startUpstream("wronghost"))
        defer { fixture.stop() }
        assertUpstreamTLSFailure(fixture.send("GET", "/v1/status"))
        XCTAssertTrue(service.peers.isEmpty)
    }

    func testSystemStoreDoesNotTrustATestCA() throws {
        let port = try startUpstream("upstream")
        let fixture = try Self.fixture(#"{"targets": ["https://127.0.0.1:\#(port)"]}"#)
        defer { fixture.stop() }
        assertUpstreamTLSFailure(fixture.send("GET", "/v1/status"))
    }

    func testClientCertificateForUpstreamMutualTLS() throws {
        let port = try startUpstream("upstream", requireClientCertificate: true)
        let withCertificate = try gateway(port: port, tls: #""ca_file": "ca.pem", "certificate_file": "\#(pki.path("client.pem"))", "private_key_file": "\#(pki.path("client.key"))""#)
        defer { withCertificate.stop() }
        XCTAssertEqual(withCertificate.send("GET", "/v1/status")?.status, 200)
        let without = try gateway(port: port)
        defer { without.stop() }
        assertUpstreamTLSFailure(without.send("GET", "/v1/status"))
        XCTAssertEqual(service.peers.count, 1, "only the request with the client certificate reached the upstream")
    }

    func testVerifyFalseAcceptsAnyCertificate() throws {
        let fixture = try gateway(port: try startUpstream("rogue-upstream"), tls: #""verify": false"#)
        defer { fixture.stop() }
        XCTAssertEqual(fixture.send("GET", "/v1/status")?.status, 200)
    }

    /// A gateway whose public route `/v1/status` goes to the upstream `secure` described by `upstream`.
    private static func fixture(_ upstream: String) throws -> AuthGatewayFixture {
        try AuthGatewayFixture(routes: #"{ "methods": ["GET"], "path": "/v1/status", "upstream": "secure", "public": true }"#,
                               extraUpstreams: #", "secure": \#(upstream)"#)
    }

    private func assertUpstreamTLSFailure(_ r: AuthResponse?, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r?.status, 502, file: file, line: line)
        XCTAssertEqual(r?.json?["error"] as? String, "bad_gateway", file: file, line: line)
        XCTAssertEqual(r?.json?["error_description"] as? String, "upstream TLS handshake failed", file: file, line: line)
    }
}
