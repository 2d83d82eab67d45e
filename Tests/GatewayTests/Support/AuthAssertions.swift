import XCTest

/// Checks of the documented 400/401/403/503 answers (issue 4 "Responses").
extension XCTestCase {
    /// A JSON error with `Content-Type: application/json`, `Cache-Control: no-store` and `error`.
    @discardableResult
    func assertJSONError(_ response: AuthResponse?, status: Int, error: String,
                         file: StaticString = #filePath, line: UInt = #line) -> [String: Any]? {
        guard let response else { XCTFail("no response", file: file, line: line); return nil }
        XCTAssertEqual(response.status, status, "status", file: file, line: line)
        XCTAssertEqual(response.headers["content-type"], "application/json", file: file, line: line)
        XCTAssertEqual(response.headers["cache-control"], "no-store", file: file, line: line)
        let json = response.json
        XCTAssertEqual(json?["error"] as? String, error, "body error", file: file, line: line)
        XCTAssertFalse((json?["error_description"] as? String ?? "").isEmpty, "body error_description", file: file, line: line)
        return json
    }

    /// A Bearer challenge with an `error` attribute whose `error` and `error_description` equal
    /// the body's. Returns the challenge.
    @discardableResult
    func assertBearerError(_ response: AuthResponse?, status: Int, error: String, descriptionContains: String? = nil,
                           file: StaticString = #filePath, line: UInt = #line) -> AuthChallenge? {
        let json = assertJSONError(response, status: status, error: error, file: file, line: line)
        guard let challenge = response?.challenge else {
            XCTFail("WWW-Authenticate missing or not RFC 7235: \(response?.headers["www-authenticate"] ?? "-")", file: file, line: line)
            return nil
        }
        XCTAssertEqual(challenge.scheme, "Bearer", file: file, line: line)
        XCTAssertEqual(challenge["realm"], AuthKeys.realm, file: file, line: line)
        XCTAssertEqual(challenge["error"], error, file: file, line: line)
        XCTAssertEqual(challenge["error_description"], json?["error_description"] as? String,
                       "header and body give the same reason", file: file, line: line)
        if let descriptionContains {
            XCTAssertTrue((challenge["error_description"] ?? "").lowercased().contains(descriptionContains.lowercased()),
                          "error_description \"\(challenge["error_description"] ?? "")\" should mention \"\(descriptionContains)\"",
                          file: file, line: line)
        }
        return challenge
    }

    /// 401 `invalid_token` that never reached the upstream (which has seen exactly
    /// `upstreamRequestsBefore` requests, from earlier steps of the test) and shows no byte of `token`.
    func assertRejected(_ response: AuthResponse?, token: String, by fixture: AuthGatewayFixture, upstreamRequestsBefore: Int = 0,
                        descriptionContains: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        assertBearerError(response, status: 401, error: "invalid_token", descriptionContains: descriptionContains, file: file, line: line)
        XCTAssertEqual(fixture.upstream.requests.count, upstreamRequestsBefore, "a rejected request must never reach the upstream",
                       file: file, line: line)
        if let response { assertNoTokenBytes(response, token: token, file: file, line: line) }
    }

    /// 401 with the bare challenge `Bearer realm="..."` (no error attribute, RFC 6750 §3.1).
    func assertBareChallenge(_ response: AuthResponse?, file: StaticString = #filePath, line: UInt = #line) {
        assertJSONError(response, status: 401, error: "invalid_token", file: file, line: line)
        let challenge = response?.challenge
        XCTAssertEqual(challenge?.scheme, "Bearer", file: file, line: line)
        XCTAssertEqual(challenge?.parameters.map(\.name), ["realm"], "bare challenge has only realm", file: file, line: line)
        XCTAssertEqual(challenge?["realm"], AuthKeys.realm, file: file, line: line)
    }

    /// Neither the token nor any of its segments (the signature, the payload) appears in what the
    /// client received.
    func assertNoTokenBytes(_ response: AuthResponse, token: String, file: StaticString = #filePath, line: UInt = #line) {
        let text = response.visibleText
        XCTAssertFalse(text.contains(token), "response echoes the token", file: file, line: line)
        for segment in token.split(separator: ".") where segment.count >= 12 {
            XCTAssertFalse(text.contains(segment), "response echoes a token segment", file: file, line: line)
        }
    }
}
