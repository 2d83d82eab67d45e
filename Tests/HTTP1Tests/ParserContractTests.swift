import XCTest
import HTTP1

/// The parts of the parser contract the gateway's connection flow relies on.
final class ParserContractTests: XCTestCase {
    private func parse(_ parser: inout RequestParser, _ s: String) throws -> (ParseEvent<ParsedRequest>, Int) {
        let bytes = Array(s.utf8)
        return try bytes.withUnsafeBytes { try parser.parse($0) }
    }

    func testIncompleteHeadConsumesNothingAndBodylessRequestEndsRightAfterHead() throws {
        var p = RequestParser()
        let (e1, c1) = try parse(&p, "GET / HTTP/1.1\r\nHo")
        guard case .needMore = e1 else { return XCTFail("expected needMore, got \(e1)") }
        XCTAssertEqual(c1, 0)
        let full = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        let (e2, c2) = try parse(&p, full)
        guard case .head(let req) = e2 else { return XCTFail("expected head") }
        XCTAssertEqual(c2, full.utf8.count)
        XCTAssertEqual(req.head.method, "GET")
        XCTAssertTrue(req.keepAlive)
        let (e3, c3) = try parse(&p, "")
        guard case .end = e3 else { return XCTFail("expected end, got \(e3)") }
        XCTAssertEqual(c3, 0)
    }
}
