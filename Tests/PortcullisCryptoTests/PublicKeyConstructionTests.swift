import XCTest
import PortcullisCrypto

final class PublicKeyConstructionTests: XCTestCase {
    static let rsa1024PEM = """
    -----BEGIN PUBLIC KEY-----
    MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDNPiR13tn3lqHv6dePUJg9iiNw
    7xFb/LKNbh25hKvmj6rKB02QTQCFSVvK5njS5x5VTp9xAcWGFi59+dUfmC3tbUik
    Wm2JkmHvy79+1kL45mjCyC4dir9f8RU0G4LW9gSudSwTqjKr5cP/Pd6vgTIZEKna
    WPLxLcmLBZIqtODzKQIDAQAB
    -----END PUBLIC KEY-----
    """
    static let secp256k1PEM = """
    -----BEGIN PUBLIC KEY-----
    MFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEykgYlLmLqRqUENBCQPF8y7AvXE/tBIjn
    ZHpsGdhBfV6ony5dhhvJysOQFQwDD+sjay60XlImVuzJwZbZvcTLzQ==
    -----END PUBLIC KEY-----
    """
    let n2048 = b64u(RFCVectorTests.rsaN)
    let x = b64u(RFCVectorTests.ecX), y = b64u(RFCVectorTests.ecY)

    func assertCode(_ code: PublicKeyError.Code, _ body: () throws -> PublicKey, line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { XCTAssertEqual(($0 as? PublicKeyError)?.code, code, line: line) }
    }

    func testRejectsRSAModulusBelow2048Bits() {
        assertCode(.rsaModulusSize) { try PublicKey(rsaModulus: Array(self.n2048.dropFirst()), exponent: [1, 0, 1]) }
        assertCode(.rsaModulusSize) { try PublicKey(pem: Self.rsa1024PEM) }
    }

    func testLeadingZeroOnModulusIsNotCountedAsBits() throws {
        let key = try PublicKey(rsaModulus: [0] + n2048, exponent: [1, 0, 1])
        XCTAssertEqual(key.kind, .rsa(bits: 2048))
        assertCode(.rsaModulusSize) { try PublicKey(rsaModulus: [0] + Array(self.n2048.dropFirst()), exponent: [1, 0, 1]) }
    }

    func testRejectsBadRSAExponent() {
        assertCode(.rsaExponent) { try PublicKey(rsaModulus: self.n2048, exponent: [1, 0, 0]) }
        assertCode(.rsaExponent) { try PublicKey(rsaModulus: self.n2048, exponent: [1]) }
        assertCode(.rsaExponent) { try PublicKey(rsaModulus: self.n2048, exponent: [UInt8](repeating: 0xff, count: 9)) }
    }

    func testRejectsWrongCoordinateLength() {
        assertCode(.coordinateLength) { try PublicKey(curve: .p256, x: Array(self.x.dropFirst()), y: self.y) }
        assertCode(.coordinateLength) { try PublicKey(curve: .p256, x: [0] + self.x, y: [0] + self.y) }
        assertCode(.coordinateLength) { try PublicKey(curve: .p384, x: self.x, y: self.y) }
    }

    func testRejectsInvalidCurvePoint() {
        assertCode(.pointNotOnCurve) { try PublicKey(curve: .p256, x: self.x, y: flipped(self.y, at: -1)) }
        assertCode(.pointNotOnCurve) { try PublicKey(curve: .p256, x: [UInt8](repeating: 0, count: 32), y: [UInt8](repeating: 0, count: 32)) }
    }

    func testRejectsWrongEd25519Length() {
        assertCode(.ed25519KeyLength) { try PublicKey(ed25519: [UInt8](repeating: 1, count: 31)) }
        assertCode(.ed25519KeyLength) { try PublicKey(ed25519: [UInt8](repeating: 1, count: 33)) }
    }

    func testRejectsUnsupportedPEM() {
        assertCode(.unsupportedKey) { try PublicKey(pem: Self.secp256k1PEM) }
        assertCode(.unsupportedKey) { try PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n") }
        assertCode(.unsupportedKey) { try PublicKey(pem: "") }
    }
}
