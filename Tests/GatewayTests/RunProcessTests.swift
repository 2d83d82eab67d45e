import XCTest
import TestProcessSupport

/// The test harness's process runner: output that comes after a silence is kept, and a child that
/// outlives its timeout is killed and says so (instead of the harness hanging on it).
final class RunProcessTests: XCTestCase {
    func testOutputAfterASilenceIsKept() {
        let r = runProcess("/bin/sh", ["-c", "echo early; sleep 1.2; echo late; echo oops >&2"], timeoutSeconds: 30)
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "early\nlate\n")
        XCTAssertEqual(r.stderr, "oops\n")
    }

    func testAChildOutlivingItsTimeoutIsKilled() {
        let started = Date()
        let r = runProcess("/bin/sh", ["-c", "echo started; exec sleep 60"], timeoutSeconds: 1)
        XCTAssertEqual(r.status, 128 + SIGKILL)
        XCTAssertEqual(r.stdout, "started\n")
        XCTAssertTrue(r.stderr.contains("[runProcess: killed after 1 s]"), r.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    }
}
