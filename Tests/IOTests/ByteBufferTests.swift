import XCTest
@testable import IO

final class ByteBufferTests: XCTestCase {
    func testCompactsBeforeGrowing() {
        var b = ByteBuffer(capacity: 8)
        b.write([1, 2, 3, 4, 5, 6])
        b.moveReaderIndex(by: 4)
        XCTAssertTrue(b.reserveWritable(minimum: 6, limit: 8))
        XCTAssertEqual(b.capacity, 8, "compaction must make room without growing")
        b.withReadableBytes { XCTAssertEqual(Array($0), [5, 6]) }
    }

    func testGrowsUpToTheLimitOnly() {
        var b = ByteBuffer(capacity: 4)
        b.write([1, 2, 3, 4])
        XCTAssertTrue(b.reserveWritable(minimum: 4, limit: 16))
        XCTAssertGreaterThanOrEqual(b.writableBytes, 4)
        var full = ByteBuffer(capacity: 4)
        full.write([1, 2, 3, 4])
        XCTAssertFalse(full.reserveWritable(minimum: 1, limit: 4), "a full buffer at its limit reports no room")
    }

    func testConsumingEverythingResetsIndices() {
        var b = ByteBuffer(capacity: 4)
        b.write([9, 9])
        b.moveReaderIndex(by: 2)
        XCTAssertTrue(b.isEmpty)
        XCTAssertEqual(b.writableBytes, 4)
    }
}

final class SocketAddressTests: XCTestCase {
    func testParsesIPv4IPv6AndRejectsGarbage() {
        XCTAssertEqual(SocketAddress(parsing: "127.0.0.1:8080")?.port, 8080)
        XCTAssertEqual(SocketAddress(parsing: "[::1]:9")?.description, "[::1]:9")
        XCTAssertNil(SocketAddress(parsing: "127.0.0.1"))
        XCTAssertNil(SocketAddress(parsing: "127.0.0.1:99999"))
        XCTAssertNil(SocketAddress(parsing: ":80"))
    }
}
