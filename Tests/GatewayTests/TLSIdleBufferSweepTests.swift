import Foundation
import XCTest
import IO
@testable import PortcullisTLS
@testable import Gateway

/// The loop's idle sweep gives a TLS connection's buffers back once it has been idle for a whole
/// tick, client connections and pooled upstream connections alike, and the connection goes on
/// (OpenSSL allocates its record buffers again). That a busy session keeps them between requests is
/// `TLSIdleBufferTests` (deterministic there: the sweeps are called by the test).
final class TLSIdleBufferSweepTests: XCTestCase {
    let pki = TLSTestPKI.shared
    var group: EventLoopGroup!
    var upstream: LocalServer!

    override func tearDown() {
        upstream?.stop()
        group?.shutdown()
    }

    /// Buffer facts of a set of TLS sessions, read on their loop.
    private struct SessionFacts { var releases: Int; var capacity: Int }

    private func onLoops(_ fixture: AuthGatewayFixture, _ read: @escaping @Sendable (LoopContext) -> [TLSConnection]) -> [SessionFacts] {
        var all: [SessionFacts] = []
        for loop in fixture.gateway.server.group.loops {
            guard let context = fixture.gateway.server.contexts[loop.index] else { continue }
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var facts: [SessionFacts] = []
            loop.execute {
                facts = read(context).map { SessionFacts(releases: $0.bufferReleases, capacity: $0.bufferCapacity) }
                done.signal()
            }
            done.wait()
            all += facts
        }
        return all
    }

    private func clientSessions(_ fixture: AuthGatewayFixture) -> [SessionFacts] {
        onLoops(fixture) { context in context.connections.values.compactMap { $0.stream.transform as? TLSConnection } }
    }

    private func pooledUpstreamSessions(_ fixture: AuthGatewayFixture) -> [SessionFacts] {
        onLoops(fixture) { context in
            context.runtime.pools.flatMap(\.idleStreams).compactMap { $0.transform as? TLSConnection }
        }
    }

    func testIdleClientConnectionGivesBackItsBuffersAfterTheSweepAndGoesOn() throws {
        let fixture = try TLSConfig.gateway()
        defer { fixture.stop() }
        let session = try BlockingTLSSession(port: fixture.gateway.port, caFile: pki.path("ca.pem"), serverName: "api.porttask.example")
        XCTAssertEqual(session.get("/v1/status")?.status, 200)
        XCTAssertTrue(waitUntil { self.isIdleAndEmpty(self.clientSessions(fixture)) },
                      "the idle connection's session gave its buffers back: \(clientSessions(fixture))")
        let released = clientSessions(fixture).first?.releases ?? 0
        XCTAssertEqual(session.get("/v1/status")?.status, 200, "the session goes on after giving its buffers back")
        XCTAssertTrue(waitUntil { (self.clientSessions(fixture).first?.releases ?? 0) > released },
                      "and gives them back again when idle")
    }

    /// One session, which has given its buffers back and holds none (a session that waited more
    /// than a tick between its handshake and its request may have done so twice).
    private func isIdleAndEmpty(_ sessions: [SessionFacts]) -> Bool {
        sessions.count == 1 && sessions[0].releases >= 1 && sessions[0].capacity == 0
    }

    func testPooledUpstreamConnectionGivesBackItsBuffersAfterTheSweepAndIsReused() throws {
        group = EventLoopGroup(count: 1)
        let service = PeerRecordingService()
        let tls = try TLSServerCertificates(settings: TLSServerSettings(certificates: [
            TLSCertificateEntry(certificateFile: pki.path("upstream.pem"), privateKeyFile: pki.path("upstream.key"))]))
        upstream = LocalServer(service: service, group: group, tls: tls)
        let port = try upstream.start(listen: SocketAddress(host: "127.0.0.1", port: 0)!)
        let fixture = try AuthGatewayFixture(routes: #"{ "methods": ["GET"], "path": "/v1/status", "upstream": "secure", "public": true }"#,
                                             extraUpstreams: #", "secure": {"targets": ["https://127.0.0.1:\#(port)"], "tls": {"ca_file": "\#(pki.path("ca.pem"))"}}"#)
        defer { fixture.stop() }
        let socket = try XCTUnwrap(BlockingSocket.connect(port: fixture.gateway.port))
        defer { socket.close() }
        socket.write("GET /v1/status HTTP/1.1\r\nHost: g\r\n\r\n")
        XCTAssertEqual(socket.readResponse()?.status, 200)
        XCTAssertTrue(waitUntil { self.isIdleAndEmpty(self.pooledUpstreamSessions(fixture)) },
                      "the parked upstream session gave its buffers back: \(pooledUpstreamSessions(fixture))")
        socket.write("GET /v1/status HTTP/1.1\r\nHost: g\r\n\r\n")
        XCTAssertEqual(socket.readResponse()?.status, 200)
        XCTAssertEqual(Set(service.peers).count, 1, "the same pooled TLS connection carried both requests")
    }
}
