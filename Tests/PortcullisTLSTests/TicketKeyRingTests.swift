import XCTest
@testable import PortcullisTLS

/// Session ticket keys: a new key each period, the previous one still accepted (and its tickets
/// renewed), nothing older.
final class TicketKeyRingTests: XCTestCase {
    private var counter: UInt8 = 0
    private func ring() -> TicketKeyRing {
        TicketKeyRing(rotationSeconds: 100) { [self] buffer in
            counter &+= 1
            return [UInt8](repeating: counter, count: buffer.count)
        }
    }

    func testRotatesEachPeriodAndAcceptsThePreviousKey() {
        let ring = ring()
        let first = ring.encryptionKey(now: 0)
        XCTAssertEqual(ring.encryptionKey(now: 99).name, first.name, "same key within the period")
        let second = ring.encryptionKey(now: 100)
        XCTAssertNotEqual(second.name, first.name, "a new key after the period")
        let old = first.name.withUnsafeBytes { ring.decryptionKey(named: $0, now: 150) }
        XCTAssertEqual(old?.key.name, first.name)
        XCTAssertEqual(old?.isNewest, false, "a ticket under the previous key is renewed")
        XCTAssertEqual(second.name.withUnsafeBytes { ring.decryptionKey(named: $0, now: 150) }?.isNewest, true)
    }

    func testExpiredAndUnknownKeysAreRefused() {
        let ring = ring()
        let first = ring.encryptionKey(now: 0)
        XCTAssertNil(first.name.withUnsafeBytes { ring.decryptionKey(named: $0, now: 200) }, "older than two periods")
        _ = ring.encryptionKey(now: 100)
        _ = ring.encryptionKey(now: 200)
        XCTAssertNil(first.name.withUnsafeBytes { ring.decryptionKey(named: $0, now: 150) }, "dropped after two rotations")
        let unknown = [UInt8](repeating: 0xEE, count: 16)
        XCTAssertNil(unknown.withUnsafeBytes { ring.decryptionKey(named: $0, now: 150) })
    }
}
