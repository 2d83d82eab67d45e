import XCTest
@testable import Config

/// Route `name` (the metrics and access-log label) and `access_log`.
final class ObservabilityConfigTests: XCTestCase {
    func testRouteNamesAreTheirLabelsAndUnnamedRoutesUseTheirIndex() throws {
        let config = try load(ConfigFixture.with(routes: #"""
            [{"name": "orders.v1-read_2", "path": "/a/**", "upstream": "api", "public": true},
             {"path": "/b/**", "upstream": "api", "public": true}]
            """#))
        XCTAssertEqual(config.routes.map(\.label), ["orders.v1-read_2", "1"])
    }

    /// Label injection: a name must not carry quotes, spaces or other characters a label or log would need escaped.
    func testRouteNamesOutsideTheAlphabetAreRejected() {
        for bad in [#"a\"b"#, "a b", "é", "a/b", String(repeating: "x", count: 65)] {
            assertConfigError(ConfigFixture.with(routes: #"[{"name": "\#(bad)", "path": "/a", "upstream": "api", "public": true}]"#),
                              "routes[0].name: route name must be 1-64 letters, digits, '.', '-' or '_'")
        }
        assertConfigError(ConfigFixture.with(routes: #"[{"name": "", "path": "/a", "upstream": "api", "public": true}]"#),
                          "routes[0].name: must not be empty")
    }

    func testDuplicateRouteNamesAreRejected() {
        assertConfigError(ConfigFixture.with(routes: #"""
            [{"name": "x", "path": "/a", "upstream": "api", "public": true},
             {"name": "x", "path": "/b", "upstream": "api", "public": true}]
            """#), "routes[1].name: duplicate route name \"x\"")
    }

    func testAccessLogDefaultsToStdoutAndResolvesFilesAgainstTheConfigDirectory() throws {
        XCTAssertEqual(try load(ConfigFixture.minimal()).accessLog, AccessLogSettings(enabled: true, path: "-"))
        let dir = NSTemporaryDirectory()
        let config = try load(ConfigFixture.minimal(#""access_log": {"enabled": false, "path": "access.log"}"#), baseDirectory: dir)
        XCTAssertFalse(config.accessLog.enabled)
        XCTAssertEqual(config.accessLog.path, (dir.hasSuffix("/") ? dir : dir + "/") + "access.log")
    }

    func testAccessLogPathsThatCannotWorkAreRejected() {
        assertConfigError(ConfigFixture.minimal(#""access_log": {"path": ""}"#), "access_log.path: must not be empty")
        assertConfigError(ConfigFixture.minimal(#""access_log": {"path": "/nonexistent-dir/access.log"}"#),
                          "access_log.path: directory of /nonexistent-dir/access.log does not exist")
        assertConfigError(ConfigFixture.minimal(#""access_log": {"format": "json"}"#), "access_log.format: unknown key")
    }
}
