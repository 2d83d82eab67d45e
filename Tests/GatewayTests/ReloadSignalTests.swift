import XCTest
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Live reload, black-box: the real `portcullis` process, its configuration file rewritten and SIGHUP.
final class ReloadSignalTests: XCTestCase {
    private var upstream: TestUpstream!

    override func setUp() { upstream = TestUpstream() }
    override func tearDown() { upstream.stop() }

    private func config(routes: String, issuers: String = "[]", upstream name: String = "u") -> String {
        """
        {"listen": "127.0.0.1:0", "workers": 1, "admin": {"listen": "127.0.0.1:0"},
         "upstreams": {"\(name)": {"targets": ["http://127.0.0.1:\(upstream.port)"]}},
         "issuers": \(issuers),
         "routes": \(routes)}
        """
    }

    private static let echoRoute = #"{"path": "/echo/**", "upstream": "u", "public": true}"#
    private static let bytesRoute = #"{"path": "/bytes/**", "upstream": "u", "public": true}"#

    private func get(_ c: BlockingSocket, _ path: String) -> Int? {
        c.write("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
        return c.readResponse()?.status
    }

    func testSIGHUPAppliesANewRouteToAKeepAliveConnectionOpenedBefore() throws {
        let gateway = try PortcullisProcess(config: config(routes: "[\(Self.echoRoute)]"))
        let client = try XCTUnwrap(BlockingSocket.connect(port: gateway.gatewayPort))
        defer { client.close() }
        XCTAssertEqual(get(client, "/echo/1"), 200)
        XCTAssertEqual(get(client, "/bytes/10"), 404, "no route yet")

        try gateway.rewrite(config: config(routes: "[\(Self.echoRoute), \(Self.bytesRoute)]"))
        gateway.send(SIGHUP)
        let line = try XCTUnwrap(gateway.waitForLog("configuration reloaded"), gateway.logText)
        XCTAssertEqual(line["changes"] as? String, "routes +1 -0, upstreams unchanged, issuers unchanged")

        XCTAssertEqual(get(client, "/bytes/10"), 200, "the keep-alive connection's next request follows the new routes")
        XCTAssertEqual(get(client, "/echo/2"), 200)
        let metrics = String(decoding: try XCTUnwrap(gateway.admin("/metrics")).body, as: UTF8.self)
        XCTAssertTrue(metrics.contains(#"portcullis_config_reloads_total{result="success"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"portcullis_config_reloads_total{result="failure"} 0"#), metrics)
        XCTAssertTrue(metrics.contains("portcullis_config_last_reload_success_timestamp_seconds "), metrics)
    }

    func testInvalidConfigurationOnSIGHUPKeepsTheRunningOneAndLogsTheJSONPath() throws {
        let gateway = try PortcullisProcess(config: config(routes: "[\(Self.echoRoute)]"))
        let client = try XCTUnwrap(BlockingSocket.connect(port: gateway.gatewayPort))
        defer { client.close() }
        XCTAssertEqual(get(client, "/echo/1"), 200)

        // A route naming an upstream that does not exist: `check` reports routes[1].upstream.
        try gateway.rewrite(config: config(routes: #"[{"path": "/echo/**", "upstream": "u", "public": true}, {"path": "/bytes/**", "upstream": "billing", "public": true}]"#))
        gateway.send(SIGHUP)
        let failure = try XCTUnwrap(gateway.waitForLog("configuration reload failed; the running configuration is kept"), gateway.logText)
        XCTAssertEqual(failure["level"] as? String, "error")
        XCTAssertEqual(failure["error"] as? String, #"routes[1].upstream: no upstream named "billing""#)
        XCTAssertEqual(get(client, "/echo/2"), 200, "the running configuration is kept")
        XCTAssertEqual(get(client, "/bytes/10"), 404)

        // Not even JSON: nothing changes either.
        try gateway.rewrite(config: "{\"listen\": ")
        gateway.send(SIGHUP)
        XCTAssertNotNil(gateway.waitForLog("configuration reload failed; the running configuration is kept", occurrence: 2), gateway.logText)
        XCTAssertEqual(get(client, "/echo/3"), 200)
        let metrics = String(decoding: try XCTUnwrap(gateway.admin("/metrics")).body, as: UTF8.self)
        XCTAssertTrue(metrics.contains(#"portcullis_config_reloads_total{result="failure"} 2"#), metrics)
        XCTAssertTrue(metrics.contains(#"portcullis_config_reloads_total{result="success"} 0"#), metrics)
        XCTAssertNil(gateway.log.first { $0["msg"] as? String == "configuration reloaded" })
    }

    func testSIGHUPKeepsAnUnchangedIssuersJWKSCacheAndRefetchesAChangedOne() throws {
        let stub = try JWKSStubServer.started()
        defer { stub.stop() }
        stub.serve("/jwks.json", body: AuthKeys.issuerADocument())
        func issuers(skew: Int) -> String {
            #"[{"issuer": "https://issuer-a.test", "jwks_uri": "\#(stub.baseURL)/jwks.json", "algorithms": ["RS256"], "clock_skew_seconds": \#(skew)}]"#
        }
        let protected = #"{"path": "/echo/**", "upstream": "u"}"#
        let gateway = try PortcullisProcess(config: config(routes: "[\(protected)]", issuers: issuers(skew: 60)))
        XCTAssertEqual(stub.hits("/jwks.json"), 1, "the first fetch happens before the gateway listens")

        try gateway.rewrite(config: config(routes: "[\(protected), \(Self.bytesRoute)]", issuers: issuers(skew: 60)))
        gateway.send(SIGHUP)
        let kept = try XCTUnwrap(gateway.waitForLog("configuration reloaded"), gateway.logText)
        XCTAssertEqual(kept["changes"] as? String, "routes +1 -0, upstreams unchanged, issuers unchanged (1 kept with keys and cached tokens)")
        // A new fetcher would have fetched before the reload completed (reloads wait for new keys).
        XCTAssertEqual(stub.hits("/jwks.json"), 1, "an unchanged issuer keeps its JWKS cache")

        try gateway.rewrite(config: config(routes: "[\(protected), \(Self.bytesRoute)]", issuers: issuers(skew: 30)))
        gateway.send(SIGHUP)
        let changed = try XCTUnwrap(gateway.waitForLog("configuration reloaded", occurrence: 2), gateway.logText)
        XCTAssertEqual(changed["changes"] as? String, "routes unchanged, upstreams unchanged, issuers +0 -0 ~1")
        XCTAssertEqual(stub.hits("/jwks.json"), 2, "a changed issuer starts afresh")
        let ready = try XCTUnwrap(gateway.admin("/readyz"))
        XCTAssertEqual(ready.status, 200, String(decoding: ready.body, as: UTF8.self))
    }
}
