import XCTest
import JOSE
import PortcullisCrypto
import TextCoding
@testable import DevIssuer

/// The token endpoint with a `DPoP` proof (RFC 9449 §5): `token_type: DPoP` and `cnf.jkt` = the
/// proof key's thumbprint; an invalid proof is `invalid_dpop_proof`.
final class DPoPTokenEndpointTests: XCTestCase {
    private func proof(_ key: SigningKey, htu: String = "http://127.0.0.1:9000/oauth/token", iat: Int64 = t0) throws -> String {
        var jwk = key.publicJWK(kid: "k", alg: .es256)
        for drop in ["use", "alg", "kid"] { jwk[drop] = nil }
        let jwkJSON = "{" + jwk.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
        let input = Base64URL.encode(Array("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":\(jwkJSON)}".utf8)) + "."
            + Base64URL.encode(Array("{\"htm\":\"POST\",\"htu\":\"\(htu)\",\"iat\":\(iat),\"jti\":\"j1\"}".utf8))
        return input + "." + Base64URL.encode(try key.sign(alg: .es256, message: Array(input.utf8)))
    }

    private func token(_ proofs: [String]) throws -> DevResponse {
        try makeIssuer().handle(post("/oauth/token", [("grant_type", "client_credentials")],
                                     headers: [basic("service", "s3cret+/=value")] + proofs.map { (name: "DPoP", value: $0) }), now: t0)
    }

    func testProofBindsTheAccessToken() throws {
        let key = try SigningKey.generate(.p256)
        let body = json(try token([try proof(key)]))
        XCTAssertEqual(body["token_type"] as? String, "DPoP")
        let access = try XCTUnwrap(body["access_token"] as? String)
        let claims = try XCTUnwrap(jwtParts(access)?.claims)
        XCTAssertEqual((claims["cnf"] as? [String: Any])?["jkt"] as? String, key.jwkThumbprint())
        XCTAssertEqual(json(try token([]))["token_type"] as? String, "Bearer", "no proof, no binding")
    }

    func testInvalidProofIsRefused() throws {
        let key = try SigningKey.generate(.p256)
        assertOAuthError(try token([try proof(key, htu: "http://127.0.0.1:9000/oauth/other")]), "invalid_dpop_proof")
        assertOAuthError(try token([try proof(key, iat: t0 - 3600)]), "invalid_dpop_proof")
        assertOAuthError(try token([try proof(key), try proof(key)]), "invalid_dpop_proof")
    }

    func testThumbprintAgreesWithTheSigningKeys() throws {
        for type in SigningKey.KeyType.allCases {
            let key = try SigningKey.generate(type)
            let text = "{" + key.publicJWK(kid: "k", alg: key.defaultAlgorithm).map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}"
            let members = try XCTUnwrap(try JSONParser.parse(Array(text.utf8)).objectValue)
            XCTAssertEqual(JWKThumbprint.sha256(of: members), key.jwkThumbprint(), type.rawValue)
        }
    }

    func testTargetURINormalization() {
        XCTAssertEqual(HTTPTargetURI.normalize("HTTPS://Example.COM:443/a/./b/../c/%7euser?q#f"), "https://example.com/a/c/~user")
        XCTAssertEqual(HTTPTargetURI.normalize("http://example.com"), "http://example.com/")
        XCTAssertEqual(HTTPTargetURI.normalize("http://example.com:8080/%2f"), "http://example.com:8080/%2F")
        XCTAssertNil(HTTPTargetURI.normalize("http://user@example.com/"))
        XCTAssertNil(HTTPTargetURI.normalize("ftp://example.com/"))
        XCTAssertNil(HTTPTargetURI.normalize("/relative"))
    }
}
