import XCTest
@testable import Gateway

/// The bounded table behind the DPoP replay cache and the introspection negative cache.
final class ExpiringTableTests: XCTestCase {
    func testHoldsAtMostCapacityAndDropsTheOldestInsertionFirst() {
        var table = ExpiringTable<String>(capacity: 3)
        for (i, key) in ["a", "b", "c", "d"].enumerated() { table.set(key, until: Int64(100 + i)) }
        XCTAssertEqual(table.count, 3)
        XCTAssertNil(table.expiry(of: "a"), "the oldest insertion goes first")
        XCTAssertEqual(table.expiry(of: "d"), 103)
    }

    func testUpdatingAHeldKeyKeepsItsPlaceAndTakesTheNewExpiry() {
        var table = ExpiringTable<String>(capacity: 2)
        table.set("a", until: 1)
        table.set("a", until: 5)
        XCTAssertEqual(table.count, 1)
        XCTAssertEqual(table.expiry(of: "a"), 5)
        table.set("b", until: 2)
        table.remove("a")
        XCTAssertNil(table.expiry(of: "a"))
        XCTAssertEqual(table.count, 1)
    }

    func testAFloodOfKeysStaysBounded() {
        var table = ExpiringTable<Int>(capacity: 100)
        for key in 0..<100_000 { table.set(key, until: 1) }
        XCTAssertEqual(table.count, 100)
        XCTAssertNotNil(table.expiry(of: 99_999))
    }
}
