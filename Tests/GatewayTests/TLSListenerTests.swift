import TestProcessSupport
import Foundation
import XCTest
@testable import Gateway

/// HTTPS on the listener, with real clients (Python `ssl`, `openssl s_client`, curl): versions,
/// SNI, ALPN, resumption, and what a TLS port does with bytes that are not TLS.
final class TLSListenerTests: XCTestCase {
    var fixture: AuthGatewayFixture!

    override func setUpWithError() throws { fixture = try TLSConfig.gateway(headerReadMs: 500) }
    override func tearDown() { fixture?.stop() }

    func testTLS13ByDefaultWithALPNAndForwardedProtoHTTPS() {
        let outcome = TLSConfig.client(fixture).run()
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.version, "TLSv1.3")
        XCTAssertEqual(outcome.alpn, "http/1.1")
        XCTAssertEqual(outcome.status, 200)
        XCTAssertEqual(fixture.upstreamHeader("X-Forwarded-Proto"), ["https"])
    }

    func testTLS12Handshake() {
        var client = TLSConfig.client(fixture)
        client.maxVersion = "1.2"
        let outcome = client.run()
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.version, "TLSv1.2")
        XCTAssertEqual(outcome.status, 200)
    }

    func testClientForgedForwardedProtoIsReplaced() {
        let outcome = TLSConfig.client(fixture).run(request: "GET /v1/status HTTP/1.1\r\nHost: g\r\nX-Forwarded-Proto: http\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(outcome.status, 200)
        XCTAssertEqual(fixture.upstreamHeader("X-Forwarded-Proto"), ["https"])
    }

    func testSNISelectsTheMatchingCertificate() {
        var client = TLSConfig.client(fixture)
        client.serverName = "a.orca.example"
        let outcome = client.run()
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.peerCommonName, "*.orca.example")
        XCTAssertEqual(outcome.status, 200)
    }

    func testNoSNIAndUnknownSNIGetTheFirstCertificate() {
        for name in [nil, "unknown.example", "orca.example"] as [String?] {
            var client = TLSConfig.client(fixture)
            client.serverName = name
            client.caFile = nil   // no name check: the unknown name is not in the default certificate
            let outcome = client.run()
            XCTAssertNil(outcome.error, "\(name ?? "no SNI")")
            XCTAssertEqual(outcome.peerCommonName, "api.porttask.example", "\(name ?? "no SNI")")
        }
    }

    func testALPNWithoutHTTP11IsNotAnswered() {
        var client = TLSConfig.client(fixture)
        client.alpn = ["h2"]
        let outcome = client.run()
        XCTAssertNil(outcome.error)
        XCTAssertNil(outcome.alpn)
    }

    func testSessionResumptionResumes() {
        for version in ["1.3", "1.2"] {
            var client = TLSConfig.client(fixture)
            client.maxVersion = version
            let outcome = client.run(connections: 2)
            XCTAssertNil(outcome.error, version)
            XCTAssertTrue(outcome.reused, "TLS \(version): the second connection resumes")
            XCTAssertEqual(outcome.responses.count, 2)
        }
    }

    /// TLS 1.3 tickets are single-use for many clients (OpenSSL with a client session cache, as wrk
    /// uses it; browsers): a resumed connection must bring a fresh ticket, or every other reconnect
    /// of such a client is a full handshake.
    func testResumedTLS13ConnectionGetsAFreshTicket() {
        var client = TLSConfig.client(fixture)
        client.maxVersion = "1.3"
        let outcome = client.run(connections: 3)
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.reusedEach, [false, true, true])
        XCTAssertEqual(outcome.ticketsEach.count, 3)
        for (i, count) in outcome.ticketsEach.enumerated() {
            XCTAssertGreaterThanOrEqual(count, 1, "connection \(i) received no NewSessionTicket")
        }
    }

    func testHandshakeSplitIntoOneByteWrites() {
        var client = TLSConfig.client(fixture)
        client.chunk = 1
        client.maxVersion = "1.2"
        XCTAssertEqual(client.run().status, 200)
        client.maxVersion = nil
        XCTAssertEqual(client.run().status, 200)
    }

    func testPlainHTTPOnTheTLSPortIsRefused() throws {
        let socket = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
        defer { socket.close() }
        socket.write("GET /v1/status HTTP/1.1\r\nHost: g\r\n\r\n")
        let answer = String(decoding: socket.readToEOF(), as: UTF8.self)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), answer)
        XCTAssertTrue(answer.hasSuffix(#"{"error":"bad_request","error_description":"plain HTTP request sent to an HTTPS port"}"#), answer)
        XCTAssertTrue(fixture.upstream.requests.isEmpty, "never forwarded: the port does not speak HTTP in clear")
        XCTAssertEqual(TLSConfig.client(fixture).run().status, 200, "the listener still serves TLS")
    }

    func testGarbageOnTheTLSPortIsClosed() throws {
        let socket = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
        defer { socket.close() }
        socket.write((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        XCTAssertFalse(String(decoding: socket.readToEOF(), as: UTF8.self).contains("HTTP/1.1"), "no HTTP answer to non-HTTP bytes")
        XCTAssertTrue(waitUntil { self.fixture.gateway.server.shared.connectionCount == 0 })
        XCTAssertTrue(fixture.upstream.requests.isEmpty)
    }

    func testStalledHandshakeTimesOut() throws {
        let socket = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
        defer { socket.close() }
        socket.write([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])   // the start of a ClientHello, then nothing
        let start = Date()
        _ = socket.readToEOF()
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThan(elapsed, 3, "closed after header_read_ms (500 ms), not left open")
        XCTAssertTrue(waitUntil { self.fixture.gateway.server.shared.connectionCount == 0 })
    }

    func testHalfDoneHandshakesDoNotLeakDescriptors() throws {
        XCTAssertEqual(TLSConfig.client(fixture).run().status, 200)   // warm up (loop buffers, contexts)
        XCTAssertTrue(waitUntil { self.fixture.gateway.server.shared.connectionCount == 0 })
        let before = openDescriptorCount()
        for i in 0..<40 {
            let socket = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
            socket.write([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03].prefix(1 + i % 11).map { $0 })
            if i % 2 == 0 { socket.reset() } else { socket.close() }
        }
        XCTAssertTrue(waitUntil { self.fixture.gateway.server.shared.connectionCount == 0 })
        XCTAssertTrue(waitUntil { openDescriptorCount() <= before }, "descriptors: \(before) before, \(openDescriptorCount()) after")
    }

    func testCurlGetsAResponse() {
        let port = fixture.gateway.port
        let result = runProcess("/usr/bin/env", ["curl", "-sS", "--cacert", TLSConfig.pki.path("ca.pem"),
                                                 "--resolve", "api.porttask.example:\(port):127.0.0.1",
                                                 "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                                                 "https://api.porttask.example:\(port)/v1/status"])
        XCTAssertEqual(result.stdout, "200 1.1", result.stderr)
    }
}

/// A loop keeps serving while many handshakes wait for bytes that never come.
final class TLSHandshakeFloodTests: XCTestCase {
    func testStalledHandshakesDoNotHoldUpOtherClients() throws {
        let fixture = try TLSConfig.gateway(headerReadMs: 20_000)   // the stalled ones stay open throughout
        defer { fixture.stop() }
        var stalled: [BlockingSocket] = []
        defer { stalled.forEach { $0.close() } }
        for _ in 0..<100 {
            let socket = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
            socket.write([0x16, 0x03, 0x01, 0x40, 0x00])   // announces a 16 KiB ClientHello, sends none of it
            stalled.append(socket)
        }
        let start = Date()
        XCTAssertEqual(TLSConfig.client(fixture).run().status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "served while 100 handshakes wait (they would hold it 20 s)")
        XCTAssertTrue(waitUntil { fixture.gateway.server.shared.connectionCount == 100 }, "the stalled handshakes are still open")
    }
}

/// `min_version: "1.3"` refuses TLS 1.2 clients.
final class TLSMinimumVersionTests: XCTestCase {
    func testTLS12ClientIsRefusedWhenMinimumIs13() throws {
        let fixture = try TLSConfig.gateway(minVersion: "1.3")
        defer { fixture.stop() }
        var client = TLSConfig.client(fixture)
        client.maxVersion = "1.2"
        XCTAssertNotNil(client.run().error)
        let sClient = runProcess("/usr/bin/env", ["openssl", "s_client", "-connect", "127.0.0.1:\(fixture.gateway.port)",
                                                  "-tls1_2", "-servername", "api.porttask.example"], stdin: "")
        XCTAssertNotEqual(sClient.status, 0, "openssl s_client -tls1_2 must fail")
        XCTAssertTrue(fixture.upstream.requests.isEmpty)
        XCTAssertEqual(TLSConfig.client(fixture).run().version, "TLSv1.3")
    }

    func testResumptionCanBeTurnedOff() throws {
        let fixture = try TLSConfig.gateway(resumption: false)
        defer { fixture.stop() }
        for version in ["1.3", "1.2"] {
            var client = TLSConfig.client(fixture)
            client.maxVersion = version
            let outcome = client.run(connections: 2)
            XCTAssertNil(outcome.error)
            XCTAssertFalse(outcome.reused, "TLS \(version): session_resumption false means full handshakes")
        }
    }
}
