import XCTest
@testable import HTTP1

/// Decoders must give the same result however the bytes are split (swift-nio's
/// ByteToMessageDecoderVerifier idea): whole, byte by byte, and split at every offset.
final class IncrementalFeedingTests: XCTestCase {
    static let messages: [String] = [
        "GET /a?b=c HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world",
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Sum: 1\r\n\r\n",
        // Pipelined pairs, including a chunked body followed by another request.
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz"
            + "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nuv",
        "\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" + "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
    ]

    func testByteByByteEqualsWhole() throws {
        for raw in Self.messages {
            let bytes = raw.bytes
            let whole = try parseItems(RequestParser(), [bytes])
            XCTAssertEqual(whole.last, .end, raw.debugDescription)
            let single = try parseItems(RequestParser(), bytes.map { [$0] })
            XCTAssertEqual(single, whole, raw.debugDescription)
        }
    }

    func testSplitAtEveryOffsetEqualsWhole() throws {
        for raw in Self.messages {
            let bytes = raw.bytes
            let whole = try parseItems(RequestParser(), [bytes])
            for cut in 0...bytes.count {
                let split = try parseItems(RequestParser(), [Array(bytes[..<cut]), Array(bytes[cut...])])
                XCTAssertEqual(split, whole, "cut at \(cut) of \(raw.debugDescription)")
            }
        }
    }

    func testSplitAtEveryPairOfOffsetsForChunkedBody() throws {
        let bytes = Self.messages[2].bytes
        let whole = try parseItems(RequestParser(), [bytes])
        for a in 0...bytes.count {
            for b in a...bytes.count {
                let pieces = [Array(bytes[..<a]), Array(bytes[a..<b]), Array(bytes[b...])]
                XCTAssertEqual(try parseItems(RequestParser(), pieces), whole, "cuts \(a), \(b)")
            }
        }
    }

    func testResponsesByteByByteAndAtEveryOffset() throws {
        let raw = "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x\r\nwiki\r\n0\r\nT: 1\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
            + "HTTP/1.1 204 No Content\r\n\r\n"
        let bytes = raw.bytes
        let harness = ResponseHarness(methods: ["POST", "GET", "DELETE"])
        let whole = try parseItems(harness, [bytes])
        XCTAssertEqual(whole.count, 9)
        XCTAssertEqual(try parseItems(harness, bytes.map { [$0] }), whole)
        for cut in 0...bytes.count {
            XCTAssertEqual(try parseItems(harness, [Array(bytes[..<cut]), Array(bytes[cut...])]), whole, "cut \(cut)")
        }
    }

    private func scan(_ scanner: inout HeadScanner, _ bytes: [UInt8]) -> Result<HeadLayout?, HTTPParseError> {
        var result: Result<HeadLayout?, HTTPParseError> = .success(nil)
        bytes.withUnsafeBytes { raw in
            do throws(HTTPParseError) { result = .success(try scanner.scan(raw, limits: HTTPLimits())) } catch {
                result = .failure(error)
            }
        }
        return result
    }

    func testHeadScanResumesWhereItStopped() throws {
        let raw = "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n".bytes
        var scanner = HeadScanner(startLineTooLong: .requestLineTooLong)
        for end in 1..<raw.count {
            let layout = try scan(&scanner, Array(raw[..<end])).get()
            XCTAssertNil(layout, "incomplete at \(end)")
            XCTAssertEqual(scanner.scanned, end, "each call scans only the new bytes")
        }
        let layout = try scan(&scanner, raw).get()
        XCTAssertEqual(layout?.end, raw.count)
        XCTAssertEqual(layout?.fieldCount, 2)
        XCTAssertEqual(scanner.scanned, 0, "reset for the next head")
    }

    func testLargeHeadFedByteByByte() throws {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 4096
        limits.maxHeaderCount = 200
        var raw = "GET / HTTP/1.1\r\nHost: h\r\n"
        for i in 0..<150 { raw += "X-\(i): v\r\n" }
        raw += "\r\n"
        let items = try parseItems(RequestParser(limits: limits), raw.bytes.map { [$0] })
        guard case .head(let request)? = items.first else { return XCTFail("no head") }
        XCTAssertEqual(request.head.headers.count, 151)
    }
}
