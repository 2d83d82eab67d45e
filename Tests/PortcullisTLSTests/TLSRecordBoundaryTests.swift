import XCTest
@testable import PortcullisTLS

/// `TLSRecordBoundary` finds the end of every record, however the bytes are split (the guard
/// against freeing OpenSSL's buffers in the middle of a record, CVE-2024-4741).
final class TLSRecordBoundaryTests: XCTestCase {
    /// Records of body lengths 0, 1, 300 and 16,640 (a full TLS 1.2 ciphertext record; its length
    /// needs both bytes of the field), and the offsets where each ends.
    private static let (stream, ends): ([UInt8], Set<Int>) = {
        var bytes: [UInt8] = [], ends: Set<Int> = []
        for length in [0, 1, 300, 16_640] {
            bytes += [0x17, 0x03, 0x03, UInt8(length >> 8), UInt8(length & 0xFF)]
            bytes += [UInt8](repeating: 0x17, count: length)   // body bytes that look like headers
            ends.insert(bytes.count)
        }
        return (bytes, ends)
    }()

    func testBoundaryAfterEachWholeRecordOnly() {
        var boundary = TLSRecordBoundary()
        XCTAssertTrue(boundary.isAtBoundary)
        for i in 0..<Self.stream.count {
            Self.stream[i...i].withUnsafeBytes { boundary.advance(over: $0) }
            XCTAssertEqual(boundary.isAtBoundary, Self.ends.contains(i + 1), "after byte \(i + 1)")
        }
    }

    func testSplitAtEveryOffset() {
        for cut in 0...Self.stream.count {
            var boundary = TLSRecordBoundary()
            Self.stream[..<cut].withUnsafeBytes { boundary.advance(over: $0) }
            XCTAssertEqual(boundary.isAtBoundary, cut == 0 || Self.ends.contains(cut), "cut at \(cut)")
            Self.stream[cut...].withUnsafeBytes { boundary.advance(over: $0) }
            XCTAssertTrue(boundary.isAtBoundary, "cut at \(cut), then the rest")
        }
    }
}
