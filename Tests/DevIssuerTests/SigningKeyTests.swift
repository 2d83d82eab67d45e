import Foundation
import XCTest
import PortcullisCrypto

final class SigningKeyTests: XCTestCase {
    private let message = Array("header.payload".utf8)

    func testRS256SignsAndVerifies() throws {
        let key = try SigningKey.generate(.rsa)
        let signature = try key.sign(alg: .rs256, message: message)
        XCTAssertEqual(signature.count, 256)
        XCTAssertTrue(key.verify(alg: .rs256, message: message, signature: signature))
        XCTAssertFalse(key.verify(alg: .rs256, message: message + [0], signature: signature))
    }

    func testES256SignatureIsRawRS64Bytes() throws {
        let key = try SigningKey.generate(.p256)
        for _ in 0..<8 {
            let signature = try key.sign(alg: .es256, message: message)
            XCTAssertEqual(signature.count, 64, "JOSE ES256 signatures are r||s, 32+32 bytes")
            XCTAssertTrue(key.verify(alg: .es256, message: message, signature: signature))
        }
        var tampered = try key.sign(alg: .es256, message: message)
        tampered[10] ^= 0x01
        XCTAssertFalse(key.verify(alg: .es256, message: message, signature: tampered))
    }

    func testEdDSAMatchesRFC8032TestVector1() throws {
        // RFC 8032 §7.1 TEST 1: secret key 9d61b1...7f60, empty message.
        let seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
        let der = hex("302e020100300506032b657004220420") + seed
        let pem = "-----BEGIN PRIVATE KEY-----\n\(Data(der).base64EncodedString())\n-----END PRIVATE KEY-----\n"
        let key = try SigningKey(pkcs8PEM: Array(pem.utf8))
        XCTAssertEqual(key.keyType, .ed25519)
        let signature = try key.sign(alg: .edDSA, message: [])
        XCTAssertEqual(signature, hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"))
        let jwk = key.publicJWK(kid: "k", alg: .edDSA)
        XCTAssertEqual(jwk["kty"], "OKP")
        XCTAssertEqual(jwk["crv"], "Ed25519")
        XCTAssertEqual(jwk["x"], "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
    }

    func testRejectsAlgorithmKeyMismatch() throws {
        let key = try SigningKey.generate(.p256)
        XCTAssertThrowsError(try key.sign(alg: .rs256, message: message)) { error in
            XCTAssertEqual((error as? SigningKeyError)?.code, .algorithmKeyMismatch)
        }
        let rsa = try SigningKey.generate(.rsa)
        let signature = try rsa.sign(alg: .rs256, message: message)
        XCTAssertFalse(key.verify(alg: .rs256, message: message, signature: signature))
    }

    func testPKCS8RoundTripKeepsTheKey() throws {
        for type in SigningKey.KeyType.allCases {
            let key = try SigningKey.generate(type)
            let pem = try key.pkcs8PEM()
            XCTAssertTrue(String(decoding: pem, as: UTF8.self).hasPrefix("-----BEGIN PRIVATE KEY-----"))
            let loaded = try SigningKey(pkcs8PEM: pem)
            XCTAssertEqual(loaded.keyType, type)
            XCTAssertEqual(loaded.jwkThumbprint(), key.jwkThumbprint())
            let signature = try loaded.sign(alg: loaded.defaultAlgorithm, message: message)
            XCTAssertTrue(key.verify(alg: key.defaultAlgorithm, message: message, signature: signature))
        }
    }

    func testRejectsInvalidPEM() {
        XCTAssertThrowsError(try SigningKey(pkcs8PEM: Array("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8))) {
            XCTAssertEqual(($0 as? SigningKeyError)?.code, .invalidPEM)
        }
        XCTAssertThrowsError(try SigningKey(pkcs8PEM: [])) { XCTAssertEqual(($0 as? SigningKeyError)?.code, .invalidPEM) }
    }

    func testRejectsWeakRSAGeneration() {
        XCTAssertThrowsError(try SigningKey.generate(.rsa, rsaBits: 1024)) {
            XCTAssertEqual(($0 as? SigningKeyError)?.code, .weakKey)
        }
    }

    func testPublicJWKHasOnlyPublicMembers() throws {
        let rsa = try SigningKey.generate(.rsa).publicJWK(kid: "r1", alg: .rs256)
        XCTAssertEqual(Set(rsa.keys), ["kty", "n", "e", "use", "alg", "kid"])
        XCTAssertEqual(rsa["e"], "AQAB")
        XCTAssertEqual(rsa["use"], "sig")
        XCTAssertEqual(rsa["alg"], "RS256")
        XCTAssertEqual(rsa["n"]?.count, 342, "2048-bit modulus = 256 bytes = 342 base64url characters")
        let ec = try SigningKey.generate(.p256).publicJWK(kid: "e1", alg: .es256)
        XCTAssertEqual(Set(ec.keys), ["kty", "crv", "x", "y", "use", "alg", "kid"])
        XCTAssertEqual(ec["crv"], "P-256")
        XCTAssertEqual(ec["x"]?.count, 43)
        XCTAssertEqual(ec["y"]?.count, 43)
    }

    func testThumbprintsDifferBetweenKeys() throws {
        let a = try SigningKey.generate(.p256), b = try SigningKey.generate(.p256)
        XCTAssertNotEqual(a.jwkThumbprint(), b.jwkThumbprint())
        XCTAssertEqual(a.jwkThumbprint(), a.jwkThumbprint())
        XCTAssertEqual(a.jwkThumbprint().count, 43)
    }
}

func hex(_ string: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = string.startIndex
    while index < string.endIndex {
        let next = string.index(index, offsetBy: 2)
        out.append(UInt8(string[index..<next], radix: 16)!)
        index = next
    }
    return out
}
