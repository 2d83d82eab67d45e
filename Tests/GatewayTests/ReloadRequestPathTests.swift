import XCTest
import Foundation
import Config
@testable import Gateway
#if canImport(Glibc)
import Glibc
#endif

/// Live reload on the request path, in process (`RunningGateway.reload`): in-flight requests keep
/// their configuration, keep-alive connections follow the new one, upstream pools and `listen`.
final class ReloadRequestPathTests: XCTestCase {
    private var upstream: TestUpstream!
    private var gateway: RunningGateway!

    override func setUp() { upstream = TestUpstream() }
    override func tearDown() {
        if let gateway {
            let done = DispatchSemaphore(value: 0)
            gateway.shutdown(graceMs: 200) { _ in done.signal() }
            done.wait()
            gateway.group.shutdown()
        }
        upstream.stop()
    }

    private func config(listen: String = "127.0.0.1:0", routes: [String], connectTimeout: Int = 2000) throws -> PortcullisConfig {
        let json = """
        {"listen": "\(listen)", "workers": 1,
         "upstreams": {"u": {"targets": ["http://127.0.0.1:\(upstream.port)"], "connect_timeout_ms": \(connectTimeout)}},
         "routes": [\(routes.map { #"{"path": "\#($0)", "upstream": "u", "public": true}"# }.joined(separator: ", "))]}
        """
        return try ConfigLoader.parse(bytes: Array(json.utf8), baseDirectory: "/")
    }

