import XCTest
@testable import HTTP1

/// One test per smuggling / malformation attack (RFC 9112); each asserts the distinct code and
/// status, over a small table of variants of the same attack.
final class RequestRejectionTests: XCTestCase {
    private func assertRejects(_ variants: [String], _ code: HTTPParseError.Code, status: Int,
                               limits: HTTPLimits = HTTPLimits(), file: StaticString = #filePath, line: UInt = #line) {
        for raw in variants {
            let error = parseError(RequestParser(limits: limits), raw.bytes)
            XCTAssertEqual(error?.code, code, "\(raw.debugDescription)", file: file, line: line)
            XCTAssertEqual(error?.status, status, "\(raw.debugDescription)", file: file, line: line)
        }
    }

    private func head(_ requestLine: String, _ fields: String = "Host: h\r\n") -> String {
        requestLine + "\r\n" + fields + "\r\n"
    }

    /// Found by the h11 differential: framing fields in a chunked body's trailers were accepted (and
    /// discarded); h11 refuses them, and RFC 9110 §6.5.1 does not allow them there.
    func testRejectsFramingFieldsInTrailers() {
        let chunked = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"
        assertRejects([chunked + "Content-Length: 5\r\n\r\n", chunked + "X-A: 1\r\ntransfer-ENCODING: chunked\r\n\r\n",
                       chunked + "content-length: 2\u{FF}\r\n\r\n"], .framingFieldInTrailer, status: 400)
        XCTAssertNil(parseError(RequestParser(), (chunked + "X-Content-Length: 5\r\nChecksum: a\r\n\r\n").bytes),
                     "other trailer fields are still accepted")
    }

    func testRejectsInvalidMethod() {
        assertRejects([head("G@T / HTTP/1.1"), head(" / HTTP/1.1"), head("GE\u{7F}T / HTTP/1.1"), head("GÉT / HTTP/1.1")],
                      .invalidMethod, status: 400)
    }

    func testRejectsMalformedRequestLineSeparators() {
        assertRejects([head("GET  / HTTP/1.1"), head("GET /"), head("GET"), head("GET\t/ HTTP/1.1")],
                      .invalidRequestLine, status: 400)
    }

    func testRejectsForbiddenTargetCharacters() {
        assertRejects([head("GET /a#frag HTTP/1.1"), head("GET /a\u{01} HTTP/1.1"), head("GET /caf\u{E9} HTTP/1.1"),
                       head("GET /%zz HTTP/1.1"), head("GET /%4 HTTP/1.1"), head("GET /a\tb HTTP/1.1")],
                      .invalidRequestTarget, status: 400)
    }

    func testRejectsAbsoluteAndAuthorityForm() {
        assertRejects([head("GET http://evil.example/ HTTP/1.1"), head("CONNECT evil.example:443 HTTP/1.1"),
                       head("GET * HTTP/1.1"), head("GET a/b HTTP/1.1")],
                      .unsupportedTargetForm, status: 400)
    }

    func testRejectsMalformedVersion() {
        assertRejects([head("GET / http/1.1"), head("GET / HTTP/1.1 "), head("GET / HTTP/1.10"), head("GET / HTTP/1"),
                       head("GET / HTTP/x.1"), head("GET / ")],
                      .invalidVersion, status: 400)
    }

    func testRejectsUnsupportedVersion() {
        assertRejects([head("GET / HTTP/2.0"), head("GET / HTTP/1.2"), head("GET / HTTP/0.9")],
                      .unsupportedVersion, status: 505)
    }

    func testRejectsBareLineFeed() {
        assertRejects(["GET / HTTP/1.1\nHost: h\r\n\r\n", "GET / HTTP/1.1\r\nHost: h\n\r\n", "GET / HTTP/1.1\r\nHost: h\r\n\n",
                       "\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"],
                      .bareLineFeed, status: 400)
    }

    func testRejectsInvalidFieldName() {
        assertRejects([head("GET / HTTP/1.1", "Host: h\r\nX(y): 1\r\n"), head("GET / HTTP/1.1", "Host: h\r\n: 1\r\n"),
                       head("GET / HTTP/1.1", "Host: h\r\nX\u{01}: 1\r\n"), head("GET / HTTP/1.1", "Host: h\r\nX-A\rb: 1\r\n")],
                      .invalidFieldName, status: 400)
    }

