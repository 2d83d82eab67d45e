import XCTest
@testable import JOSE
import TextCoding

/// A parser remembers the headers it parsed, by their exact segment bytes. A remembered header must
/// read exactly as a fresh parse would; a header that differs in any byte, or was rejected, must
/// never come from the memo.
final class HeaderMemoTests: XCTestCase {
    private func token(header: String, claims: String = #"{"iss":"https://issuer.test","exp":4102444800}"#) -> [UInt8] {
        Array((Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8)) + ".c2ln").utf8)
    }

    func testRepeatedHeaderIsRememberedAndReadsTheSame() throws {
        let parser = TokenParser()
        let header = #"{"alg":"RS256","typ":"at+jwt","kid":"k1"}"#
        let first = try parser.parse(token(header: header, claims: #"{"iss":"a"}"#))
        let second = try parser.parse(token(header: header, claims: #"{"iss":"b"}"#))
        XCTAssertEqual(parser.headerMemo.count, 1)
        for h in [first.header, second.header] {
            XCTAssertEqual(h.algorithm, .rs256)
            XCTAssertEqual(h.keyID, "k1")
            XCTAssertEqual(h.type, "at+jwt")
        }
        XCTAssertEqual(second.issuer, "b", "the claims are always parsed afresh")
    }

    func testHeaderDifferingInOneByteIsParsedAfresh() throws {
        let parser = TokenParser()
        _ = try parser.parse(token(header: #"{"alg":"RS256","kid":"k1"}"#))
        let other = try parser.parse(token(header: #"{"alg":"RS256","kid":"k2"}"#))
        XCTAssertEqual(other.header.keyID, "k2")
        let es = try parser.parse(token(header: #"{"alg":"ES256","kid":"k1"}"#))
        XCTAssertEqual(es.header.algorithm, .es256)
    }

    func testRejectedHeaderIsNeverRemembered() {
        let parser = TokenParser()
        for _ in 0..<3 {
            XCTAssertThrowsError(try parser.parse(token(header: #"{"alg":"none"}"#))) { error in
                XCTAssertEqual((error as? TokenRejection)?.code, .algNone)
            }
            XCTAssertThrowsError(try parser.parse(token(header: #"{"alg":"RS256","kid":"a","kid":"b"}"#)))
        }
        XCTAssertEqual(parser.headerMemo.count, 0)
    }

    func testEmbeddedKeyParametersSurviveAMemoHit() throws {
        let parser = TokenParser()
        let header = #"{"alg":"RS256","kid":"k1","jku":"https://attacker.example/jwks"}"#
        _ = try parser.parse(token(header: header))
        let hit = try parser.parse(token(header: header))
        XCTAssertEqual(hit.header.embeddedKeyParameters, [.jku])
    }

    func testMemoIsBoundedUnderAFloodOfDistinctHeaders() throws {
        let parser = TokenParser()
        for i in 0..<100 {
            let parsed = try parser.parse(token(header: #"{"alg":"ES256","kid":"key-\#(i)"}"#))
            XCTAssertEqual(parsed.header.keyID, "key-\(i)")
        }
        XCTAssertLessThanOrEqual(parser.headerMemo.count, HeaderMemo.capacity)
    }

    func testOversizedHeaderIsNotRemembered() throws {
        let parser = TokenParser()
        let long = String(repeating: "x", count: HeaderMemo.maximumSegmentBytes)
        _ = try parser.parse(token(header: #"{"alg":"RS256","kid":"\#(long)"}"#))
        XCTAssertEqual(parser.headerMemo.count, 0)
    }

    /// The mutation test of `TokenMutationTests`, with one verifier whose memo holds the valid header.
    func testNoSingleByteMutationIsAcceptedWithAWarmMemo() throws {
        let fixtures = Fixtures.shared
        let verifier = TokenVerifier()
        for name in ["rs256_valid", "es256_valid"] {
            let token = Array(fixtures.tokens[name]!.token.utf8)
            XCTAssertNoThrow(try verifier.verify(token, now: fixtures.now) { fixtures.issuers[$0] })
            for i in token.indices {
                var mutated = token
                mutated[i] ^= 0x01
                let accepted = (try? verifier.verify(mutated, now: fixtures.now) { fixtures.issuers[$0] }) != nil
                XCTAssertFalse(accepted, "\(name) byte \(i)")
            }
        }
    }
}
