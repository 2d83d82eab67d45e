import XCTest
@testable import LoadtestCore

final class RequestCatalogTests: XCTestCase {
    private let scenario = Scenario(name: "t", requests: [
        ScenarioRequest(name: "a", method: "GET", path: "/a", headers: [], body: [], weight: 2, bearer: true),
        ScenarioRequest(name: "b", method: "POST", path: "/b", headers: [.init(name: "X-K", value: "v")],
                        body: Array("{}".utf8), weight: 1, bearer: false),
    ])

    private func catalog() throws -> RequestCatalog {
        let mix = try TokenMix(shares: [.valid: 1, .expired: 1], distinctTokens: 2)
        let pool = try TokenPool(valid: [Array("v1.p.s".utf8), Array("v2.p.s".utf8)], expired: [Array("e1.p.s".utf8)], mix: mix)
        return RequestCatalog(scenario: scenario, hostHeader: "h:1", mix: mix, pool: pool)
    }

    func testRendersTheChosenTemplateWithItsToken() throws {
        let catalog = try catalog()
        var cursor = RequestCursor()
        var buffer: [UInt8] = []
        var rendered: [String] = []
        for _ in 0..<6 {
            let planned = cursor.next(in: catalog)
            catalog.render(planned, into: &buffer)
            rendered.append(String(decoding: buffer, as: UTF8.self))
        }
        let bearerRequests = rendered.filter { $0.hasPrefix("GET /a HTTP/1.1\r\nHost: h:1\r\nAuthorization: Bearer ") }
        let posts = rendered.filter { $0 == "POST /b HTTP/1.1\r\nHost: h:1\r\nX-K: v\r\nContent-Length: 2\r\n\r\n{}" }
        XCTAssertEqual(bearerRequests.count, 4, "weight 2 of 3")
        XCTAssertEqual(posts.count, 2)
        XCTAssertEqual(cursor.requests, 6)
        XCTAssertEqual(cursor.bearerRequests, 4)
        // Bearer requests alternate valid/expired and rotate the two valid tokens.
        let tokens = bearerRequests.map { $0.dropFirst("GET /a HTTP/1.1\r\nHost: h:1\r\nAuthorization: Bearer ".count).prefix(6) }
        XCTAssertEqual(Set(tokens), ["v1.p.s", "v2.p.s", "e1.p.s"])
        XCTAssertEqual(tokens.filter { $0 == "e1.p.s" }.count, 2)
    }

    func testPlanIsAPureFunctionOfTheCounters() throws {
        let catalog = try catalog()
        XCTAssertEqual(catalog.plan(request: 7, bearerRequest: 3), catalog.plan(request: 7, bearerRequest: 3))
        let plain = (0..<3).map { catalog.plan(request: UInt64($0), bearerRequest: 0) }.first { $0.template == 1 }
        XCTAssertNil(plain?.token, "a non-bearer template carries no token")
    }

    func testRenderReusesTheBuffer() throws {
        let catalog = try catalog()
        var buffer: [UInt8] = []
        catalog.render(PlannedRequest(template: 1, token: nil), into: &buffer)
        let first = buffer
        catalog.render(PlannedRequest(template: 1, token: nil), into: &buffer)
        XCTAssertEqual(buffer, first, "render replaces, never appends")
    }
}
