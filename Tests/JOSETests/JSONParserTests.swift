import XCTest
@testable import JOSE

final class JSONParserTests: XCTestCase {
    func parse(_ s: String, depth: Int = 16) throws -> JSONValue { try JSONParser.parse(Array(s.utf8), maxDepth: depth) }
    func reason(_ s: String, depth: Int = 16) -> JSONParseError.Reason? {
        do { _ = try parse(s, depth: depth); return nil } catch { return (error as? JSONParseError)?.reason }
    }

    func testParsesAllValueKinds() throws {
        let v = try parse(#" {"s":"x","n":-1.5e2,"i":1795000000,"t":true,"f":false,"z":null,"a":[1,"b",[]],"o":{}} "#)
        XCTAssertEqual(v["s"], .string("x"))
        XCTAssertEqual(v["n"], .number(-150))
        XCTAssertEqual(v["i"], .number(1_795_000_000))
        XCTAssertEqual(v["t"], .bool(true))
        XCTAssertEqual(v["f"], .bool(false))
        XCTAssertEqual(v["z"], .null)
        XCTAssertEqual(v["a"], .array([.number(1), .string("b"), .array([])]))
        XCTAssertEqual(v["o"], .object(JSONObject()))
        XCTAssertNil(v["missing"])
    }

    func testNumbers() throws {
        XCTAssertEqual(try parse("0"), .number(0))
        XCTAssertEqual(try parse("-0.25"), .number(-0.25))
        XCTAssertEqual(try parse("1E3"), .number(1000))
        XCTAssertEqual(reason("1e400"), .invalidNumber, "overflow to infinity")
        XCTAssertEqual(reason("01"), .invalidNumber)
        XCTAssertEqual(try parse("9007199254740993"), .number(9007199254740992), "long integers go through the slow path")
        for bad in ["01", "-", "1.", ".5", "+1", "1e", "0x10", "NaN", "Infinity", "1e400"] {
            XCTAssertNotNil(reason(bad), bad)
        }
    }

    func testStringEscapesAndUnicode() throws {
        XCTAssertEqual(try parse(#""a\"b\\c\/d\b\f\n\r\t""#), .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        XCTAssertEqual(try parse(#""\u00e9\u20AC\ud83d\ude00""#), .string("é€😀"))
        XCTAssertEqual(try parse("\"h\u{e9}llo\""), .string("héllo"))
    }

    func testRejectsInvalidStrings() {
        XCTAssertEqual(reason(#""\ud83d""#), .invalidString, "lone high surrogate")
        XCTAssertEqual(reason(#""\ude00""#), .invalidString, "lone low surrogate")
        XCTAssertEqual(reason(#""\ud83d\u0041""#), .invalidString, "high surrogate + non-low")
        XCTAssertEqual(reason(#""\x""#), .invalidString)
        XCTAssertEqual(reason(#""\u12G4""#), .invalidString)
        XCTAssertEqual(reason("\"a\nb\""), .invalidString, "raw control character")
        XCTAssertEqual(reason("\"abc"), .invalidString, "unterminated")
    }

    func testRejectsInvalidUTF8() throws {
        for bytes: [UInt8] in [[0x22, 0xc0, 0xaf, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22], [0x22, 0xff, 0x22], [0x22, 0xe2, 0x82, 0x22]] {
            XCTAssertThrowsError(try JSONParser.parse(bytes)) { XCTAssertEqual(($0 as? JSONParseError)?.reason, .invalidString) }
        }
    }

    func testRejectsDuplicateKeys() {
        XCTAssertEqual(reason(#"{"iss":"a","iss":"b"}"#), .duplicateKey)
        XCTAssertEqual(reason(#"{"iss":"a","i\u0073s":"b"}"#), .duplicateKey, "escaped spelling is the same name")
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        XCTAssertNil(reason("{\(many)}"))
        XCTAssertEqual(reason("{\(many),\"k7\":1}"), .duplicateKey, "indexed path past the linear threshold")
    }

    func testLargeObjectLookup() throws {
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let v = try parse("{\(many)}")
        XCTAssertEqual(v["k33"], .number(33))
        XCTAssertEqual(v.objectValue?.count, 40)
        XCTAssertEqual(v.objectValue?.names.first, "k0")
    }

    func testDepthLimit() {
        XCTAssertNil(reason(String(repeating: "[", count: 16) + String(repeating: "]", count: 16)))
        XCTAssertEqual(reason(String(repeating: "[", count: 17) + String(repeating: "]", count: 17)), .depthExceeded)
        XCTAssertEqual(reason(String(repeating: "[", count: 100_000)), .depthExceeded, "no stack exhaustion")
        XCTAssertEqual(reason(#"{"a":{"b":1}}"#, depth: 1), .depthExceeded)
    }

    func testRejectsSyntaxErrors() {
        for bad in ["", " ", "{", "}", "[1,]", "{\"a\":1,}", "{'a':1}", "{a:1}", "[1 2]", "{\"a\" 1}", "tru", "nul", "// c\n1", "[1]x", "1 2"] {
            XCTAssertNotNil(reason(bad), bad)
        }
        XCTAssertEqual(reason("[1] ]"), .trailingData)
    }
}

final class JSONSerializationTests: XCTestCase {
    func testSerializedValueParsesBackEqual() throws {
        let text = #"{"a":"\u00e9\"\\\n\u007f","b":[1,-2.5e3,1e300,9007199254740993,true,null,{}],"c":{"d":[]}}"#
        let value = try JSONParser.parse(Array(text.utf8))
        XCTAssertEqual(try JSONParser.parse(value.serialized()), value)
        XCTAssertEqual(String(decoding: try JSONParser.parse(Array(#"{"k":[1,0.5]}"#.utf8)).serialized(), as: UTF8.self),
                       #"{"k":[1,0.5]}"#)
    }
}
