import XCTest
import PortcullisCrypto

/// Every algorithm against vectors signed by python `cryptography` (GeneratedCryptoVectors.swift).
final class SignatureAlgorithmTests: XCTestCase {
    let message = Array(cryptoVectorMessage.utf8)

    func key(_ v: CryptoVector) throws -> PublicKey {
        switch v.keyType {
        case "rsa": return try PublicKey(rsaModulus: hexBytes(v.a), exponent: hexBytes(v.b))
        case "Ed25519": return try PublicKey(ed25519: hexBytes(v.a))
        default: return try PublicKey(curve: EllipticCurve(rawValue: v.keyType)!, x: hexBytes(v.a), y: hexBytes(v.b))
        }
    }

    func testEveryAlgorithmVerifiesFromJWKMaterial() throws {
        XCTAssertEqual(Set(cryptoVectors.map(\.algorithm)), Set(SignatureAlgorithm.allCases))
        for v in cryptoVectors {
            let k = try key(v)
            let sig = hexBytes(v.signature)
            XCTAssertTrue(k.verify(v.algorithm, signingInput: message, signature: sig), "\(v.algorithm)")
            XCTAssertFalse(k.verify(v.algorithm, signingInput: flipped(message, at: 7), signature: sig), "\(v.algorithm) message")
            XCTAssertFalse(k.verify(v.algorithm, signingInput: message, signature: flipped(sig, at: 1)), "\(v.algorithm) sig")
            XCTAssertFalse(k.verify(v.algorithm, signingInput: message, signature: Array(sig.dropLast())), "\(v.algorithm) short")
            XCTAssertFalse(k.verify(v.algorithm, signingInput: message, signature: []), "\(v.algorithm) empty")
        }
    }

    func testEveryAlgorithmVerifiesFromPEM() throws {
        for v in cryptoVectors {
            let k = try PublicKey(pem: v.pem)
            XCTAssertEqual(k.kind, try key(v).kind)
            XCTAssertTrue(k.verify(v.algorithm, signingInput: message, signature: hexBytes(v.signature)), "\(v.algorithm)")
        }
    }

    /// A signature valid under one algorithm never verifies under another with the same key
    /// (RS↔PS padding, hash swaps, curve swaps).
    func testSignaturesDoNotCrossVerify() throws {
        for v in cryptoVectors {
            let k = try key(v)
            for other in SignatureAlgorithm.allCases where other != v.algorithm {
                XCTAssertFalse(k.verify(other, signingInput: message, signature: hexBytes(v.signature)), "\(v.algorithm) as \(other)")
            }
        }
    }

    func testKindsAndFit() throws {
        let kinds = try cryptoVectors.map { try key($0).kind }
        XCTAssertTrue(kinds.contains(.rsa(bits: 3072)))
        XCTAssertTrue(kinds.contains(.ec(.p521)))
        XCTAssertTrue(SignatureAlgorithm.es512.fits(.ec(.p521)))
        XCTAssertFalse(SignatureAlgorithm.es512.fits(.ec(.p384)))
        XCTAssertFalse(SignatureAlgorithm.rs256.fits(.ed25519))
        XCTAssertFalse(SignatureAlgorithm.eddsa.fits(.rsa(bits: 2048)))
    }

    func testConcurrentVerificationOnOneKey() throws {
        let vectors = try cryptoVectors.filter { [.rs256, .ps256, .es256, .eddsa].contains($0.algorithm) }.map { (try key($0), $0) }
        let message = self.message
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in 0..<40 {
                let (k, v) = vectors[(worker + i) % vectors.count]
                let good = hexBytes(v.signature)
                let tamper = i % 3 == 0
                let ok = k.verify(v.algorithm, signingInput: message, signature: tamper ? flipped(good, at: 3) : good)
                if ok == tamper { failures.increment() }
            }
        }
        XCTAssertEqual(failures.value, 0)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
