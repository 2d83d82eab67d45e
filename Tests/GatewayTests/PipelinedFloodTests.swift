import Foundation
import XCTest
import Synchronization
import HTTP1
import IO
@testable import Gateway

/// A client that pipelines requests the gateway answers itself and never reads the answers must not
/// make the gateway queue answers without bound (issue #10, fault 3: 93 MB of pipelined denied
/// requests took the process from 33 MB to 1.5 GB), and must not hold up other clients.
final class PipelinedFloodTests: XCTestCase {
    /// Denies every request locally and counts how many it was asked about.
    final class DenyAll: RequestAuthorizer {
        let decided = Atomic<Int>(0)
        func authorize(_ request: ParsedRequest, peer: String, clientCertificateThumbprint: String?,
                       completion: @escaping @Sendable (AuthorizationOutcome) -> Void) -> AuthorizationOutcome? {
            decided.add(1, ordering: .relaxed)
            return .respond(.error(401, error: "invalid_token", description: "no token", code: "missing_token"))
        }
    }

    func testNeverReadingClientPipeliningDeniedRequestsIsHeldBackWhileOthersAreServed() throws {
        let deny = DenyAll()
        let gateway = try GatewayHarness(upstreamPorts: [9], authorizer: deny, loops: 1)
        defer { gateway.stop() }

        let (sent, last, target) = Self.flood(port: gateway.port) { deny.decided.load(ordering: .relaxed) }
        let requestsSent = sent / 33
        print("flood: sent \(sent) bytes, \(last) requests decided")
        XCTAssertLessThan(sent, target, "the gateway kept reading a connection whose answers nobody reads")
        XCTAssertLessThan(last, 100_000, "answers queued for a client that never reads (\(requestsSent) requests sent)")

        // Meanwhile another client on the same loop is served at once.
        let other = try XCTUnwrap(gateway.send("GET /v1/x HTTP/1.1\r\nHost: a\r\n\r\n"))
        XCTAssertEqual(other.status, 401)
    }

    /// The same for the local services (admin, demo API, development issuer) on `LocalServer`.
    func testNeverReadingClientPipeliningToALocalServiceIsHeldBack() throws {
        final class Counting: LocalService, @unchecked Sendable {
            let handled = Atomic<Int>(0)
            func handle(_ request: LocalRequest) -> LocalResponse {
                handled.add(1, ordering: .relaxed)
                return LocalResponse(status: 200, body: Array(repeating: UInt8(ascii: "x"), count: 200))
            }
        }
        let service = Counting()
        let group = EventLoopGroup(count: 1)
        defer { group.shutdown() }
        let server = LocalServer(service: service, group: group)
        let port = try server.start(listen: SocketAddress(host: "127.0.0.1", port: 0)!)
        defer { server.stop() }
        let (sent, last, target) = Self.flood(port: port) { service.handled.load(ordering: .relaxed) }
        XCTAssertLessThan(sent, target, "the local server kept reading a connection whose answers nobody reads")
        XCTAssertLessThan(last, 100_000)
    }

    /// Pipelines `GET /v1/x` from a client with a tiny receive buffer that never reads, until 40 MiB
    /// are sent or sending stalls for a second; then waits until `count` stops moving.
    static func flood(port: UInt16, count: () -> Int) -> (sent: Int, counted: Int, target: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var small: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(4))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { return (0, -1, 0) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let request = Array("GET /v1/x HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let batch = Array((0..<1000).map { _ in request }.joined())
        let target = 40 << 20
        var sent = 0, offset = 0
        var lastProgress = Date()
        while sent < target, Date().timeIntervalSince(lastProgress) < 1 {
            let n = batch.withUnsafeBytes { send(fd, $0.baseAddress! + offset, batch.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; offset = (offset + n) % batch.count; lastProgress = Date() } else { usleep(1000) }
        }
        // Wait until the gateway has stopped deciding requests of this connection.
        var last = -1
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let now = count()
            if now == last { break }
            last = now
            usleep(300_000)
        }
        return (sent, last, target)
    }
}
