import XCTest
@testable import LoadtestCore

final class RequestTemplateTests: XCTestCase {
    private func render(_ template: RequestTemplate, token: String?) -> String {
        var buffer: [UInt8] = []
        template.write(token: token.map { Array($0.utf8) }, into: &buffer)
        XCTAssertEqual(buffer.count, template.size(tokenLength: token?.utf8.count ?? 0))
        return String(decoding: buffer, as: UTF8.self)
    }

    func testGetWithoutTokenHasNoContentLength() {
        let request = ScenarioRequest(name: "s", method: "GET", path: "/v1/status",
                                      headers: [.init(name: "Accept", value: "application/json")], body: [], weight: 1, bearer: false)
        XCTAssertEqual(render(RequestTemplate(request: request, hostHeader: "127.0.0.1:9100"), token: nil),
                       "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1:9100\r\nAccept: application/json\r\n\r\n")
    }

    func testBearerPostPlacesTokenAndBody() {
        let request = ScenarioRequest(name: "c", method: "POST", path: "/v1/port-calls",
                                      headers: [.init(name: "X-B", value: "2"), .init(name: "X-A", value: "1")],
                                      body: Array("{\"a\":1}".utf8), weight: 1, bearer: true)
        let template = RequestTemplate(request: request, hostHeader: "h")
        XCTAssertEqual(render(template, token: "aaa.bbb.ccc"),
                       "POST /v1/port-calls HTTP/1.1\r\nHost: h\r\nX-B: 2\r\nX-A: 1\r\n"
                       + "Authorization: Bearer aaa.bbb.ccc\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
    }

    func testDPoPTemplatePlacesTokenThenProof() {
        let request = ScenarioRequest(name: "d", method: "GET", path: "/v1/x?y=1", headers: [], body: [], weight: 1, bearer: true)
        let template = RequestTemplate(request: request, hostHeader: "h", scheme: "DPoP")
        var buffer: [UInt8] = []
        template.write(token: Array("tok".utf8), proof: Array("a.b.c".utf8), into: &buffer)
        XCTAssertEqual(String(decoding: buffer, as: UTF8.self),
                       "GET /v1/x?y=1 HTTP/1.1\r\nHost: h\r\nAuthorization: DPoP tok\r\nDPoP: a.b.c\r\n\r\n")
    }

    func testEmptyPostGetsContentLengthZero() {
        let request = ScenarioRequest(name: "p", method: "POST", path: "/p", headers: [], body: [], weight: 1, bearer: false)
        XCTAssertEqual(render(RequestTemplate(request: request, hostHeader: "h"), token: nil),
                       "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n")
    }

    func testTemplatesFromTheExampleScenarioAreWellFormed() throws {
        let json = #"{"requests": [{"path": "/a", "bearer": true, "headers": ["Accept: */*"]}]}"#
        let scenario = try Scenario.decode(json: Array(json.utf8)).resolved(against: try TargetURL.parse("http://h:81/api"))
        let text = render(RequestTemplate(request: scenario.requests[0], hostHeader: "h:81"), token: "t.t.t")
        XCTAssertEqual(text, "GET /api/a HTTP/1.1\r\nHost: h:81\r\nAccept: */*\r\nAuthorization: Bearer t.t.t\r\n\r\n")
        XCTAssertEqual(text.components(separatedBy: "\r\n\r\n").count, 2, "exactly one end of head")
    }
}
