import XCTest
@testable import JOSE

/// Member names compare as exact UTF-8 bytes (not Swift's canonical equivalence), in the linear
/// scan, in the large-object index, and for names longer than the 16-byte packed prefix.
final class JSONMemberNameTests: XCTestCase {
    private func object(_ json: String) throws -> JSONObject {
        try XCTUnwrap(JSONParser.parse(Array(json.utf8)).objectValue)
    }

    func testCanonicallyEquivalentNamesAreDistinctMembers() throws {
        // "é" precomposed (U+00E9) and decomposed (e + U+0301): equal under String ==, different bytes.
        let o = try object("{\"caf\u{00E9}\":1,\"cafe\u{0301}\":2}")
        XCTAssertEqual(o.count, 2)
        XCTAssertEqual(o["caf\u{00E9}"], .number(1))
        XCTAssertEqual(o["cafe\u{0301}"], .number(2))
    }

    func testKelvinSignDoesNotReadAsK() throws {
        let o = try object("{\"\u{212A}id\":\"attacker\"}")
        XCTAssertNil(o["Kid"])
        XCTAssertEqual(o["\u{212A}id"], .string("attacker"))
    }

    func testLongNamesDifferingAfterThePackedPrefix() throws {
        let o = try object(#"{"a_very_long_member_name_1":1,"a_very_long_member_name_2":2}"#)
        XCTAssertEqual(o["a_very_long_member_name_1"], .number(1))
        XCTAssertEqual(o["a_very_long_member_name_2"], .number(2))
        XCTAssertNil(o["a_very_long_member_name_3"])
        XCTAssertThrowsError(try JSONParser.parse(Array(#"{"a_very_long_member_name_1":1,"a_very_long_member_name_1":2}"#.utf8)))
    }

    func testIndexedObjectIsByteExact() throws {
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let o = try object("{\(many),\"caf\u{00E9}\":1,\"cafe\u{0301}\":2}")
        XCTAssertEqual(o["caf\u{00E9}"], .number(1))
        XCTAssertEqual(o["cafe\u{0301}"], .number(2))
        XCTAssertEqual(o["k39"], .number(39))
        XCTAssertThrowsError(try JSONParser.parse(Array("{\(many),\"caf\u{00E9}\":1,\"caf\u{00E9}\":2}".utf8)))
    }

    /// A duplicate is found whether it arrives before, at or after the switch from the linear
    /// scan to the name index (`JSONObject.indexThreshold` members), and every member stays
    /// reachable across the switch.
    func testDuplicateAroundTheIndexThreshold() throws {
        let threshold = JSONObject.indexThreshold
        for n in (threshold - 2)...(threshold + 2) {
            let members = (0..<n).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
            let o = try object("{\(members)}")
            for i in 0..<n { XCTAssertEqual(o["k\(i)"], .number(Double(i)), "k\(i) of \(n)") }
            XCTAssertNil(o["k\(n)"])
            for duplicate in [0, n - 1] {
                XCTAssertThrowsError(try JSONParser.parse(Array("{\(members),\"k\(duplicate)\":0}".utf8)), "k\(duplicate) after \(n)") {
                    XCTAssertEqual(($0 as? JSONParseError)?.reason, .duplicateKey)
                }
            }
        }
    }

    func testEscapedNameIsPackedFromItsDecodedBytes() throws {
        let o = try object(#"{"\u0069ss":"x"}"#)
        XCTAssertEqual(o[KnownName.iss], .string("x"))
    }

    func testAlgorithmNamesAreCaseSensitiveAndExact() {
        XCTAssertEqual(JOSEHeader.algorithm(named: "RS256"), .rs256)
        XCTAssertEqual(JOSEHeader.algorithm(named: "EdDSA"), .eddsa)
        XCTAssertNil(JOSEHeader.algorithm(named: "rs256"))
        XCTAssertNil(JOSEHeader.algorithm(named: "RS256 "))
        XCTAssertNil(JOSEHeader.algorithm(named: "RS256RS256RS256RS256"))
    }
}
