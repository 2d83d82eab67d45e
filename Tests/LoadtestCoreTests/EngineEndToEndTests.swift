import Foundation
import XCTest
@testable import LoadtestCore

/// Short real runs of the `loadtest` executable against `TestHTTPServer` on 127.0.0.1. They check
/// counts, never timings: every attempt ends as a response or an error, the server saw exactly what
/// the client counted, and an open-loop run sends what its schedule says.
final class EngineEndToEndTests: XCTestCase {
    private var server: TestHTTPServer!
    private var scratch: URL!

    override func setUp() {
        server = TestHTTPServer()
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("loadtest-e2e-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        server.stop()
        try? FileManager.default.removeItem(at: scratch)
    }

    private var base: String { "http://127.0.0.1:\(server.port)" }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = scratch.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testClosedLoopCountsAddUpAndMatchTheServer() throws {
        let scenario = try file("mix.json", """
            {"name": "mix", "requests": [{"path": "/ok", "weight": 3}, {"path": "/missing", "weight": 1}]}
            """)
        let run = try LoadtestBinary.runReport(["--url", base, "--scenario", scenario, "--connections", "4",
                                                "--threads", "2", "--duration", "0.5", "--warmup", "0"])
        XCTAssertGreaterThan(run.responses, 100)
        XCTAssertEqual(run.requests, run.responses + run.transportErrors)
        XCTAssertEqual(run.transportErrors, 0)
        XCTAssertEqual(UInt64(server.total), run.requests, "the server saw every request the client counted, and no other")
        XCTAssertEqual(run.statusCounts["200"], UInt64(server.count("/ok")))
        XCTAssertEqual(run.statusCounts["404"], UInt64(server.count("/missing")))
        // Weights 3:1 hold exactly per loop cycle: at most one partial cycle per loop is off.
        let ok = Int(run.statusCounts["200"] ?? 0), missing = Int(run.statusCounts["404"] ?? 0)
        XCTAssertLessThanOrEqual(abs(ok - 3 * missing), 2 * 4)
    }

    func testServerClosingEachConnectionStillCountsEveryResponse() throws {
        let run = try LoadtestBinary.runReport(["--url", base + "/close", "--connections", "2", "--threads", "1",
                                                "--duration", "0.3", "--warmup", "0"])
        XCTAssertGreaterThan(run.responses, 10)
        XCTAssertEqual(run.statusCounts["200"], run.responses)
        XCTAssertEqual(run.requests, run.responses + run.transportErrors)
        XCTAssertEqual(settledCount("/close", expecting: run.requests), run.requests)
    }

    func testOpenLoopSendsAboutRateTimesDuration() throws {
        let run = try LoadtestBinary.runReport(["--url", base + "/ok", "--rate", "400", "--connections", "4",
                                                "--threads", "2", "--duration", "0.5", "--warmup", "0.2"])
        // The schedule holds exactly 400 × 0.5 = 200 measured requests; allow a loose band.
        XCTAssertGreaterThanOrEqual(run.requests, 180)
        XCTAssertLessThanOrEqual(run.requests, 220)
        XCTAssertEqual(run.requests, run.responses + run.transportErrors)
        // Warm-up requests (about 80) reached the server too, but are not measured.
        XCTAssertGreaterThan(UInt64(server.count("/ok")), run.requests)
    }

    func testRefusedConnectionsAreCountedAsConnectRefused() throws {
        let port = TestHTTPServer.closedPort()
        let run = try LoadtestBinary.runReport(["--url", "http://127.0.0.1:\(port)/", "--connections", "2",
                                                "--duration", "0.3", "--warmup", "0"])
        XCTAssertEqual(run.responses, 0)
        XCTAssertGreaterThan(run.errors["connect_refused"] ?? 0, 0)
        XCTAssertEqual(run.requests, run.transportErrors)
        XCTAssertEqual(run.errors.count, 1)
    }

    func testMalformedResponsesAreCountedAsInvalidResponse() throws {
        let run = try LoadtestBinary.runReport(["--url", base + "/garbage", "--connections", "2",
                                                "--duration", "0.3", "--warmup", "0"])
        XCTAssertEqual(run.responses, 0)
        XCTAssertGreaterThan(run.errors["invalid_response"] ?? 0, 0)
        XCTAssertEqual(run.requests, run.transportErrors)
        XCTAssertEqual(settledCount("/garbage", expecting: run.requests), run.requests)
    }

    /// The server's count for `path` once it reaches `expected` or 5 s have passed: the server
    /// thread may still be recording the last requests when the loadtest process has exited.
    private func settledCount(_ path: String, expecting expected: UInt64) -> UInt64 {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, UInt64(server.count(path)) != expected { usleep(10_000) }
        return UInt64(server.count(path))
    }

    func testUnansweredRequestsAreCountedAsResponseTimeouts() throws {
        // 1 s of run for a 100 ms timeout: on a loaded host the first timeouts must fall inside the run.
        let run = try LoadtestBinary.runReport(["--url", base + "/hang", "--connections", "2", "--timeout", "100ms",
                                                "--duration", "1", "--warmup", "0"])
        XCTAssertEqual(run.responses, 0)
        XCTAssertGreaterThan(run.errors["response_timeout"] ?? 0, 0)
        XCTAssertEqual(run.requests, run.transportErrors)
        XCTAssertEqual(run.errors.count, 1)
    }

    func testResetConnectionsAreCountedAsConnectionReset() throws {
        let run = try LoadtestBinary.runReport(["--url", base + "/reset", "--connections", "2",
                                                "--duration", "0.3", "--warmup", "0"])
        XCTAssertEqual(run.responses, 0)
        XCTAssertGreaterThan(run.errors["connection_reset"] ?? 0, 0)
        XCTAssertEqual(run.requests, run.transportErrors)
        XCTAssertEqual(settledCount("/reset", expecting: run.requests), run.requests)
    }

    func testTokenMixReachesTheServerInItsShares() throws {
        let valid = ["aaaa.bbbb.cccc", "aaaa.bbbb.dddd"]
        let tokens = try file("tokens.json", #"{"valid": ["\#(valid[0])", "\#(valid[1])"], "expired": ["eeee.ffff.gggg"]}"#)
        let run = try LoadtestBinary.runReport(["--url", base + "/ok", "--tokens", tokens, "--mix", "valid=3,expired=1",
                                                "--distinct-tokens", "2", "--connections", "2", "--threads", "1",
                                                "--duration", "0.3", "--warmup", "0"])
        let seen = server.authorizationCounts
        let validSeen = valid.map { seen["Bearer " + $0] ?? 0 }
        let expiredSeen = seen["Bearer eeee.ffff.gggg"] ?? 0
        XCTAssertEqual(validSeen.reduce(0, +) + expiredSeen, Int(run.requests), "every request carried one of the tokens")
        XCTAssertLessThanOrEqual(abs(validSeen.reduce(0, +) - 3 * expiredSeen), 4, "one loop: shares exact up to a partial cycle")
        XCTAssertLessThanOrEqual(abs(validSeen[0] - validSeen[1]), 1, "valid tokens are used in turn")
        XCTAssertEqual(run.tokenOutcomes.total(kind: .expired), UInt64(expiredSeen))
    }
}

/// `loadtest overhead` end to end: interleaved rounds, both targets measured, report files written.
final class OverheadEndToEndTests: XCTestCase {
    func testOverheadRunsBothTargetsEveryRoundAndWritesReports() throws {
        let server = TestHTTPServer()
        defer { server.stop() }
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("loadtest-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: svg) }
        let base = "http://127.0.0.1:\(server.port)"
        let outcome = try LoadtestBinary.run(["overhead", "--direct", base + "/ok", "--gateway", base + "/chunked",
                                              "--rounds", "2", "--connections", "2", "--threads", "1",
                                              "--duration", "0.5", "--warmup", "0", "--svg", svg.path])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let report = try JSONDecoder().decode(OverheadReport.self, from: try XCTUnwrap(outcome.reportJSON))
        XCTAssertEqual(report.kind, "loadtest.overhead")
        XCTAssertEqual(report.rounds.count, 2)
        for round in report.rounds {
            XCTAssertGreaterThan(round.direct.responses, 0)
            XCTAssertEqual(round.direct.statusCounts["200"], round.direct.responses)
            XCTAssertGreaterThan(round.gateway.responses, 0)
            XCTAssertEqual(round.gateway.statusCounts["201"], round.gateway.responses, "chunked responses framed by ResponseParser")
        }
        // The server thread may still be recording the last requests when the process has exited.
        let direct = report.rounds.reduce(0) { $0 + $1.direct.requests }, gateway = report.rounds.reduce(0) { $0 + $1.gateway.requests }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, UInt64(server.count("/ok")) != direct || UInt64(server.count("/chunked")) != gateway { usleep(10_000) }
        XCTAssertEqual(UInt64(server.count("/ok")), direct)
        XCTAssertEqual(UInt64(server.count("/chunked")), gateway)
        XCTAssertTrue(outcome.stdout.contains("Δp50"))
        let chart = String(decoding: try Data(contentsOf: svg), as: UTF8.self)
        XCTAssertTrue(chart.hasPrefix("<svg") && chart.contains("gateway"))
    }
}
