import Foundation
import XCTest
@testable import LoadtestCore

final class TokenMixTests: XCTestCase {
    private let validToken = Array("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz".utf8)

    private func tokens(_ prefix: String, _ count: Int) -> [[UInt8]] {
        (0..<count).map { Array("eyJ\(prefix).eyJ\($0).c2ln\($0)".utf8) }
    }

    func testParsesTheDocumentedMix() throws {
        let shares = try TokenMix.parseShares("valid=90,expired=5,wrong-scope=3,bad-signature=2")
        XCTAssertEqual(shares, [.valid: 90, .expired: 5, .wrongScope: 3, .badSignature: 2])
    }

    func testRejectsUnknownKind() {
        XCTAssertThrowsError(try TokenMix.parseShares("valid=90,forged=10")) {
            XCTAssertEqual(($0 as? TokenMixError)?.code, .unknownKind)
        }
    }

    func testRejectsDuplicateKind() {
        XCTAssertThrowsError(try TokenMix.parseShares("valid=1,valid=2")) {
            XCTAssertEqual(($0 as? TokenMixError)?.code, .duplicateKind)
        }
    }

    func testRejectsMalformedAndNegativeShares() {
        for text in ["valid", "valid=", "=3", "valid=90;expired=10", ""] {
            XCTAssertThrowsError(try TokenMix.parseShares(text), text)
        }
        for text in ["valid=-1", "valid=10001"] {
            XCTAssertThrowsError(try TokenMix.parseShares(text)) {
                XCTAssertEqual(($0 as? TokenMixError)?.code, .invalidShare)
            }
        }
        XCTAssertThrowsError(try TokenMix(shares: [.valid: 10_001], distinctTokens: 1))
    }

    func testRejectsAllZeroSharesAndBadDistinctCount() {
        XCTAssertThrowsError(try TokenMix(shares: [.valid: 0], distinctTokens: 1)) {
            XCTAssertEqual(($0 as? TokenMixError)?.code, .noShares)
        }
        XCTAssertThrowsError(try TokenMix(shares: [.valid: 1], distinctTokens: 0)) {
            XCTAssertEqual(($0 as? TokenMixError)?.code, .invalidDistinctCount)
        }
    }

    func testScheduleHonoursSharesExactlyPerCycle() throws {
        let mix = try TokenMix(shares: [.valid: 90, .expired: 5, .wrongScope: 3, .badSignature: 2], distinctTokens: 1)
        var counts: [TokenKind: Int] = [:]
        for n in 0..<10_000 { counts[mix.choice(forSequence: UInt64(n)).kind, default: 0] += 1 }
        XCTAssertEqual(counts, [.valid: 9_000, .expired: 500, .wrongScope: 300, .badSignature: 200])
    }

    func testDistinctTokensRotateWithinEachKind() throws {
        let mix = try TokenMix(shares: [.valid: 3, .expired: 1], distinctTokens: 4)
        var nextIndex: [TokenKind: Int] = [:]
        for n in 0..<1_000 {
            let choice = mix.choice(forSequence: UInt64(n))
            XCTAssertEqual(choice.index, nextIndex[choice.kind, default: 0], "request \(n)")
            nextIndex[choice.kind] = (choice.index + 1) % 4
        }
    }

    func testScheduleIsAPureFunctionOfTheSequenceNumber() throws {
        let a = try TokenMix(shares: [.valid: 7, .badSignature: 3], distinctTokens: 1000)
        let b = try TokenMix(shares: [.valid: 7, .badSignature: 3], distinctTokens: 1000)
        for n in [0, 1, 999, 123_456_789, UInt64.max] as [UInt64] {
            XCTAssertEqual(a.choice(forSequence: n), b.choice(forSequence: n))
        }
    }

