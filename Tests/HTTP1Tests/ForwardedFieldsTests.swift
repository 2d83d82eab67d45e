import XCTest
@testable import HTTP1

/// `HTTPSerializer.writeForwardedFields` and friends: what a proxy copies from a parsed head.
final class ForwardedFieldsTests: XCTestCase {
    private struct NoHead: Error {}

    private func headers(_ fieldLines: String) throws -> HTTPHeaders {
        var parser = RequestParser()
        let bytes = Array("GET / HTTP/1.1\r\n\(fieldLines)\r\n".utf8)
        let (event, _) = try bytes.withUnsafeBytes { try parser.parse($0) }
        guard case .head(let request) = event else { throw NoHead() }
        return request.head.headers
    }

    private func forwarded(_ h: HTTPHeaders, dropping: [String] = [], aliases: Bool = false) -> String {
        var out: [UInt8] = []
        HTTPSerializer.writeForwardedFields(h, dropping: FieldNameSet(dropping), droppingAliases: aliases, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func testUnrelatedFieldsAreCopiedVerbatimInOrder() throws {
        let h = try headers("Host: a\r\nAccept: */*\r\nX-Custom: v1\r\nx-custom: v2\r\n")
        XCTAssertEqual(forwarded(h), "Host: a\r\nAccept: */*\r\nX-Custom: v1\r\nx-custom: v2\r\n")
    }

    func testHopByHopFieldsAreDropped() throws {
        let h = try headers("Host: a\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Connection: x\r\nUpgrade: h2c\r\nTrailer: X\r\nAccept: b\r\n")
        XCTAssertEqual(forwarded(h), "Host: a\r\nAccept: b\r\n")
    }

    func testFieldNominatedByConnectionIsDropped() throws {
        let h = try headers("Host: a\r\nConnection: close, X-Secret-Hop\r\nx-secret-hop: 1\r\nAccept: b\r\n")
        XCTAssertEqual(forwarded(h), "Host: a\r\nAccept: b\r\n")
    }

    func testConnectionCannotNominateContentLengthOrHost() throws {
        var parser = RequestParser()
        let bytes = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nConnection: content-length, host\r\n\r\nok".utf8)
        let (event, _) = try bytes.withUnsafeBytes { try parser.parse($0) }
        guard case .head(let request) = event else { throw NoHead() }
        XCTAssertEqual(forwarded(request.head.headers), "Host: a\r\nContent-Length: 2\r\n")
    }

    func testDroppedNamesMatchIgnoringCase() throws {
        let h = try headers("Host: a\r\nX-AUTH-Subject: spoof\r\nx-request-id: mine\r\nAccept: b\r\n")
        XCTAssertEqual(forwarded(h, dropping: ["x-auth-subject", "X-Request-Id"]), "Host: a\r\nAccept: b\r\n")
    }

    func testUnderscoreAliasIsDroppedOnlyWhenAsked() throws {
        let h = try headers("Host: a\r\nX_Auth_Subject: spoof\r\nX_Other: keep\r\n")
        XCTAssertEqual(forwarded(h, dropping: ["x-auth-subject"], aliases: true), "Host: a\r\nX_Other: keep\r\n")
        XCTAssertEqual(forwarded(h, dropping: ["x-auth-subject"], aliases: false), "Host: a\r\nX_Auth_Subject: spoof\r\nX_Other: keep\r\n")
    }

    func testSameKeyDifferentNameIsKept() throws {
        // "x-ab" and "x-bb" share length, first and last byte (equal keys): bytes decide.
        let h = try headers("Host: a\r\nX-Bb: 2\r\n")
        XCTAssertEqual(forwarded(h, dropping: ["x-ab"]), "Host: a\r\nX-Bb: 2\r\n")
    }

    func testAppendedFieldsAreSanitizedAgainstInjection() throws {
        var h = try headers("Host: a\r\n")
        h.append("X-Added", "v\r\nX-Injected: 1")
        var out: [UInt8] = []
        HTTPSerializer.writeForwardedFields(h, dropping: FieldNameSet([]), into: &out)
        HTTPSerializer.writeField("X-Ours\r\nEvil", "ok\r\n\r\nGET /smuggled", into: &out)
        let text = String(decoding: out, as: UTF8.self)
        XCTAssertEqual(text, "Host: a\r\nX-Added: v  X-Injected: 1\r\nX-Ours__Evil: ok    GET /smuggled\r\n")
    }

    func testConstantLinesAndKnownNamesStillSanitizeValues() {
        var out: [UInt8] = []
        HTTPSerializer.writeLine("Connection: close\r\n", into: &out)
        HTTPSerializer.writeField(known: "X-Request-Id", into: &out) { $0.append(contentsOf: Array("id\r\nX-Evil: 1".utf8)) }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "Connection: close\r\nX-Request-Id: id  X-Evil: 1\r\n")
    }

    func testJoinedValuesInOrder() throws {
        let h = try headers("Host: a\r\nX-Forwarded-For: 10.0.0.1\r\nAccept: b\r\nx-forwarded-for: 10.0.0.2, 10.0.0.3\r\n")
        var out: [UInt8] = []
        XCTAssertTrue(HTTPSerializer.writeJoinedValues(of: h, named: "X-Forwarded-For", into: &out))
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "10.0.0.1, 10.0.0.2, 10.0.0.3")
        out.removeAll()
        XCTAssertFalse(HTTPSerializer.writeJoinedValues(of: h, named: "X-Real-Ip", into: &out))
        XCTAssertTrue(out.isEmpty)
    }

    func testFieldNameSetInsertAndAliasMatching() {
        var set = FieldNameSet(["x-a", "X-A"])
        set.insert("X-Auth-Client-Id")
        let probe: (String) -> (Bool, Bool) = { name in
            let bytes = Array(name.utf8)
            return bytes.withUnsafeBufferPointer { ($0.isEmpty ? false : set.contains($0, key: FieldSlot.key(of: $0)), set.containsAlias($0)) }
        }
        XCTAssertEqual(probe("X-A").0, true)
        XCTAssertEqual(probe("x-auth-client-id").0, true)
        XCTAssertEqual(probe("x_auth_client_id").1, true)
        XCTAssertEqual(probe("x_auth_client_ix").1, false)
        XCTAssertEqual(probe("x-auth-client-id").1, false)   // no underscore: not an alias
    }
}
