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

    /// The run-copying fast path escapes exactly like a byte-by-byte reference, for every byte at the
    /// start, in the middle and at the end of a run, and for the bytes form too.
    func testRunCopyingMatchesAByteByByteReference() {
        func reference(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for b in bytes {
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += Array("\\n".utf8)
                case 0x0D: out += Array("\\r".utf8)
                case 0x09: out += Array("\\t".utf8)
                case 0..<0x20, 0x7F: out += Array(String(format: "\\u%04X", Int(b)).utf8)
                default: out.append(b)
                }
            }
            return out + [0x22]
        }
        for b in UInt8(0)...UInt8(255) {
            for input in [[b], [b, 0x61, 0x62], [0x61, b, 0x62], [0x61, 0x62, b], [b, b]] {
                var out: [UInt8] = []
                input.withUnsafeBufferPointer { JSONText.appendString(utf8: $0, to: &out) }
                XCTAssertEqual(out, reference(input), "byte \(b) in \(input)")
            }
        }
        var empty: [UInt8] = []
        JSONText.appendString("", to: &empty)
        XCTAssertEqual(empty, [0x22, 0x22])
    }
}
