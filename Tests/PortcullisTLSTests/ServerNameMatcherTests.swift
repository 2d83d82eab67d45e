import XCTest
@testable import PortcullisTLS

/// SNI selection: exact names, one-label wildcards, the first entry as the default.
final class ServerNameMatcherTests: XCTestCase {
    let matcher = ServerNameMatcher(namesByEntry: [["api.porttask.example"], ["*.orca.example"], ["exact.orca.example"]])

    func testExactNameWinsOverWildcard() {
        XCTAssertEqual(matcher.entry(for: "exact.orca.example"), 2)
        XCTAssertEqual(matcher.entry(for: "API.PortTask.Example."), 0)
    }

    func testWildcardCoversExactlyOneLabel() {
        XCTAssertEqual(matcher.entry(for: "a.orca.example"), 1)
        XCTAssertEqual(matcher.entry(for: "orca.example"), 0)
        XCTAssertEqual(matcher.entry(for: "a.b.orca.example"), 0)
    }

    func testNoNameOrUnknownNameGetsTheDefault() {
        XCTAssertEqual(matcher.entry(for: nil), 0)
        XCTAssertEqual(matcher.entry(for: ""), 0)
        XCTAssertEqual(matcher.entry(for: "unknown.example"), 0)
    }

    func testServerNameSyntax() {
        for ok in ["api.example.com", "*.example.com", "localhost"] { XCTAssertTrue(ServerNameMatcher.isValid(ok), ok) }
        for bad in ["*.com", "*x.example.com", "a.*.example.com", "", "a..b", "-a.example", "a b.example"] {
            XCTAssertFalse(ServerNameMatcher.isValid(bad), bad)
        }
    }
}