    func testRejectsFieldLineWithoutColon() {
        assertRejects([head("GET / HTTP/1.1", "Host: h\r\nContent-Length\r\n")], .missingColon, status: 400)
    }

    func testRejectsWhitespaceBeforeColon() {
        assertRejects([head("POST / HTTP/1.1", "Host: h\r\nContent-Length : 5\r\n"),
                       head("POST / HTTP/1.1", "Host: h\r\nTransfer-Encoding\t: chunked\r\n")],
                      .whitespaceBeforeColon, status: 400)
    }

    func testRejectsObsFold() {
        assertRejects([head("GET / HTTP/1.1", "Host: h\r\nX-A: 1\r\n 2\r\n"), head("GET / HTTP/1.1", " Host: h\r\n"),
                       head("GET / HTTP/1.1", "Host: h\r\nX-A: 1\r\n\tContent-Length: 5\r\n")],
                      .obsFold, status: 400)
    }

    func testRejectsControlCharactersInFieldValue() {
        assertRejects([head("GET / HTTP/1.1", "Host: h\r\nX-A: a\u{0}b\r\n"), head("GET / HTTP/1.1", "Host: h\r\nX-A: a\rb\r\n"),
                       head("GET / HTTP/1.1", "Host: h\r\nX-A: a\u{7F}\r\n"), head("GET / HTTP/1.1", "Host: h\r\nX-A: a\r\r\n"),
                       // Long values (word-at-a-time scan) with the control byte deep inside, after a tab.
                       head("GET / HTTP/1.1", "Host: h\r\nX-Long: abcdefgh\tijklmnopq\u{01}rstuvwxyz0123456789\r\n"),
                       head("GET / HTTP/1.1", "Host: h\r\nX-Long: " + String(repeating: "v", count: 37) + "\r" + String(repeating: "w", count: 9) + "\r\n")],
                      .invalidFieldValue, status: 400)
    }

    func testRejectsMissingHostOnHTTP11() {
        assertRejects([head("GET / HTTP/1.1", ""), head("GET / HTTP/1.1", "X-Host: h\r\n")], .missingHost, status: 400)
    }

    func testRejectsMultipleHost() {
        assertRejects([head("GET / HTTP/1.1", "Host: a\r\nHost: b\r\n"), head("GET / HTTP/1.0", "Host: a\r\nhost: a\r\n")],
                      .multipleHost, status: 400)
    }

    func testRejectsMalformedHost() {
        assertRejects([head("GET / HTTP/1.1", "Host: a b\r\n"), head("GET / HTTP/1.1", "Host: a/b\r\n"),
                       head("GET / HTTP/1.1", "Host: a@b\r\n")],
                      .invalidHost, status: 400)
    }

    func testRejectsContentLengthWithTransferEncoding() {
        assertRejects([head("POST / HTTP/1.1", "Host: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"),
                       head("POST / HTTP/1.1", "Host: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n")],
                      .contentLengthWithTransferEncoding, status: 400)
    }

    func testRejectsMalformedContentLength() {
        let values = ["+5", "-1", "5 5", "0x5", "", "5a", "1.0", "99999999999999999999999"]
        assertRejects(values.map { head("POST / HTTP/1.1", "Host: h\r\nContent-Length: \($0)\r\n") },
                      .invalidContentLength, status: 400)
    }

    func testRejectsMultipleContentLength() {
        assertRejects([head("POST / HTTP/1.1", "Host: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n"),
                       head("POST / HTTP/1.1", "Host: h\r\nContent-Length: 5\r\ncontent-length: 6\r\n"),
                       head("POST / HTTP/1.1", "Host: h\r\nContent-Length: 5, 5\r\n"),
                       head("POST / HTTP/1.1", "Host: h\r\nContent-Length: 5,6\r\n")],
                      .multipleContentLength, status: 400)
    }

    func testRejectsTransferEncodingInHTTP10() {
        assertRejects([head("POST / HTTP/1.0", "Transfer-Encoding: chunked\r\n")], .transferEncodingInHTTP10, status: 400)
    }

