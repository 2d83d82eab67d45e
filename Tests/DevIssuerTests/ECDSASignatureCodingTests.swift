import XCTest
import PortcullisCrypto

final class ECDSASignatureCodingTests: XCTestCase {
    func testRoundTripWithHighBitAndLeadingZeros() {
        var raw = [UInt8](repeating: 0, count: 64)
        raw[0] = 0x80          // r needs a 0x00 pad byte in DER
        raw[31] = 0x01
        raw[32] = 0x00; raw[33] = 0x00; raw[34] = 0x7f  // s has leading zeros, stripped in DER
        raw[63] = 0x02
        guard let der = ECDSASignatureCoding.derFromRaw(raw, componentLength: 32) else { return XCTFail("encode") }
        XCTAssertEqual(der[0], 0x30)
        XCTAssertEqual(Array(der[2...4]), [0x02, 0x21, 0x00], "r is 33 bytes with a sign pad")
        XCTAssertEqual(ECDSASignatureCoding.rawFromDER(der, componentLength: 32), raw)
    }

    func testZeroComponentsEncodeAsOneByte() {
        let raw = [UInt8](repeating: 0, count: 64)
        let der = ECDSASignatureCoding.derFromRaw(raw, componentLength: 32)
        XCTAssertEqual(der, [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00])
        XCTAssertEqual(der.flatMap { ECDSASignatureCoding.rawFromDER($0, componentLength: 32) }, raw)
    }

    func testRejectsWrongRawLength() {
        XCTAssertNil(ECDSASignatureCoding.derFromRaw([UInt8](repeating: 1, count: 63), componentLength: 32))
    }

    func testRejectsTrailingBytesAndNegativeAndOversizedIntegers() {
        let valid: [UInt8] = [0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07]
        XCTAssertNotNil(ECDSASignatureCoding.rawFromDER(valid, componentLength: 32))
        XCTAssertNil(ECDSASignatureCoding.rawFromDER(valid + [0], componentLength: 32))
        XCTAssertNil(ECDSASignatureCoding.rawFromDER([0x30, 0x06, 0x02, 0x01, 0x85, 0x02, 0x01, 0x07], componentLength: 32))
        let big = [0x30, 0x25, 0x02, 0x21, 0x01] + [UInt8](repeating: 0xff, count: 32) + [0x02, 0x00]
        XCTAssertNil(ECDSASignatureCoding.rawFromDER(big, componentLength: 32))
        XCTAssertNil(ECDSASignatureCoding.rawFromDER([0x31, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07], componentLength: 32))
    }
}
