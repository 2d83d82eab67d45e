import XCTest
@testable import TextCoding

final class Base64URLTests: XCTestCase {
    func testRoundTripsEveryLength() {
        for n in 0..<70 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            let encoded = Base64URL.encode(bytes)
            XCTAssertFalse(encoded.contains("=") || encoded.contains("+") || encoded.contains("/"))
            XCTAssertEqual(Base64URL.decode(encoded), bytes, "length \(n)")
        }
    }

    func testKnownValues() {
        XCTAssertEqual(Base64URL.decode("eyJhbGciOiJFUzI1NiJ9").map { String(decoding: $0, as: UTF8.self) }, #"{"alg":"ES256"}"#)
        XCTAssertEqual(Base64URL.encode([0xfb, 0xff]), "-_8")
        XCTAssertEqual(Base64URL.decode("-_8"), [0xfb, 0xff])
        XCTAssertEqual(Base64URL.decode(""), [])
    }

    func testRejectsNonStrictInput() {
        for bad in ["AQ==", "AQ=", "+_8", "/_8", "A", "AQAB ", " AQAB", "AQ\nAB", "AQ.B", "AQ%B"] {
            XCTAssertNil(Base64URL.decode(bad), bad)
        }
    }

    func testRejectsNonCanonicalTrailingBits() {
        XCTAssertEqual(Base64URL.decode("AQ"), [0x01])
        XCTAssertNil(Base64URL.decode("AR"), "unused low 4 bits set")
        XCTAssertEqual(Base64URL.decode("AQE"), [0x01, 0x01])
        XCTAssertNil(Base64URL.decode("AQF"), "unused low 2 bits set")
    }
}
