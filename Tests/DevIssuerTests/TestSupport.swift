import Foundation
import XCTest
import JOSE
@testable import DevIssuer
import PortcullisCrypto
import TextCoding

/// Fixed clock for every test (2023-11-14T22:13:20Z).
let t0: Int64 = 1_700_000_000

let seedScopes = ["read:port_calls", "write:port_calls", "read:vessels", "read:invoices", "write:invoices", "admin"]
let webRedirect = "https://app.example.com/callback"

/// One issuer with a client of every kind. Key generation is the slow part, so issuers load
/// the same keys from `sharedKeysDirectory`.
func makeConfiguration(algorithm: AccessTokenAlgorithm = .rs256, grace: Int64 = 3600) -> DevIssuerConfiguration {
    DevIssuerConfiguration(
        issuer: "http://127.0.0.1:9000", audience: "portcullis-demo", keyRotationGracePeriod: grace,
        accessTokenAlgorithm: algorithm,
        user: DevUser(sub: "dev-user-1", name: "Dev <User>", email: "dev@example.com"),
        clients: [
            DevClient(id: "service", secret: "s3cret+/=value", grantTypes: [.clientCredentials],
                      scopes: ["read:port_calls", "read:vessels"]),
            DevClient(id: "web", secret: "web-secret", grantTypes: [.authorizationCode, .refreshToken],
                      scopes: seedScopes, redirectURIs: [webRedirect]),
            DevClient(id: "spa", secret: nil, grantTypes: [.authorizationCode, .refreshToken],
                      scopes: ["read:port_calls", "read:vessels"], redirectURIs: ["http://127.0.0.1:3000/cb?x=1"]),
            DevClient(id: "tv", secret: nil, grantTypes: [.deviceCode, .refreshToken], scopes: ["read:vessels"]),
            DevClient(id: "other", secret: "other-secret", grantTypes: [.clientCredentials, .refreshToken,
                                                                         .authorizationCode],
                      scopes: ["read:vessels"], redirectURIs: [webRedirect]),
        ],
        keysDirectory: sharedKeysDirectory)
}

/// Keys generated once per test run and loaded by every issuer (RSA generation is slow).
let sharedKeysDirectory = NSTemporaryDirectory() + "portcullis-devissuer-tests-\(getpid())"

func makeIssuer(algorithm: AccessTokenAlgorithm = .rs256, grace: Int64 = 3600) throws -> DevIssuer {
    try DevIssuer(configuration: makeConfiguration(algorithm: algorithm, grace: grace))
}

func form(_ pairs: [(String, String)]) -> [UInt8] {
    Array(pairs.map { FormEncoding.encodeComponent($0.0) + "=" + FormEncoding.encodeComponent($0.1) }
        .joined(separator: "&").utf8)
}

func post(_ path: String, _ pairs: [(String, String)], headers: [(name: String, value: String)] = []) -> DevRequest {
    DevRequest(method: "POST", path: path,
               headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: form(pairs))
}

func get(_ path: String, _ pairs: [(String, String)] = [], headers: [(name: String, value: String)] = []) -> DevRequest {
    DevRequest(method: "GET", path: path, query: String(decoding: form(pairs), as: UTF8.self), headers: headers)
}

func basic(_ id: String, _ secret: String) -> (name: String, value: String) {
    let raw = FormEncoding.encodeComponent(id) + ":" + FormEncoding.encodeComponent(secret)
    return ("Authorization", "Basic " + Data(raw.utf8).base64EncodedString())
}

func json(_ response: DevResponse, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
    guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
        XCTFail("body is not a JSON object: \(String(decoding: response.body, as: UTF8.self))", file: file, line: line)
        return [:]
    }
    return object
}

/// Asserts an OAuth error response with `code` and `status`, and the no-store header.
func assertOAuthError(_ response: DevResponse, _ code: String, status: Int = 400,
                      file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(response.status, status, file: file, line: line)
    let body = json(response, file: file, line: line)
    XCTAssertEqual(body["error"] as? String, code, file: file, line: line)
    XCTAssertNotNil(body["error_description"] as? String, file: file, line: line)
    XCTAssertEqual(response.header("Cache-Control"), "no-store", file: file, line: line)
}

/// The query parameters of a redirect's `Location`.
func redirectParameters(_ response: DevResponse, file: StaticString = #filePath, line: UInt = #line) -> [String: String] {
    guard let location = response.header("Location"), let mark = location.firstIndex(of: "?"),
          let pairs = FormEncoding.decodePairs(Array(location[location.index(after: mark)...].utf8)) else {
        XCTFail("no redirect query", file: file, line: line)
        return [:]
    }
    return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
}

/// A fresh PKCE verifier and its S256 challenge.
func pkcePair() -> (verifier: String, challenge: String) {
    let verifier = Base64URL.encode(SecureRandom.bytes(32))
    return (verifier, Base64URL.encode(SHA256Digest(hashing: Array(verifier.utf8)).bytes))
}

/// Decodes a JWT's header and claims without verifying (the tests verify separately).
func jwtParts(_ token: String) -> (header: [String: Any], claims: [String: Any], signature: [UInt8])? {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let h = Base64URL.decode(Array(parts[0].utf8)), let c = Base64URL.decode(Array(parts[1].utf8)),
          let s = Base64URL.decode(Array(parts[2].utf8)),
          let hv = try? JSONParser.parse(h), let cv = try? JSONParser.parse(c),
          let header = JSONCoding.foundationValue(hv) as? [String: Any],
          let claims = JSONCoding.foundationValue(cv) as? [String: Any] else { return nil }
    return (header, claims, s)
}

/// Verifies `token`'s signature with the issuer's published key named by its `kid`.
func signatureVerifies(_ token: String, issuer: DevIssuer) -> Bool {
    guard let parts = jwtParts(token), let kid = parts.header["kid"] as? String,
          let alg = parts.header["alg"] as? String,
          let published = issuer.publishedKeys.first(where: { $0.kid == kid }),
          published.algorithm.rawValue == alg,
          let lastDot = token.lastIndex(of: ".") else { return false }
    return published.key.verify(alg: published.algorithm.signingAlgorithm,
                                message: Array(token[..<lastDot].utf8), signature: parts.signature)
}

extension DevIssuer {
    /// Runs the authorization-code flow for `client` and returns the token response.
    func codeFlow(client: String = "web", secret: String? = "web-secret", redirect: String = webRedirect,
                  scope: String? = nil, now: Int64 = t0) -> DevResponse {
        let pkce = pkcePair()
        var query = [("response_type", "code"), ("client_id", client), ("redirect_uri", redirect),
                     ("state", "st"), ("code_challenge", pkce.challenge), ("code_challenge_method", "S256")]
        if let scope { query.append(("scope", scope)) }
        let authorized = handle(get("/oauth/authorize", query), now: now)
        guard let code = redirectParameters(authorized)["code"] else { return authorized }
        var body = [("grant_type", "authorization_code"), ("client_id", client), ("code", code),
                    ("redirect_uri", redirect), ("code_verifier", pkce.verifier)]
        if let secret { body.append(("client_secret", secret)) }
        return handle(post("/oauth/token", body), now: now)
    }
}
