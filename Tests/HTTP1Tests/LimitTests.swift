import XCTest
@testable import HTTP1

/// Limits must fire while the head is still incomplete (slowloris / endless header), after at
/// most limit + 1 bytes, and with the documented code and status.
final class LimitTests: XCTestCase {
    /// Feeds `bytes` one at a time; returns the error and how many bytes had been fed.
    private func feedUntilError(_ parser: RequestParser, _ bytes: [UInt8]) -> (HTTPParseError?, Int) {
        var driver = ParserDriver(parser)
        for (i, b) in bytes.enumerated() {
            do throws(HTTPParseError) { try driver.feed([b]) } catch { return (error, i + 1) }
        }
        return (nil, bytes.count)
    }

    func testRejectsRequestLineTooLongBeforeItEnds() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 32
        let endless = ("GET /" + String(repeating: "a", count: 1000)).bytes
        let (error, fed) = feedUntilError(RequestParser(limits: limits), endless)
        XCTAssertEqual(error?.code, .requestLineTooLong)
        XCTAssertEqual(error?.status, 414)
        XCTAssertLessThanOrEqual(fed, 34)
    }

    func testAcceptsRequestLineExactlyAtLimit() throws {
        var limits = HTTPLimits()
        let line = "GET /" + String(repeating: "a", count: 21) + " HTTP/1.1"
        limits.maxRequestLineBytes = line.utf8.count
        let items = try parseItems(RequestParser(limits: limits), [(line + "\r\nHost: h\r\n\r\n").bytes])
        XCTAssertEqual(items.count, 2)
        limits.maxRequestLineBytes -= 1
        XCTAssertEqual(parseError(RequestParser(limits: limits), (line + "\r\nHost: h\r\n\r\n").bytes)?.code, .requestLineTooLong)
    }

    func testRejectsHeaderSectionTooLargeBeforeItEnds() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 64
        let endless = ("GET / HTTP/1.1\r\nHost: h\r\nX-Long: " + String(repeating: "v", count: 1000)).bytes
        let (error, fed) = feedUntilError(RequestParser(limits: limits), endless)
        XCTAssertEqual(error?.code, .headerSectionTooLarge)
        XCTAssertEqual(error?.status, 431)
        XCTAssertLessThanOrEqual(fed, "GET / HTTP/1.1\r\n".utf8.count + 65)
    }

    func testRejectsTooManyHeaders() {
        var limits = HTTPLimits()
        limits.maxHeaderCount = 3
        let raw = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"
        let error = parseError(RequestParser(limits: limits), raw.bytes)
        XCTAssertEqual(error?.code, .tooManyHeaders)
        XCTAssertEqual(error?.status, 431)
        let three = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n"
        XCTAssertNil(parseError(RequestParser(limits: limits), three.bytes))
    }

    func testRejectsChunkLineTooLong() {
        var limits = HTTPLimits()
        limits.maxChunkLineBytes = 16
        let raw = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;" + String(repeating: "e", count: 100)
        let error = parseError(RequestParser(limits: limits), raw.bytes)
        XCTAssertEqual(error?.code, .chunkLineTooLong)
        XCTAssertEqual(error?.status, 400)
    }

    func testRejectsTrailerSectionTooLarge() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 64
        let raw = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: " + String(repeating: "t", count: 100)
        let error = parseError(RequestParser(limits: limits), raw.bytes)
        XCTAssertEqual(error?.code, .trailerSectionTooLarge)
        XCTAssertEqual(error?.status, 431)
        limits.maxHeaderBytes = 32768
        limits.maxHeaderCount = 2
        let many = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"
        XCTAssertEqual(parseError(RequestParser(limits: limits), many.bytes)?.code, .trailerSectionTooLarge)
    }

    func testDefaultsAreTheDocumentedOnes() {
        let limits = HTTPLimits()
        XCTAssertEqual(limits.maxRequestLineBytes, 8192)
        XCTAssertEqual(limits.maxHeaderBytes, 32768)
        XCTAssertEqual(limits.maxHeaderCount, 100)
        XCTAssertEqual(limits.maxBodyBytes, 1 << 30)
        XCTAssertEqual(limits.maxChunkLineBytes, 4096)
    }
}
