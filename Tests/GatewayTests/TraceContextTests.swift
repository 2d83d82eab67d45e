import XCTest
import HTTP1
@testable import Gateway

/// W3C Trace Context: a valid `traceparent` keeps its trace-id (and `tracestate`) upstream; an absent,
/// invalid or all-zero one is replaced by a new valid one and its `tracestate` dropped.
final class TraceContextTests: XCTestCase {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    private func begin(_ fields: [(String, String)]) -> TraceParent {
        var headers = HTTPHeaders()
        for (n, v) in fields { headers.append(n, v) }
        var random = TraceRandom()
        var trace = TraceParent()
        trace.begin(from: headers, random: &random)
        return trace
    }

    private func assertWellFormed(_ trace: TraceParent, file: StaticString = #filePath, line: UInt = #line) {
        let text = String(decoding: trace.value, as: UTF8.self)
        XCTAssertNotNil(text.range(of: "^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", options: .regularExpression), text, file: file, line: line)
        XCTAssertTrue(trace.value.withUnsafeBufferPointer { TraceParent.validFlags($0) != nil }, "our own value is valid", file: file, line: line)
    }

    func testValidTraceparentKeepsItsTraceIdWithANewSpan() {
        let trace = begin([("traceparent", Self.valid)])
        assertWellFormed(trace)
        XCTAssertTrue(trace.continuesClientTrace)
        XCTAssertEqual(String(decoding: trace.traceID, as: UTF8.self), "4bf92f3577b34da6a3ce929d0e0e4736")
        XCTAssertFalse(String(decoding: trace.value, as: UTF8.self).contains("00f067aa0ba902b7"), "the gateway is a hop: new parent-id")
        XCTAssertTrue(String(decoding: trace.value, as: UTF8.self).hasSuffix("-01"), "sampled flag kept")
    }

    func testFutureVersionWithExtraFieldsIsAccepted() {
        let trace = begin([("traceparent", "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-adds")])
        XCTAssertTrue(trace.continuesClientTrace)
        assertWellFormed(trace)
    }

    func testAbsentTraceparentStartsANewTrace() {
        let a = begin([]), b = begin([])
        assertWellFormed(a)
        XCTAssertFalse(a.continuesClientTrace)
        XCTAssertNotEqual(a.traceID, b.traceID)
    }

    /// Each invalid shape is replaced, never forwarded.
    func testInvalidTraceparentsAreReplaced() {
        let invalid = [
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // all-zero trace-id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // all-zero parent-id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version ff
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // uppercase hex
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x", // version 00 with extra data
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",    // short trace-id
            "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",   // wrong separators
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",   // non-hex
            "",
        ]
        for value in invalid {
            let trace = begin([("traceparent", value)])
            XCTAssertFalse(trace.continuesClientTrace, value)
            XCTAssertNotEqual(String(decoding: trace.traceID, as: UTF8.self), "4bf92f3577b34da6a3ce929d0e0e4736", value)
            XCTAssertNotEqual(String(decoding: trace.traceID, as: UTF8.self), String(repeating: "0", count: 32), value)
            assertWellFormed(trace)
        }
        let twice = begin([("traceparent", Self.valid), ("traceparent", Self.valid)])
        XCTAssertFalse(twice.continuesClientTrace, "two traceparent fields are invalid")
    }

    /// End to end: what the upstream sees and what the access log says.
    func testUpstreamGetsTheKeptTraceIdAndTracestateAndTheLogAgrees() throws {
        let upstream = TestUpstream()
        defer { upstream.stop() }
        let capture = AccessLogCapture()
        let gw = try GatewayHarness(upstreamPorts: [upstream.port], accessLog: capture.sink)
        defer { gw.stop() }
        XCTAssertEqual(gw.send("GET /echo/1 HTTP/1.1\r\nHost: t\r\ntraceparent: \(Self.valid)\r\ntracestate: vendor=abc\r\n\r\n")?.status, 200)
        XCTAssertEqual(gw.send("GET /echo/2 HTTP/1.1\r\nHost: t\r\ntraceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01\r\n"
                               + "tracestate: vendor=stale\r\n\r\n")?.status, 200)
        let seen = upstream.requests
        XCTAssertEqual(seen.count, 2)
        func values(_ i: Int, _ name: String) -> [String] { seen[i].headers.filter { $0.0.lowercased() == name }.map { $0.1 } }
        let kept = try XCTUnwrap(values(0, "traceparent").first)
        XCTAssertEqual(values(0, "traceparent").count, 1)
        XCTAssertEqual(kept.split(separator: "-")[1], "4bf92f3577b34da6a3ce929d0e0e4736")
        XCTAssertEqual(values(0, "tracestate"), ["vendor=abc"])
        let replaced = try XCTUnwrap(values(1, "traceparent").first)
        XCTAssertNotEqual(replaced.split(separator: "-")[1], "00000000000000000000000000000000")
        XCTAssertEqual(values(1, "tracestate"), [], "a replaced trace drops the client's tracestate")
        let lines = capture.lines(of: gw.server)
        // Lines of different loops are not ordered among themselves: compare as a set.
        XCTAssertEqual(Set(lines.compactMap { $0["trace_id"] as? String }),
                       [String(kept.split(separator: "-")[1]), String(replaced.split(separator: "-")[1])])
    }

    /// The eight-at-a-time hex writer against the standard library, over every nibble value in
    /// every position and a sweep of values.
    func testHexDigitsMatchTheStandardLibrary() {
        var values: [UInt32] = [0, 1, 9, 10, 15, 16, 0xFFFF_FFFF, 0x0123_ABCD, 0xA0A0_A0A0, 0x9999_9999, 0xAAAA_AAAA]
        for shift in stride(from: 0, to: 32, by: 4) { for n in 0..<16 { values.append(UInt32(n) << UInt32(shift)) } }
        var x: UInt32 = 0x1234_5678
        for _ in 0..<10_000 { x = x &* 1_664_525 &+ 1_013_904_223; values.append(x) }
        for v in values {
            var word = TraceParent.hexDigits(v)
            let text = withUnsafeBytes(of: &word) { String(decoding: $0, as: UTF8.self) }
            let hex = String(v, radix: 16)
            XCTAssertEqual(text, String(repeating: "0", count: 8 - hex.count) + hex, "\(v)")
        }
    }
}
