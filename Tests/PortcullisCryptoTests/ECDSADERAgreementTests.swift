import COpenSSL
import XCTest
@testable import PortcullisCrypto

/// The hand-written `r‖s` → DER encoder must agree byte for byte with OpenSSL's own
/// `i2d_ECDSA_SIG` (what OpenSSL re-encodes and compares against when it verifies).
final class ECDSADERAgreementTests: XCTestCase {
    /// OpenSSL's DER for the same `r` and `s`.
    private func openSSLDER(_ raw: [UInt8], width: Int) throws -> [UInt8] {
        let sig = try XCTUnwrap(ECDSA_SIG_new())
        defer { ECDSA_SIG_free(sig) }
        let r = BN_bin2bn(raw, Int32(width), nil)
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + width, Int32(width), nil) }
        XCTAssertEqual(ECDSA_SIG_set0(sig, r, s), 1)
        var out: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_ECDSA_SIG(sig, &out)
        XCTAssertGreaterThan(length, 0)
        defer { CRYPTO_free(out, #file, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }

    /// A random component below the order, shaped by `pattern`: 0 random, 1 leading zero bytes,
    /// 2 high bit set, 3 a single nonzero low byte.
    private func component(_ curve: EllipticCurve, pattern: Int) -> [UInt8] {
        let width = curve.coordinateLength
        var bytes = SecureRandom.bytes(width)
        switch pattern {
        case 1: for k in 0..<min(width - 1, Int(bytes[0] % 5) + 1) { bytes[k] = 0 }
        case 2:
            // The most significant nonzero byte has its high bit set (DER needs a 0x00 pad).
            if curve.order[0] > 0x80 {
                bytes[0] = min(bytes[0] | 0x80, curve.order[0] - 1)
            } else {
                bytes[0] = 0
                bytes[1] |= 0x80
            }
        case 3: bytes = [UInt8](repeating: 0, count: width - 1) + [bytes[0] | 1]
        default: break
        }
        if !bytes.withUnsafeBytes({ ECDSASignature.isInRange($0, order: curve.order) }) { bytes[0] = 0 }
        return bytes
    }

    func testHandWrittenDERMatchesOpenSSLForRandomComponents() throws {
        for curve in EllipticCurve.allCases {
            for round in 0..<200 {
                let raw = component(curve, pattern: round % 4) + component(curve, pattern: (round / 4) % 4)
                let ours = try XCTUnwrap(raw.withUnsafeBytes { ECDSASignature.withDER(raw: $0, curve: curve) { Array($0) } },
                                         "\(curve) round \(round)")
                XCTAssertEqual(ours, try openSSLDER(raw, width: curve.coordinateLength), "\(curve) round \(round)")
            }
        }
    }

    func testDERDecodesBackToTheSameRawSignature() throws {
        for curve in EllipticCurve.allCases {
            for round in 0..<50 {
                let raw = component(curve, pattern: round % 4) + component(curve, pattern: (round / 4) % 4)
                let der = try openSSLDER(raw, width: curve.coordinateLength)
                XCTAssertEqual(ECDSASignature.raw(fromDER: der, curve: curve), raw, "\(curve) round \(round)")
                XCTAssertEqual(ECDSASignature.der(fromRaw: raw, curve: curve), der, "\(curve) round \(round)")
            }
        }
    }

    func testRejectsZeroComponentsBothWays() {
        XCTAssertNil(ECDSASignature.der(fromRaw: [UInt8](repeating: 0, count: 64), curve: .p256), "r = s = 0 (psychic signature)")
        XCTAssertNil(ECDSASignature.raw(fromDER: [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00], curve: .p256))
    }

    func testRejectsWrongRawLength() {
        XCTAssertNil(ECDSASignature.der(fromRaw: [UInt8](repeating: 1, count: 63), curve: .p256))
    }

    func testDERDecodingRejectsTrailingBytesNegativeOversizedAndWrongTag() {
        let valid: [UInt8] = [0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07]
        XCTAssertNotNil(ECDSASignature.raw(fromDER: valid, curve: .p256))
        XCTAssertNil(ECDSASignature.raw(fromDER: valid + [0], curve: .p256), "trailing byte")
        XCTAssertNil(ECDSASignature.raw(fromDER: [0x30, 0x06, 0x02, 0x01, 0x85, 0x02, 0x01, 0x07], curve: .p256), "negative r")
        let big = [0x30, 0x25, 0x02, 0x21, 0x01] + [UInt8](repeating: 0xff, count: 32) + [0x02, 0x00]
        XCTAssertNil(ECDSASignature.raw(fromDER: big, curve: .p256), "r wider than the curve")
        XCTAssertNil(ECDSASignature.raw(fromDER: [0x31, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07], curve: .p256), "SET, not SEQUENCE")
        let atOrder = [0x30, 0x26, 0x02, 0x21, 0x00] + EllipticCurve.p256.order + [0x02, 0x01, 0x01]
        XCTAssertNil(ECDSASignature.raw(fromDER: atOrder, curve: .p256), "r = n")
    }
}
