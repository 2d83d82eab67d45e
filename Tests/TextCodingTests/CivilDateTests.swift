import XCTest
import TextCoding

/// The one calendar conversion behind log timestamps and RFC 3339 parsing.
final class CivilDateTests: XCTestCase {
    func testKnownDates() {
        XCTAssertTrue(CivilDate.from(daysSinceEpoch: 0) == (1970, 1, 1))
        XCTAssertTrue(CivilDate.from(daysSinceEpoch: -1) == (1969, 12, 31))
        XCTAssertTrue(CivilDate.from(daysSinceEpoch: 11_016) == (2000, 2, 29))   // a leap day of a century leap year
        XCTAssertTrue(CivilDate.from(daysSinceEpoch: 20_793) == (2026, 12, 6))
        XCTAssertEqual(CivilDate.daysSinceEpoch(year: 2100, month: 3, day: 1) - CivilDate.daysSinceEpoch(year: 2100, month: 2, day: 28), 1,
                       "2100 is not a leap year")
    }

    func testRoundTripOverFourCenturies() {
        for days in stride(from: Int64(-146_097), through: 146_097 * 2, by: 7) {
            let (y, m, d) = CivilDate.from(daysSinceEpoch: days)
            XCTAssertTrue((1...12).contains(m) && (1...31).contains(d))
            XCTAssertEqual(CivilDate.daysSinceEpoch(year: y, month: m, day: d), days)
        }
    }
}
