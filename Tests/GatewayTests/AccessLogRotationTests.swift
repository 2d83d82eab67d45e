import XCTest
import Foundation

/// logrotate's way, black box: the real binary writes its access log to a file; the file is renamed,
/// the process gets SIGUSR1, and the next lines go to a new file at the configured path.
final class AccessLogRotationTests: XCTestCase {
    fileprivate func lines(_ path: String) -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Polls until `path` holds `count` lines (the loops hand lines over every ~100 ms).
    fileprivate func waitForLines(_ path: String, _ count: Int) -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(10)
        var found = lines(path)
        while found.count < count && Date() < deadline { usleep(20_000); found = lines(path) }
        return found
    }

    func testSIGUSR1ReopensTheRenamedAccessLog() throws {
        let upstream = TestUpstream()
        defer { upstream.stop() }
        let gateway = try PortcullisProcess(config: """
        {"listen": "127.0.0.1:0", "workers": 2,
         "upstreams": {"api": {"targets": ["http://127.0.0.1:\(upstream.port)"]}},
         "routes": [{"name": "echo", "path": "/echo/**", "upstream": "api", "public": true}],
         "access_log": {"path": "access.log"}, "log": {"level": "info"}}
        """)
        let dir = gateway.directory.path
        func get(_ n: Int) -> String? {
            guard let c = BlockingSocket.connect(port: gateway.gatewayPort) else { return nil }
            defer { c.close() }
            c.write("GET /echo/\(n) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            let r = c.readResponse()
            XCTAssertEqual(r?.status, 200)
            return r?.headers["x-request-id"]
        }
        let log = dir + "/access.log", rotated = dir + "/access.log.1"

        let first = get(1)
        XCTAssertEqual(waitForLines(log, 1).first?["request_id"] as? String, first)
        try FileManager.default.moveItem(atPath: log, toPath: rotated)
        let second = get(2)
        XCTAssertEqual(waitForLines(rotated, 2).last?["request_id"] as? String, second, "before SIGUSR1 the renamed file still gets lines")
        XCTAssertFalse(FileManager.default.fileExists(atPath: log))

        gateway.send(SIGUSR1)
        XCTAssertNotNil(gateway.waitForLog("access log reopened"))
        let third = get(3)
        let fresh = waitForLines(log, 1)
        XCTAssertEqual(fresh.count, 1)
        XCTAssertEqual(fresh.first?["request_id"] as? String, third, "after SIGUSR1 the next line goes to a new file")
        XCTAssertEqual(fresh.first?["route"] as? String, "echo")
        XCTAssertEqual(lines(rotated).count, 2)
        gateway.send(SIGTERM)
        XCTAssertEqual(gateway.waitForExit(), 0)
    }
}

extension AccessLogRotationTests {
    /// A reopen that cannot open the path (here a directory stands where the file was) keeps the
    /// old file in use and says so; no line is lost and the gateway keeps serving.
    func testAFailedReopenKeepsTheOldFileAndLogsTheError() throws {
        let upstream = TestUpstream()
        defer { upstream.stop() }
        let gateway = try PortcullisProcess(config: """
        {"listen": "127.0.0.1:0", "workers": 1,
         "upstreams": {"api": {"targets": ["http://127.0.0.1:\(upstream.port)"]}},
         "routes": [{"path": "/echo/**", "upstream": "api", "public": true}],
         "access_log": {"path": "access.log"}, "log": {"level": "info"}}
        """)
        let dir = gateway.directory.path, log = dir + "/access.log", rotated = dir + "/access.log.1"
        func get(_ n: Int) {
            guard let c = BlockingSocket.connect(port: gateway.gatewayPort) else { return XCTFail("connect") }
            defer { c.close() }
            c.write("GET /echo/\(n) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            XCTAssertEqual(c.readResponse()?.status, 200)
        }
        get(1)
        XCTAssertEqual(waitForLines(log, 1).count, 1)
        try FileManager.default.moveItem(atPath: log, toPath: rotated)
        try FileManager.default.createDirectory(atPath: log, withIntermediateDirectories: false)
        gateway.send(SIGUSR1)
        let failure = try XCTUnwrap(gateway.waitForLog("access log not reopened"))
        XCTAssertNotNil(failure["error"] as? String)
        get(2)
        XCTAssertEqual(waitForLines(rotated, 2).count, 2, "the old descriptor is still in use")
        gateway.send(SIGTERM)
        XCTAssertEqual(gateway.waitForExit(), 0)
    }
}
