import Foundation
import XCTest
@testable import LoadtestCore

final class TokenOutcomesTests: XCTestCase {
    func testCorrectGatewayHasNoUnexpectedOutcomes() {
        var outcomes = TokenOutcomes()
        for _ in 0..<90 { outcomes.record(kind: .valid, status: 200) }
        for _ in 0..<5 { outcomes.record(kind: .expired, status: 401) }
        for _ in 0..<3 { outcomes.record(kind: .wrongScope, status: 403) }
        for _ in 0..<2 { outcomes.record(kind: .badSignature, status: 401) }
        XCTAssertEqual(outcomes.unexpected, 0)
        XCTAssertEqual(outcomes.total(kind: .valid), 90)
        XCTAssertTrue(outcomes.text.contains("bad-signature"))
        XCTAssertFalse(outcomes.text.contains("unexpected"))
    }

    func testCountsBadSignatureAcceptedAsUnexpected() {
        var outcomes = TokenOutcomes()
        outcomes.record(kind: .badSignature, status: 200)
        outcomes.record(kind: .valid, status: 502)
        outcomes.record(kind: .wrongScope, status: 401)
        XCTAssertEqual(outcomes.unexpected, 3)
        XCTAssertEqual(outcomes.count(kind: .valid, outcome: .other), 1)
        XCTAssertTrue(outcomes.text.contains("unexpected outcomes: 3"))
    }

    func testRunResultTalliesTokenKindsAndMerges() throws {
        var a = RunResult(measuredNanoseconds: 1)
        a.recordResponse(status: 200, latencyNanoseconds: 1, tokenKind: .valid)
        a.recordResponse(status: 200, latencyNanoseconds: 1)
        var b = RunResult(measuredNanoseconds: 1)
        b.recordResponse(status: 401, latencyNanoseconds: 1, tokenKind: .expired)
        a.merge(b)
        XCTAssertEqual(a.tokenOutcomes.total(kind: .valid), 1)
        XCTAssertEqual(a.tokenOutcomes.count(kind: .expired, outcome: .unauthorized), 1)
        let json = try JSONEncoder().encode(a.summary)
        let decoded = try JSONDecoder().decode(RunSummary.self, from: json)
        XCTAssertEqual(decoded.tokenOutcomes, a.tokenOutcomes)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        let outcomes = object?["tokenOutcomes"] as? [String: [String: Int]]
        XCTAssertEqual(outcomes?["expired"]?["401"], 1)
        XCTAssertNil(outcomes?["wrong-scope"], "kinds without responses are omitted")
    }
}