    func testRejectsChunkedNotFinal() {
        let values = ["chunked, gzip", "identity", "gzip", "chunked, chunked", "", "chunked;q=1"]
        var variants = values.map { head("POST / HTTP/1.1", "Host: h\r\nTransfer-Encoding: \($0)\r\n") }
        variants.append(head("POST / HTTP/1.1", "Host: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"))
        variants.append(head("POST / HTTP/1.1", "Host: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n"))
        assertRejects(variants, .chunkedNotFinal, status: 400)
    }

    func testRejectsUnsupportedTransferCoding() {
        assertRejects([head("POST / HTTP/1.1", "Host: h\r\nTransfer-Encoding: gzip, chunked\r\n"),
                       head("POST / HTTP/1.1", "Host: h\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n")],
                      .unsupportedTransferCoding, status: 501)
    }

    private func chunked(_ body: String) -> String {
        head("POST / HTTP/1.1", "Host: h\r\nTransfer-Encoding: chunked\r\n") + body
    }

    func testRejectsMalformedChunkSize() {
        let sizes = ["0x5", "-5", "+5", " 5", "5 ", "g", "", "5 ;ext", "ffffffffffffffffff"]
        assertRejects(sizes.map { chunked("\($0)\r\nhello\r\n0\r\n\r\n") }, .invalidChunkSize, status: 400)
    }

    func testRejectsControlCharacterInChunkExtension() {
        assertRejects([chunked("5;a\u{01}b\r\nhello\r\n0\r\n\r\n"), chunked("5;a\rb\r\nhello\r\n0\r\n\r\n")],
                      .invalidChunkExtension, status: 400)
    }

    func testRejectsChunkDataWithoutCRLF() {
        assertRejects([chunked("5\r\nhelloX\r\n0\r\n\r\n"), chunked("5\r\nhello\n0\r\n\r\n"), chunked("3\r\nhello\r\n0\r\n\r\n"),
                       chunked("5\r\nhello\rX")],
                      .invalidChunkFraming, status: 400)
    }

    func testRejectsBareLineFeedInChunkedBody() {
        assertRejects([chunked("5\nhello\r\n0\r\n\r\n"), chunked("5\r\nhello\r\n0\n\r\n"), chunked("0\r\nX: 1\n\r\n")],
                      .bareLineFeed, status: 400)
    }

    func testRejectsMalformedTrailer() {
        assertRejects([chunked("0\r\nX-T: 1\r\n folded\r\n\r\n")], .obsFold, status: 400)
        assertRejects([chunked("0\r\nX-T : 1\r\n\r\n")], .whitespaceBeforeColon, status: 400)
        assertRejects([chunked("0\r\nX-T: a\u{0}\r\n\r\n")], .invalidFieldValue, status: 400)
    }

    func testRejectsContentLengthAboveLimit() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 10
        assertRejects([head("POST / HTTP/1.1", "Host: h\r\nContent-Length: 11\r\n")], .bodyTooLarge, status: 413, limits: limits)
    }

    func testRejectsChunkedTotalAboveLimit() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 10
        assertRejects([chunked("6\r\nabcdef\r\n5\r\nabcde\r\n0\r\n\r\n"), chunked("7fffffffffffffff\r\n")],
                      .bodyTooLarge, status: 413, limits: limits)
    }

    func testParserStaysFailedAfterAnError() {
        var driver = ParserDriver(RequestParser())
        XCTAssertThrowsError(try driver.feed(head("GET / HTTP/1.1", "Host: a\r\nHost: b\r\n").bytes))
        do throws(HTTPParseError) {
            try driver.feed(head("GET / HTTP/1.1").bytes)
            XCTFail("a failed parser must not resynchronise on later bytes")
        } catch {
            XCTAssertEqual(error.code, .multipleHost)
        }
    }

    func testErrorDescriptionsAreDistinctAndNeverEmpty() {
        let descriptions = HTTPParseError.Code.allCases.map { HTTPParseError($0).description }
        XCTAssertFalse(descriptions.contains(""))
        XCTAssertEqual(Set(descriptions).count, descriptions.count)
    }
}