    private func get(_ c: BlockingSocket, _ path: String) -> Int? {
        c.write("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
        return c.readResponse()?.status
    }

    private func waitFor(_ what: String, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(5)
        while !condition() && Date() < deadline { usleep(5_000) }
        XCTAssertTrue(condition(), what)
    }

    func testInFlightRequestFinishesUnderItsConfigurationAndTheConnectionsNextRequestFollowsTheNewOne() throws {
        gateway = try RunningGateway(config: config(routes: ["/slow/**", "/echo/**"]))
        let client = try XCTUnwrap(BlockingSocket.connect(port: gateway.port))
        defer { client.close() }
        client.write("GET /slow/1 HTTP/1.1\r\nHost: t\r\n\r\n")
        waitFor("the upstream has the request") { upstream.requests.count == 1 }

        let changes = try gateway.reload(config: config(routes: ["/echo/**"]))
        XCTAssertEqual(changes.description, "routes +0 -1, upstreams unchanged, issuers unchanged")
        XCTAssertEqual(client.readResponse()?.status, 200, "the request in flight finishes under the configuration it started with")
        XCTAssertEqual(get(client, "/slow/2"), 404, "the same connection's next request follows the new routes")
        XCTAssertEqual(get(client, "/echo/1"), 200)
        XCTAssertEqual(gateway.server.shared.current.generation, 1)
    }

    /// Nothing grows with reloads: an idle keep-alive connection lets go of the previous configuration
    /// (its authorizer, token cache, pools) as soon as the new one is installed on its loop.
    func testIdleKeepAliveConnectionsDoNotKeepThePreviousConfigurationAlive() throws {
        gateway = try RunningGateway(config: config(routes: ["/echo/**"]))
        let client = try XCTUnwrap(BlockingSocket.connect(port: gateway.port))
        defer { client.close() }
        XCTAssertEqual(get(client, "/echo/1"), 200)
        weak let previous = gateway.server.shared.current
        XCTAssertNotNil(previous)
        try gateway.reload(config: config(routes: ["/echo/**", "/bytes/**"]))
        XCTAssertNil(previous, "the idle connection still holds the previous configuration")
        XCTAssertEqual(get(client, "/bytes/1"), 200)
    }

    func testUnchangedUpstreamKeepsItsPooledConnectionsAndAChangedOneStartsAfresh() throws {
        gateway = try RunningGateway(config: config(routes: ["/echo/**"]))
        func request() throws -> Int? {
            let c = try BlockingSocket.open(port: gateway.port)
            defer { c.close() }
            return get(c, "/echo/x")
        }
        XCTAssertEqual(try request(), 200)
        XCTAssertEqual(upstream.connectionCount, 1)
        try gateway.reload(config: config(routes: ["/echo/**", "/bytes/**"]))
        XCTAssertEqual(try request(), 200)
        XCTAssertEqual(upstream.connectionCount, 1, "the pooled upstream connection was reused after the reload")

        let changes = try gateway.reload(config: config(routes: ["/echo/**", "/bytes/**"], connectTimeout: 1500))
        XCTAssertEqual(changes.description, "routes unchanged, upstreams +0 -0 ~1, issuers unchanged")
        XCTAssertEqual(try request(), 200)
        XCTAssertEqual(upstream.connectionCount, 2, "a changed upstream gets a new pool")
    }

    func testChangedListenIsBoundBeforeTheOldSocketCloses() throws {
        gateway = try RunningGateway(config: config(routes: ["/echo/**"]))
        let oldPort = gateway.port
        let idle = try XCTUnwrap(BlockingSocket.connect(port: oldPort))   // accepted on the old socket
        defer { idle.close() }
        XCTAssertEqual(get(idle, "/echo/0"), 200)
        let newPort = try freePort()
        let changes = try gateway.reload(config: config(listen: "127.0.0.1:\(newPort)", routes: ["/echo/**"]))
        XCTAssertEqual(changes.changedSections, ["listen"])
        XCTAssertEqual(gateway.port, newPort)
        let fresh = try XCTUnwrap(BlockingSocket.connect(port: newPort), "the new address accepts as soon as reload returns")
        defer { fresh.close() }
        XCTAssertEqual(get(fresh, "/echo/1"), 200)
        XCTAssertEqual(get(idle, "/echo/2"), 200, "connections accepted on the old socket carry on")
        waitFor("the old socket closes") { BlockingSocket.connect(port: oldPort).map { $0.close(); return false } ?? true }
    }

    func testReloadThatCannotBindItsListenChangesNothing() throws {
        gateway = try RunningGateway(config: config(routes: ["/echo/**"]))
        let port = gateway.port
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        // The test upstream's port is taken: the new listen cannot be bound.
        try """
        {"listen": "127.0.0.1:\(upstream.port)", "upstreams": {"u": {"targets": ["http://127.0.0.1:\(upstream.port)"]}},
         "routes": [{"path": "/bytes/**", "upstream": "u", "public": true}]}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertFalse(gateway.reload(fromFile: file))
        XCTAssertEqual(gateway.health.reloads.failureCount, 1)
        XCTAssertEqual(gateway.health.reloads.successCount, 0)
        XCTAssertEqual(gateway.port, port)
        let c = try XCTUnwrap(BlockingSocket.connect(port: port))
        defer { c.close() }
        XCTAssertEqual(get(c, "/echo/1"), 200, "the old routes and socket are still in force")
        XCTAssertEqual(get(c, "/bytes/1"), 404)
        XCTAssertEqual(gateway.server.shared.current.generation, 0)
    }

    /// A participant that refuses the new configuration (a TLS certificate that does not load, say)
    /// fails the whole reload; one that accepts is committed once the new snapshot is installed.
    func testReloadParticipantCanRefuseAReloadAndIsCommittedAfterTheSnapshot() throws {
        gateway = try RunningGateway(config: config(routes: ["/echo/**"]))
        let participant = RecordingParticipant()
        gateway.addReloadParticipant(participant)
        participant.refuse = true
        XCTAssertThrowsError(try gateway.reload(config: config(routes: ["/echo/**", "/bytes/**"])))
        XCTAssertEqual(gateway.server.shared.current.generation, 0)
        XCTAssertEqual(participant.commits, [])
        let c = try XCTUnwrap(BlockingSocket.connect(port: gateway.port))
        defer { c.close() }
        XCTAssertEqual(get(c, "/bytes/1"), 404)

        participant.refuse = false
        participant.server = gateway.server
        try gateway.reload(config: config(routes: ["/echo/**", "/bytes/**"]))
        XCTAssertEqual(participant.commits, [1], "committed after the snapshot of generation 1 was installed")
        XCTAssertEqual(get(c, "/bytes/1"), 200)
    }

    /// A port that was free a moment ago (bound to port 0, then released).
    private func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        XCTAssertTrue(ok)
        return UInt16(bigEndian: addr.sin_port)
    }
}

private final class RecordingParticipant: ReloadParticipant, @unchecked Sendable {
    struct Refused: Error {}
    private let lock = NSLock()
    private var _refuse = false, _commits: [Int] = []
    var server: GatewayServer?
    var refuse: Bool { get { lock.withLock { _refuse } } set { lock.withLock { _refuse = newValue } } }
    var commits: [Int] { lock.withLock { _commits } }

    func prepare(_ next: PortcullisConfig) throws -> @Sendable () -> Void {
        if refuse { throw Refused() }
        return { [self] in lock.withLock { _commits.append(server?.shared.current.generation ?? -1) } }
    }
}
