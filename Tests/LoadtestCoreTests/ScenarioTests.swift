import Foundation
import XCTest
@testable import LoadtestCore

final class ScenarioTests: XCTestCase {
    private func decode(_ json: String) throws(ScenarioError) -> Scenario {
        try Scenario.decode(json: Array(json.utf8))
    }

    private func assertRejects(_ json: String, code: ScenarioError.Code, path: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try decode(json)
            XCTFail("accepted \(json)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.code, code, error.description, file: file, line: line)
            XCTAssertEqual(error.path, path, error.description, file: file, line: line)
        }
    }

    func testDecodesFieldsDefaultsAndHeaderOrder() throws {
        let scenario = try decode("""
            {"name": "mix", "requests": [
              {"path": "/a"},
              {"name": "make", "method": "POST", "path": "/b", "bearer": true, "weight": 3, "body": "{}",
               "headers": ["X-B: 2", "Accept:  text/plain ", "X-B: 1"]}]}
            """)
        XCTAssertEqual(scenario.name, "mix")
        XCTAssertEqual(scenario.requests[0],
                       ScenarioRequest(name: "GET /a", method: "GET", path: "/a", headers: [], body: [], weight: 1, bearer: false))
        let post = scenario.requests[1]
        XCTAssertEqual(post.headers.map(\.name), ["X-B", "Accept", "X-B"], "order and duplicates are kept")
        XCTAssertEqual(post.headers[1].value, "text/plain")
        XCTAssertEqual(post.body, Array("{}".utf8))
        XCTAssertTrue(post.bearer)
        XCTAssertTrue(scenario.needsTokens)
        XCTAssertEqual((0..<4).map { scenario.request(forSequence: $0).name }.filter { $0 == "make" }.count, 3)
    }

    func testExampleScenarioFilesDecode() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../loadtest/scenarios").standardized
        let status = try Scenario.decode(json: Array(try Data(contentsOf: directory.appendingPathComponent("status.json"))))
        XCTAssertFalse(status.needsTokens)
        XCTAssertEqual(status.requests.map(\.path), ["/v1/status"])
        let portCalls = try Scenario.decode(json: Array(try Data(contentsOf: directory.appendingPathComponent("port-calls.json"))))
        XCTAssertTrue(portCalls.requests.allSatisfy(\.bearer))
        XCTAssertEqual(portCalls.requests.map(\.weight), [7, 2, 1])
        XCTAssertEqual(portCalls.requests[2].method, "POST")
    }

    func testRejectsInvalidJSON() {
        assertRejects("{\"requests\": [", code: .invalidJSON, path: "")
    }

    func testRejectsMissingPathWithItsIndex() {
        assertRejects(#"{"requests": [{"path": "/ok"}, {"method": "GET"}]}"#, code: .missingField, path: "requests[1].path")
    }

    func testRejectsWrongTypeWithPath() {
        assertRejects(#"{"requests": [{"path": "/a", "weight": "ten"}]}"#, code: .wrongType, path: "requests[0].weight")
    }

    func testRejectsUnknownField() {
        assertRejects(#"{"requests": [{"path": "/a", "wieght": 2}]}"#, code: .unknownField, path: "requests[0].wieght")
        assertRejects(#"{"request": [], "requests": [{"path": "/a"}]}"#, code: .unknownField, path: "request")
    }

    func testRejectsEmptyRequestList() {
        assertRejects(#"{"requests": []}"#, code: .noRequests, path: "requests")
    }

    func testRejectsMethodWithSpace() {
        assertRejects(#"{"requests": [{"method": "GET /x", "path": "/a"}]}"#, code: .invalidMethod, path: "requests[0].method")
    }

    func testRejectsPathWithoutLeadingSlash() {
        assertRejects(#"{"requests": [{"path": "http://x/a"}]}"#, code: .invalidPath, path: "requests[0].path")
    }

    func testRejectsPathWithCRLFInjection() {
        assertRejects(#"{"requests": [{"path": "/a HTTP/1.1\r\nX: y"}]}"#, code: .invalidPath, path: "requests[0].path")
    }

    func testRejectsHeaderWithCRLFInjection() {
        assertRejects(#"{"requests": [{"path": "/a", "headers": ["X-A: 1\r\nX-B: 2"]}]}"#,
                      code: .invalidHeader, path: "requests[0].headers[0]")
    }

    func testRejectsHeaderWithoutColon() {
        assertRejects(#"{"requests": [{"path": "/a", "headers": ["Accept"]}]}"#, code: .invalidHeader, path: "requests[0].headers[0]")
    }

    func testRejectsContentLengthHeader() {
        assertRejects(#"{"requests": [{"path": "/a", "headers": ["content-length: 5"]}]}"#,
                      code: .reservedHeader, path: "requests[0].headers[0]")
    }

    func testRejectsAuthorizationHeaderOnBearerRequest() {
        assertRejects(#"{"requests": [{"path": "/a", "bearer": true, "headers": ["Authorization: Basic eA=="]}]}"#,
                      code: .reservedHeader, path: "requests[0].headers[0]")
        XCTAssertNoThrow(try decode(#"{"requests": [{"path": "/a", "headers": ["Authorization: Basic eA=="]}]}"#))
    }

    func testRejectsZeroAndHugeWeights() {
        assertRejects(#"{"requests": [{"path": "/a", "weight": 0}]}"#, code: .invalidWeight, path: "requests[0].weight")
        assertRejects(#"{"requests": [{"path": "/a", "weight": 10001}]}"#, code: .invalidWeight, path: "requests[0].weight")
    }

    func testRejectsWeightsAddingUpBeyondThePickerCycle() {
        let requests = Array(repeating: #"{"path": "/a", "weight": 10000}"#, count: 101).joined(separator: ",")
        assertRejects(#"{"requests": ["# + requests + "]}", code: .invalidWeight, path: "requests")
    }

    func testErrorDescriptionNamesPathAndCode() {
        let error = ScenarioError(.invalidWeight, at: "requests[0].weight", "must be an integer in 1...10000")
        XCTAssertEqual(error.description, "requests[0].weight: must be an integer in 1...10000 [scenario.invalid_weight]")
    }
}

final class ScenarioResolutionTests: XCTestCase {
    func testResolvedPrefixesPathsWithTheURLPath() throws {
        let scenario = try Scenario.decode(json: Array(#"{"requests": [{"path": "/v1/status", "weight": 2}, {"path": "/x?y=1"}]}"#.utf8))
        let resolved = scenario.resolved(against: try TargetURL.parse("http://h:1/api/"))
        XCTAssertEqual(resolved.requests.map(\.path), ["/api/v1/status", "/api/x?y=1"])
        XCTAssertEqual(resolved.requests.map(\.weight), [2, 1])
        XCTAssertEqual(scenario.resolved(against: try TargetURL.parse("http://h")).requests.map(\.path), ["/v1/status", "/x?y=1"])
    }
}
