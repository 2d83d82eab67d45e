import XCTest
@testable import JOSE

/// Byte-by-byte: no single-byte change anywhere in a valid token yields an accepted token, and
/// no prefix (a token split at any offset) is accepted either.
final class TokenMutationTests: XCTestCase {
    func testNoSingleByteMutationIsAccepted() throws {
        let fixtures = Fixtures.shared
        for name in ["es256_valid", "eddsa_valid", "hs256_valid"] {
            let token = Array(fixtures.tokens[name]!.token.utf8)
            XCTAssertNoThrow(try fixtures.verify(name))
            for i in token.indices {
                for replacement: UInt8 in [token[i] ^ 0x01, UInt8(ascii: "."), UInt8(ascii: "=")] where replacement != token[i] {
                    var mutated = token
                    mutated[i] = replacement
                    let accepted = (try? TokenVerifier().verify(mutated, now: fixtures.now) { fixtures.issuers[$0] }) != nil
                    XCTAssertFalse(accepted, "\(name) byte \(i) -> \(replacement)")
                }
            }
        }
    }

    func testNoPrefixIsAccepted() {
        let fixtures = Fixtures.shared
        let token = Array(fixtures.tokens["rs256_valid"]!.token.utf8)
        for length in 0..<token.count {
            let accepted = (try? TokenVerifier().verify(Array(token[0..<length]), now: fixtures.now) { fixtures.issuers[$0] }) != nil
            XCTAssertFalse(accepted, "prefix \(length)")
        }
    }

    func testSigningInputIsTheOriginalSlice() throws {
        let token = Fixtures.shared.tokens["rs256_valid"]!.token
        let parsed = try TokenVerifier().parse(Array(token.utf8))
        let input = parsed.withSigningInput { Array($0) }
        XCTAssertEqual(String(decoding: input, as: UTF8.self), String(token[..<token.lastIndex(of: ".")!]))
        XCTAssertEqual(parsed.header.keyID, "rsa-1")
        XCTAssertEqual(parsed.issuer, "https://issuer.test")
    }

    func testHeaderRecordsEmbeddedKeyParameters() throws {
        let parsed = try TokenVerifier().parse(Array(Fixtures.shared.tokens["jwk_embedded_attacker_key"]!.token.utf8))
        XCTAssertEqual(parsed.header.embeddedKeyParameters, [.jwk])
        let jku = try TokenVerifier().parse(Array(Fixtures.shared.tokens["jku_attacker_key"]!.token.utf8))
        XCTAssertEqual(jku.header.embeddedKeyParameters, [.jku])
    }
}
