import XCTest
import Foundation
import IO
@testable import Gateway
import DevIssuer

/// `POST /admin/mint` of the in-process development issuer (used by loadtest's expired share).
final class DevIssuerMintTests: XCTestCase {
    private func service() throws -> DevIssuerService {
        let config = DevIssuerConfiguration.demo(issuer: "http://127.0.0.1:9", audience: "aud")
        return DevIssuerService(issuer: try DevIssuer(configuration: config))
    }

    private func post(_ s: DevIssuerService, _ form: String) -> LocalResponse {
        var h = HTTPHeadersForTests.form
        h.append("Content-Length", String(form.utf8.count))
        return s.handle(LocalRequest(method: "POST", path: "/admin/mint", query: "", headers: h, body: Array(form.utf8), peer: "127.0.0.1"))
    }

    func testMintsAnAlreadyExpiredTokenForAnAuthenticatedClient() throws {
        let s = try service()
        let r = post(s, "grant_type=client_credentials&client_id=loadtest&client_secret=loadtest-secret&scope=read%3Aport_calls&expires_in=-3600")
        XCTAssertEqual(r.status, 200, String(decoding: r.body, as: UTF8.self))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        let token = try XCTUnwrap(json["access_token"] as? String)
        let payload = try XCTUnwrap(token.split(separator: ".").dropFirst().first)
        var b64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        let claims = try XCTUnwrap(try JSONSerialization.jsonObject(with: XCTUnwrap(Data(base64Encoded: b64))) as? [String: Any])
        let exp = try XCTUnwrap(claims["exp"] as? Int)
        XCTAssertLessThan(exp, Int(Date().timeIntervalSince1970), "the token must already be expired")
        XCTAssertEqual(claims["scope"] as? String, "read:port_calls")
    }

    func testRefusesAClientWithAWrongSecret() throws {
        let r = post(try service(), "grant_type=client_credentials&client_id=loadtest&client_secret=wrong&scope=read%3Aport_calls&expires_in=-3600")
        XCTAssertEqual(r.status, 401)
        XCTAssertFalse(String(decoding: r.body, as: UTF8.self).contains("access_token"))
    }

    func testRequiresABoundedExpiresIn() throws {
        let r = post(try service(), "grant_type=client_credentials&client_id=loadtest&client_secret=loadtest-secret&expires_in=99999999")
        XCTAssertEqual(r.status, 400)
    }
}

import HTTP1
enum HTTPHeadersForTests {
    static var form: HTTPHeaders {
        var h = HTTPHeaders()
        h.append("Host", "127.0.0.1")
        h.append("Content-Type", "application/x-www-form-urlencoded")
        return h
    }
}
