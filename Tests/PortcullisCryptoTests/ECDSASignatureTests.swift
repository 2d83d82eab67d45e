import COpenSSL
import XCTest
@testable import PortcullisCrypto

final class ECDSASignatureTests: XCTestCase {
    func testGroupOrdersMatchOpenSSL() throws {
        for (curve, nid) in [(EllipticCurve.p256, NID_X9_62_prime256v1), (.p384, NID_secp384r1), (.p521, NID_secp521r1)] {
            let group = try XCTUnwrap(EC_GROUP_new_by_curve_name(nid))
            defer { EC_GROUP_free(group) }
            var bytes = [UInt8](repeating: 0, count: curve.coordinateLength)
            XCTAssertEqual(BN_bn2binpad(EC_GROUP_get0_order(group), &bytes, Int32(bytes.count)), Int32(bytes.count))
            XCTAssertEqual(bytes, curve.order, curve.rawValue)
        }
    }

    func der(_ raw: [UInt8], _ curve: EllipticCurve) -> [UInt8]? {
        raw.withUnsafeBytes { ECDSASignature.withDER(raw: $0, curve: curve) { Array($0) } }
    }

    func testEncodesMinimalDERWithSignPadding() {
        var raw = [UInt8](repeating: 0, count: 64)
        raw[31] = 0x01          // r = 1
        raw[32] = 0x80          // s has its top bit set: needs a 0x00 pad
        raw[63] = 0x02
        let expected: [UInt8] = [0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, 0x80] + [UInt8](repeating: 0, count: 30) + [0x02]
        XCTAssertEqual(der(raw, .p256), expected)
    }

    func testP521UsesLongFormLength() throws {
        var raw = [UInt8](repeating: 0x00, count: 132)
        raw[1] = 0xff; raw[67] = 0xff   // 65-byte r and s with top bit set
        let encoded = try XCTUnwrap(der(raw, .p521))
        XCTAssertEqual(Array(encoded.prefix(3)), [0x30, 0x81, UInt8(encoded.count - 3)])
        XCTAssertEqual(encoded.count, 3 + 2 * (2 + 66))
    }

    func testRejectsZeroAndOutOfRangeComponents() {
        let n = EllipticCurve.p256.order
        let one = [UInt8](repeating: 0, count: 31) + [1]
        let zero = [UInt8](repeating: 0, count: 32)
        var nMinusOne = n
        nMinusOne[31] -= 1
        XCTAssertNil(der(zero + one, .p256))
        XCTAssertNil(der(one + zero, .p256))
        XCTAssertNil(der(n + one, .p256))
        XCTAssertNil(der(one + n, .p256))
        XCTAssertNil(der([UInt8](repeating: 0xff, count: 64), .p256))
        XCTAssertNotNil(der(nMinusOne + one, .p256))
    }

    func testRejectsWrongLengthIncludingDER() {
        XCTAssertNil(der([UInt8](repeating: 1, count: 63), .p256))
        XCTAssertNil(der([UInt8](repeating: 1, count: 65), .p256))
        XCTAssertNil(der([UInt8](repeating: 1, count: 64), .p384))
        let derShaped: [UInt8] = [0x30, 0x44, 0x02, 0x20] + [UInt8](repeating: 1, count: 32) + [0x02, 0x20] + [UInt8](repeating: 1, count: 32)
        XCTAssertNil(der(derShaped, .p256))
    }
}
