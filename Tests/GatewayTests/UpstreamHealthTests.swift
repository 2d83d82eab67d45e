import Foundation
import XCTest
import Locks
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import IO
@testable import Gateway

/// Passive health (`max_fails`, `fail_timeout`): a target that refused `max_fails` connections in a
/// row is skipped until `fail_timeout` has passed, then tried once again.
///
/// The refused connects are counted on the healthy target: a refused connect of a GET is retried on
/// a *new* connection to the other target, while a request that goes to the healthy target first
/// reuses its pooled connection. So the healthy target's connection count is the number of
/// attempts on the refusing one.
final class UpstreamHealthTests: XCTestCase {
    /// Real monotonic time plus an offset the test moves (timers keep working; `fail_timeout`
    /// passes without sleeping).
    final class SkewClock: IO.Clock, Sendable {
        private let offset = Atomic<Int64>(0)
        private let real = MonotonicClock()
        func now() -> Instant { Instant(nanoseconds: real.now().nanoseconds + offset.load(ordering: .relaxed)) }
        func unixSeconds() -> Int64 { real.unixSeconds() }
        func advance(seconds: Int64) { offset.add(seconds * 1_000_000_000, ordering: .relaxed) }
    }

    /// A port that refuses connections: bound (so no one else gets it) but not listening.
    private func refusingPort() -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return (fd, UInt16(bigEndian: addr.sin_port))
    }

    /// `portcullis_upstream_errors_total{kind="connect"}` over every upstream, read from the loops.
    private func connectErrors(_ gateway: GatewayHarness) -> Int {
        let done = expectation(description: "metrics")
        let total = Locked(0)
        gateway.server.collectMetrics { snapshot in
            total.withLock { $0 = snapshot.metrics.upstreamErrors.filter { $0.key.kind == .connect }.values.reduce(0, +) }
            done.fulfill()
        }
        wait(for: [done], timeout: 10)
        return total.withLock { $0 }
    }

    func testTargetIsSkippedAfterMaxFailsUntilFailTimeout() throws {
        let healthy = TestUpstream()
        defer { healthy.stop() }
        let refusing = refusingPort()
        defer { close(refusing.fd) }
        let clock = SkewClock()
        // One loop: one pool, one round-robin; the refusing target comes first.
        let gateway = try GatewayHarness(upstreamPorts: [refusing.port, healthy.port], loops: 1, clock: clock) { _, up in
            up.maxFails = 2
            up.failTimeoutSeconds = 30
        }
        defer { gateway.stop() }
        func get() -> Int { gateway.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")?.status ?? 0 }

        // Round-robin alternates: the refusing target is tried on every other request until it has
        // failed twice; each refused connect is retried on a new connection to the healthy one.
        var statuses = (0..<3).map { _ in get() }
        XCTAssertEqual(healthy.connectionCount, 2, "two refused connects (max_fails), each retried on a new connection")
        XCTAssertEqual(connectErrors(gateway), 2, "portcullis_upstream_errors_total counts refused attempts that a retry hid")
        // Down now: every request goes to the healthy target and reuses its pooled connections.
        statuses += (0..<10).map { _ in get() }
        XCTAssertEqual(healthy.connectionCount, 2, "the refusing target was skipped: no attempt, no retry")

        // After fail_timeout it is tried once more, fails, and is skipped again at once.
        clock.advance(seconds: 31)
        statuses += (0..<10).map { _ in get() }
        XCTAssertEqual(healthy.connectionCount, 3, "exactly one attempt on the refusing target after fail_timeout")
        XCTAssertEqual(connectErrors(gateway), 3)
        XCTAssertTrue(statuses.allSatisfy { $0 == 200 }, "every request was served: \(statuses)")
        XCTAssertEqual(healthy.requests.count, statuses.count)
    }
}
