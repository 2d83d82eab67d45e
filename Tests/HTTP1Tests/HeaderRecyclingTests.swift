import XCTest
@testable import HTTP1

/// A parser refills the arrays of its previous head once the caller has dropped that head, and
/// never changes a head the caller still holds.
final class HeaderRecyclingTests: XCTestCase {
    private func parseHead(_ parser: inout RequestParser, _ text: String) throws -> ParsedRequest {
        let bytes = Array(text.utf8)
        let (event, _) = try bytes.withUnsafeBytes { try parser.parse($0) }
        guard case .head(let request) = event else { XCTFail("no head in \(text)"); throw HTTPParseError(.prematureEnd) }
        let (end, _) = try [UInt8]().withUnsafeBytes { try parser.parse($0) }
        XCTAssertEqual(end, .end)
        return request
    }

    private static func storageAddress(_ headers: HTTPHeaders) -> UnsafeRawPointer? {
        headers.storage.withUnsafeBytes { $0.baseAddress }
    }

    func testHeadStillHeldIsNotOverwrittenByTheNextHead() throws {
        var parser = RequestParser()
        let first = try parseHead(&parser, "GET /a HTTP/1.1\r\nHost: one\r\nX-Token: first-secret\r\n\r\n")
        let second = try parseHead(&parser, "GET /b HTTP/1.1\r\nHost: two\r\nX-Token: second\r\n\r\n")
        XCTAssertEqual(first.head.headers.first("Host"), "one")
        XCTAssertEqual(first.head.headers.first("X-Token"), "first-secret")
        XCTAssertEqual(second.head.headers.first("Host"), "two")
        XCTAssertEqual(second.head.headers.first("X-Token"), "second")
        XCTAssertNotEqual(Self.storageAddress(first.head.headers), Self.storageAddress(second.head.headers))
    }

    func testDroppedHeadsArraysAreRefilledInPlace() throws {
        var parser = RequestParser()
        var address: UnsafeRawPointer?
        var capacity = 0
        do {
            let first = try parseHead(&parser, "GET /a HTTP/1.1\r\nHost: one\r\nAccept: */*\r\n\r\n")
            address = Self.storageAddress(first.head.headers)
            capacity = first.head.headers.storage.capacity
        }
        // Had the first head's storage been freed, this same-sized allocation would likely take its
        // place, and the second head would get another address.
        let blocker = [UInt8](repeating: 1, count: capacity)
        defer { withExtendedLifetime(blocker) {} }
        let second = try parseHead(&parser, "GET /b HTTP/1.1\r\nHost: two\r\nAccept: */*\r\n\r\n")
        XCTAssertEqual(Self.storageAddress(second.head.headers), address, "the dropped head's storage was reused")
        XCTAssertEqual(second.head.headers.first("Host"), "two")
        XCTAssertEqual(second.head.headers.count, 2)
    }

    func testLargeHeadIsNotKept() throws {
        var parser = RequestParser()
        let big = String(repeating: "v", count: HeaderRecycler.maxKeptBytes + 100)
        do {
            let first = try parseHead(&parser, "GET /a HTTP/1.1\r\nHost: one\r\nX-Big: \(big)\r\n\r\n")
            XCTAssertEqual(first.head.headers.first("X-Big"), big)
        }
        let second = try parseHead(&parser, "GET /b HTTP/1.1\r\nHost: two\r\n\r\n")
        XCTAssertEqual(second.head.headers.first("Host"), "two")
        XCTAssertLessThanOrEqual(second.head.headers.storage.capacity, HeaderRecycler.maxKeptBytes,
                                 "the large head's storage was not kept for reuse")
    }

    func testResponseParserResetKeepsRecyclingAndStartsANewMessage() throws {
        var parser = ResponseParser()
        parser.expectResponse(toMethod: "GET")
        let partial = Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab".utf8)
        _ = try partial.withUnsafeBytes { try parser.parse($0) }
        parser.reset()
        parser.expectResponse(toMethod: "GET")
        let next = Array("HTTP/1.1 204 No Content\r\nX-A: b\r\n\r\n".utf8)
        let (event, consumed) = try next.withUnsafeBytes { try parser.parse($0) }
        guard case .head(let response) = event else { return XCTFail("expected a head after reset, got \(event)") }
        XCTAssertEqual(response.head.status, 204)
        XCTAssertEqual(response.head.headers.first("X-A"), "b")
        XCTAssertEqual(consumed, next.count)
    }
}