    func testBadSignatureChangesOnlyTheFirstSignatureCharacter() throws {
        let derived = try BadSignature.derive(from: validToken)
        let differing = zip(validToken, derived).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        let signatureStart = validToken.lastIndex(of: UInt8(ascii: "."))! + 1
        XCTAssertEqual(differing, [signatureStart])
        XCTAssertEqual(derived.count, validToken.count)
        XCTAssertNotEqual(try BadSignature.derive(from: derived), derived, "a signature starting with A still changes")
        XCTAssertEqual(try BadSignature.derive(from: Array("a.b.AAAA".utf8)), Array("a.b.BAAA".utf8))
    }

    func testRejectsMalformedTokenWithoutSignature() {
        XCTAssertThrowsError(try BadSignature.derive(from: Array("eyJh.eyJz.".utf8)))
        XCTAssertThrowsError(try BadSignature.derive(from: Array("eyJh.eyJz".utf8)))
    }

    func testRejectsTokenWithHeaderInjection() throws {
        let mix = TokenMix.allValid
        XCTAssertThrowsError(try TokenPool(valid: [Array("a.b.c\r\nX-Admin: 1".utf8)], mix: mix)) {
            XCTAssertEqual(($0 as? TokenMixError)?.code, .malformedToken)
            XCTAssertFalse(String(describing: $0).contains("X-Admin"), "errors never echo token text")
        }
    }

    func testPoolRequiresEnoughValidTokensForTheDistinctCount() throws {
        let mix = try TokenMix(shares: [.valid: 1], distinctTokens: 5)
        XCTAssertThrowsError(try TokenPool(valid: tokens("v", 4), mix: mix)) {
            XCTAssertEqual(($0 as? TokenMixError)?.code, .tooFewTokens)
        }
        XCTAssertEqual(try TokenPool(valid: tokens("v", 9), mix: mix).count(of: .valid), 5)
    }

    func testPoolRequiresTokensForEveryKindWithAShare() throws {
        let mix = try TokenMix(shares: [.valid: 9, .expired: 1], distinctTokens: 1)
        XCTAssertThrowsError(try TokenPool(valid: tokens("v", 1), mix: mix)) {
            XCTAssertEqual(($0 as? TokenMixError)?.code, .missingKind)
        }
    }

    func testPoolDerivesBadSignatureTokensFromValidOnes() throws {
        let mix = try TokenMix(shares: [.valid: 1, .badSignature: 1], distinctTokens: 3)
        let valid = tokens("v", 3)
        let pool = try TokenPool(valid: valid, mix: mix)
        XCTAssertEqual(pool.count(of: .badSignature), 3)
        for index in 0..<3 {
            XCTAssertEqual(pool.token(for: TokenChoice(kind: .badSignature, index: index)),
                           try BadSignature.derive(from: valid[index]))
            XCTAssertEqual(pool.token(for: TokenChoice(kind: .valid, index: index)), valid[index])
        }
    }

    func testTokenFileDecodes() throws {
        let json = #"{"valid": ["eyJ.eyJ.sig1", "eyJ.eyJ.sig2"], "expired": ["eyJ.eyJ.old"]}"#
        let mix = try TokenMix(shares: [.valid: 1, .expired: 1], distinctTokens: 2)
        let pool = try TokenPool.decodeFile(json: Array(json.utf8), mix: mix)
        XCTAssertEqual(pool.token(for: TokenChoice(kind: .valid, index: 1)), Array("eyJ.eyJ.sig2".utf8))
        XCTAssertEqual(pool.token(for: TokenChoice(kind: .expired, index: 1)), Array("eyJ.eyJ.old".utf8))
    }

    func testTokenFileRejectsUnknownKindAndWrongShape() {
        for json in [#"{"forged": ["a.b.c"]}"#, #"["a.b.c"]"#, "not json"] {
            XCTAssertThrowsError(try TokenPool.decodeFile(json: Array(json.utf8), mix: .allValid)) {
                XCTAssertEqual(($0 as? TokenMixError)?.code, .invalidTokenFile, json)
            }
        }
    }
}
