import Foundation
import IO
import HTTP1
import Telemetry
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

    func client() -> BlockingSocket { BlockingSocket.connect(port: port)! }

    /// One request on a fresh connection.
    func send(_ raw: String, method: String = "GET") -> (status: Int, headers: [String: String], body: [UInt8])? {
        let c = client()
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
