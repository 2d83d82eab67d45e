import XCTest
import Dispatch
import PortcullisCrypto

final class PrimitivesTests: XCTestCase {
    /// RFC 4231 test case 2.
    func testHMACMatchesRFC4231() {
        let key = Array("Jefe".utf8), message = Array("what do ya want for nothing?".utf8)
        let expected: [HashFunction: String] = [
            .sha256: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            .sha384: "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
            .sha512: "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        ]
        for (hash, hex) in expected {
            let tag = key.withUnsafeBytes { k in message.withUnsafeBytes { HMAC.authenticationCode(hash, key: k, message: $0) } }
            XCTAssertEqual(tag, hexBytes(hex))
            let valid = { (t: [UInt8]) in
                t.withUnsafeBytes { t in key.withUnsafeBytes { k in message.withUnsafeBytes { HMAC.isValid(t, hash: hash, key: k, message: $0) } } }
            }
            XCTAssertTrue(valid(hexBytes(hex)))
            XCTAssertFalse(valid(flipped(hexBytes(hex), at: -1)))
            XCTAssertFalse(valid(Array(hexBytes(hex).prefix(16))), "truncated tags are not accepted")
        }
    }

    func testSHA256Digest() {
        let d = SHA256Digest(hashing: Array("abc".utf8))
        XCTAssertEqual(d.bytes, hexBytes("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        XCTAssertEqual(d, SHA256Digest(hashing: Array("abc".utf8)))
        XCTAssertNotEqual(d, SHA256Digest(hashing: Array("abd".utf8)))
        XCTAssertEqual(SHA256Digest(hashing: []).bytes, hexBytes("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        XCTAssertEqual(Set([d, SHA256Digest(hashing: Array("abc".utf8))]).count, 1)
    }

    func testSHA256DigestWithReusedContextsAcrossThreads() {
        // Pooled contexts are reset between uses: every thread, every round, the same answers.
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<200 {
                XCTAssertEqual(SHA256Digest(hashing: long).bytes, hexBytes("41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"))
                XCTAssertEqual(SHA256Digest(hashing: Array("abc".utf8)).bytes, hexBytes("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
            }
        }
    }

    func testConstantTimeEquals() {
        XCTAssertTrue(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(ConstantTime.equals([1, 2, 3], [1, 2]))
        XCTAssertTrue(ConstantTime.equals([], []))
    }

    func testSecretsEqualIsExactWhateverTheLengths() {
        XCTAssertTrue(ConstantTime.secretsEqual(Array("abc".utf8), Array("abc".utf8)))
        XCTAssertFalse(ConstantTime.secretsEqual(Array("abc".utf8), Array("abd".utf8)))
        XCTAssertFalse(ConstantTime.secretsEqual(Array("abc".utf8), Array("abcd".utf8)), "a prefix is not equal")
        XCTAssertFalse(ConstantTime.secretsEqual([], Array("a".utf8)))
        XCTAssertTrue(ConstantTime.secretsEqual([], []))
    }

    func testSecureRandomBytes() {
        let a = SecureRandom.bytes(32), b = SecureRandom.bytes(32)
        XCTAssertEqual(a.count, 32)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(SecureRandom.bytes(0), [])
    }
}
