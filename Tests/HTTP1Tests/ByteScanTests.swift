import XCTest
@testable import HTTP1

/// The word-at-a-time scans must agree with the obvious byte loop on every input shape.
final class ByteScanTests: XCTestCase {
    /// Deterministic xorshift generator so failures reproduce.
    private struct XorShift {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    private static let interesting: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xFF]

    func testFirstIndexAndControlMatchByteLoop() {
        var rng = XorShift()
        for _ in 0..<3000 {
            let count = Int(rng.next() % 40)
            let bytes = (0..<count).map { _ -> UInt8 in
                // Mostly plain letters, sometimes an interesting byte, so matches land at every offset.
                rng.next() % 5 == 0 ? Self.interesting[Int(rng.next() % UInt64(Self.interesting.count))] : 0x61
            }
            let from = count == 0 ? 0 : Int(rng.next() % UInt64(count + 1))
            bytes.withUnsafeBytes { raw in
                let naiveLF = (from..<count).first { raw[$0] == 0x0A }
                XCTAssertEqual(ByteScan.firstIndex(of: 0x0A, in: raw, from: from, to: count), naiveLF, "\(bytes) from \(from)")
                let naiveCtl = (from..<count).first { raw[$0] < 0x20 || raw[$0] == 0x7F }
                XCTAssertEqual(ByteScan.firstControl(in: raw, from: from, to: count), naiveCtl, "\(bytes) from \(from)")
                let naiveValue = (from..<count).allSatisfy { ASCII.isFieldValueChar(raw[$0]) }
                XCTAssertEqual(ByteScan.isFieldValue(raw, from: from, to: count), naiveValue, "\(bytes) from \(from)")
            }
        }
    }

    func testHasHighBitMatchesByteLoop() {
        var rng = XorShift()
        for _ in 0..<3000 {
            let count = Int(rng.next() % 40)
            let bytes = (0..<count).map { _ in rng.next() % 9 == 0 ? Self.interesting[Int(rng.next() % UInt64(Self.interesting.count))] : 0x61 }
            let from = Int(rng.next() % UInt64(count + 1))
            bytes.withUnsafeBytes { raw in
                XCTAssertEqual(ByteScan.hasHighBit(raw, from: from, to: count), bytes[from...].contains { $0 >= 0x80 }, "\(bytes) from \(from)")
            }
        }
    }

    func testTokenBitmapIsExactlyTheRFC9110TcharSet() {
        let tchar = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for b in 0...255 {
            XCTAssertEqual(ASCII.isTokenChar(UInt8(b)), tchar.contains(UInt8(b)), "byte \(b)")
        }
    }

    func testControlAfterHighBytesInSameWord() {
        let bytes: [UInt8] = [0x80, 0xFF, 0x80, 0x00, 0x41, 0x41, 0x41, 0x41, 0x41]
        bytes.withUnsafeBytes { raw in
            XCTAssertEqual(ByteScan.firstControl(in: raw, from: 0, to: raw.count), 3)
            XCTAssertFalse(ByteScan.isFieldValue(raw, from: 0, to: raw.count))
            XCTAssertTrue(ByteScan.isFieldValue(raw, from: 4, to: raw.count))
        }
    }
}
