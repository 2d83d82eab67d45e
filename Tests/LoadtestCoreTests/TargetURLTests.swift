import XCTest
@testable import LoadtestCore

final class TargetURLTests: XCTestCase {
    func testParsesHostPortAndPath() throws {
        XCTAssertEqual(try TargetURL.parse("http://127.0.0.1:9103/v1/port-calls/42"),
                       TargetURL(host: "127.0.0.1", port: 9103, path: "/v1/port-calls/42"))
        XCTAssertEqual(try TargetURL.parse("http://example.test"), TargetURL(host: "example.test", port: 80, path: "/"))
        XCTAssertEqual(try TargetURL.parse("http://h?x=1").path, "/?x=1")
        XCTAssertEqual(try TargetURL.parse("http://[::1]:8080/a"), TargetURL(host: "::1", port: 8080, path: "/a"))
    }

    func testHostHeader() throws {
        XCTAssertEqual(try TargetURL.parse("http://h:80/").hostHeader, "h")
        XCTAssertEqual(try TargetURL.parse("http://h:81/").hostHeader, "h:81")
        XCTAssertEqual(try TargetURL.parse("http://[::1]:81/").hostHeader, "[::1]:81")
    }

    func testScenarioPathsAreAppendedToTheURLPath() throws {
        XCTAssertEqual(try TargetURL.parse("http://h").requestTarget(forScenarioPath: "/v1/status"), "/v1/status")
        XCTAssertEqual(try TargetURL.parse("http://h/api/").requestTarget(forScenarioPath: "/v1/status"), "/api/v1/status")
    }

    func testHTTPSDefaultsToPort443() throws {
        let url = try TargetURL.parse("https://h/v1")
        XCTAssertEqual(url, TargetURL(host: "h", port: 443, path: "/v1", isHTTPS: true))
        XCTAssertEqual(url.hostHeader, "h")
        XCTAssertEqual(url.description, "https://h/v1")
        XCTAssertEqual(try TargetURL.parse("https://h:8443").hostHeader, "h:8443")
    }

    func testRejectsOtherSchemes() {
        XCTAssertThrowsError(try TargetURL.parse("ftp://h")) {
            XCTAssertEqual(($0 as? ArgumentsError)?.code, .unsupportedScheme)
        }
    }

    func testRejectsMalformedURLs() {
        for text in ["h:80", "http://", "http://:80", "http://h:0", "http://h:65536", "http://h:x",
                     "http://u@h/", "http://h/a#frag", "http://h/a b", "http://[::1"] {
            XCTAssertThrowsError(try TargetURL.parse(text), text) {
                XCTAssertEqual(($0 as? ArgumentsError)?.code, .invalidURL, text)
            }
        }
    }
}
