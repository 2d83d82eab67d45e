import XCTest
import TextCoding

final class JSONTextTests: XCTestCase {
    func testJSONEscapingOfControlCharactersAndDEL() {
        var out: [UInt8] = []
        JSONText.appendString("a\"b\\c\n\u{1}\u{7f}é", to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "\"a\\\"b\\\\c\\n\\u0001\\u007Fé\"")
    }

    func testHostileValueCannotEndTheStringOrTheLine() {
        let literal = JSONText.string("x\",\"admin\":true}\r\n{\"forged\":\"")
        XCTAssertEqual(literal, #""x\",\"admin\":true}\r\n{\"forged\":\"""#)
        XCTAssertFalse(literal.utf8.contains(0x0A))
    }
}
