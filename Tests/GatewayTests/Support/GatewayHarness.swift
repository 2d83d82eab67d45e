import Foundation
import IO
import HTTP1
import Telemetry
import XCTest
@testable import Gateway

/// Starts a gateway on 127.0.0.1 (ephemeral port) in front of the given upstream ports.
final class GatewayHarness {
    let group: EventLoopGroup
    let server: GatewayServer
    let port: UInt16

    init(upstreamPorts: [UInt16], authorizer: any RequestAuthorizer = ForwardAllAuthorizer(), accessLog: AccessLogSink? = nil, routeLabels: [String] = [],
         loops: Int = 2, clock: any IO.Clock = MonotonicClock(), configure: (inout ProxySettings, inout UpstreamService) -> Void = { _, _ in }) throws {
        var settings = ProxySettings()
        var upstream = UpstreamService(name: "test", targets: upstreamPorts.map { SocketAddress(host: "127.0.0.1", port: $0)! })
        configure(&settings, &upstream)
        group = EventLoopGroup(count: loops, clock: clock, tickInterval: .milliseconds(20))
        server = GatewayServer(shared: GatewayShared(settings: settings, upstreams: [upstream], authorizer: authorizer, accessLog: accessLog,
                                                         routeLabels: routeLabels), group: group)
        port = try server.start(listen: SocketAddress(host: "127.0.0.1", port: 0)!)
    }

    /// How long `client()` keeps retrying a refused or timed-out connect: far beyond what a normal
    /// run needs (its first connect succeeds), for the listener under a sanitizer's slowdown.
    static let connectPatienceSeconds = 30.0

    /// A new connection to the gateway. Throws (failing the test with the reason) when it cannot
    /// connect within `connectPatienceSeconds`; never traps the test process.
    func client() throws -> BlockingSocket {
        let deadline = Date().addingTimeInterval(Self.connectPatienceSeconds)
        while true {
            do {
                return try BlockingSocket.open(port: port)
            } catch let failure as BlockingSocket.ConnectFailure where failure.isTransient && Date() < deadline {
                usleep(50_000)
            }
        }
    }

    /// One request on a fresh connection; nil (and a test failure) when it cannot connect.
    func send(_ raw: String, method: String = "GET", file: StaticString = #filePath, line: UInt = #line)
        -> (status: Int, headers: [String: String], body: [UInt8])? {
        let c: BlockingSocket
        do { c = try client() } catch { XCTFail("\(error)", file: file, line: line); return nil }
        defer { c.close() }
        c.write(raw)
        return c.readResponse(method: method)
    }

    func stop() {
        let done = DispatchSemaphore(value: 0)
        server.shutdown(graceMs: 500) { _ in done.signal() }
        done.wait()
        group.shutdown()
    }
}
