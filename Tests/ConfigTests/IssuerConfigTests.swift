import Foundation
import XCTest
@testable import Config

final class IssuerConfigTests: XCTestCase {
    private func issuers(_ list: String, environment: [String: String] = [:], baseDirectory: String = "/nonexistent")
        throws(ConfigError) -> [IssuerSettings] {
        try load(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api"}]"#, issuers: list),
                 baseDirectory: baseDirectory, environment: environment).issuers
    }

    private func assertIssuerError(_ list: String, _ message: String, environment: [String: String] = [:],
                                   file: StaticString = #filePath, line: UInt = #line) {
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api"}]"#, issuers: list), message,
                          environment: environment, file: file, line: line)
    }

    func testDefaults() throws {
        let issuer = try XCTUnwrap(try issuers("[\(ConfigFixture.issuer)]").first)
        XCTAssertEqual(issuer, IssuerSettings(issuer: "https://id.example", keySource: .jwksURI("https://id.example/jwks"),
                                              audiences: nil, algorithms: ["RS256"], clockSkewSeconds: 60, requireExp: true,
                                              requiredClaims: [], requireTyp: nil, jwksRefresh: JWKSRefreshSettings()))
        XCTAssertEqual(JWKSRefreshSettings(), JWKSRefreshSettings(defaultSeconds: 300, minSeconds: 60, maxSeconds: 86400,
                                                                  unknownKidMinIntervalSeconds: 30, maxStaleSeconds: 86400,
                                                                  timeoutMilliseconds: 5000))
    }

    func testRejectsAlgNone() {
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "algorithms": ["RS256", "none"]"#))]",
                          "issuers[0].algorithms[1]: algorithm \"none\" is never accepted")
    }

    func testRejectsUnknownAlgorithm() {
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "algorithms": ["rs256"]"#))]",
                          "issuers[0].algorithms[0]: unknown algorithm \"rs256\" (did you mean \"RS256\"?); known: RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, HS256, HS384, HS512")
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "algorithms": []"#))]",
                          "issuers[0].algorithms: must not be empty")
    }

    func testRejectsHMACAlgorithmWithJWKSKeys() {
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "algorithms": ["RS256", "HS256"]"#))]",
                          "issuers[0].algorithms[1]: HS256 is only allowed with hmac_secret_file or hmac_secret_env, never with keys from a JWKS")
    }

    func testRejectsPublicKeyAlgorithmWithHMACSecret() {
        let secret = String(repeating: "k", count: 40)
        assertIssuerError("[\(ConfigFixture.issuer(#""hmac_secret_env": "SECRET", "algorithms": ["HS256", "RS256"]"#))]",
                          "issuers[0].algorithms[1]: RS256 needs a public-key source (jwks_uri, discovery, jwks_file or jwks), not an HMAC secret",
                          environment: ["SECRET": secret])
    }

    func testRequiresExactlyOneKeySource() {
        assertIssuerError("[\(ConfigFixture.issuer(#""algorithms": ["RS256"]"#))]",
                          "issuers[0]: needs exactly one key source: jwks_uri, discovery, jwks_file, jwks, hmac_secret_file or hmac_secret_env (or introspection)")
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "discovery": true, "algorithms": ["RS256"]"#))]",
                          "issuers[0]: more than one key source (jwks_uri, discovery)")
    }

    func testRejectsDuplicateIssuer() {
        assertIssuerError("[\(ConfigFixture.issuer), \(ConfigFixture.issuer)]",
                          "issuers[1].issuer: duplicate issuer \"https://id.example\" (also issuers[0])")
    }

    func testRejectsBadJWKSURI() {
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_uri": "ftp://id.example/jwks", "algorithms": ["RS256"]"#))]",
                          "issuers[0].jwks_uri: URL scheme must be http or https, got \"ftp://id.example/jwks\"")
    }

    func testMissingJWKSFile() {
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_file": "keys/jwks.json", "algorithms": ["RS256"]"#))]",
                          "issuers[0].jwks_file: file not found: /nonexistent/keys/jwks.json")
    }

    func testRelativeJWKSFileResolvesAgainstConfigDirectory() throws {
        let directory = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/keys", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory + "/keys/jwks.json", contents: Data(#"{"keys":[]}"#.utf8))
        let json = ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api"}]"#,
                                      issuers: "[\(ConfigFixture.issuer(#""jwks_file": "keys/jwks.json", "algorithms": ["ES256"]"#))]")
        _ = FileManager.default.createFile(atPath: directory + "/portcullis.json", contents: Data(json.utf8))
        let config = try ConfigLoader.load(path: directory + "/portcullis.json", environment: [:])
        XCTAssertEqual(config.issuers[0].keySource, .jwksFile(path: directory + "/keys/jwks.json"))
    }

    func testInlineJWKSIsReserialized() throws {
        let list = "[\(ConfigFixture.issuer(#""jwks": {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}, "algorithms": ["EdDSA"]"#))]"
        let source = try issuers(list)[0].keySource
        guard case .inlineJWKS(let bytes)? = source else { return XCTFail(String(describing: source)) }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self),
                       #"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#)
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks": {"keys": []}, "algorithms": ["EdDSA"]"#))]",
                          "issuers[0].jwks.keys: must not be empty")
    }

    func testInlineJWKSWithBadKeyMaterialFailsAtLoadNamingTheKey() {
        let good = #"{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
        func list(_ keys: String) -> String { "[\(ConfigFixture.issuer(#""jwks": {"keys": [\#(keys)]}, "algorithms": ["EdDSA"]"#))]" }
        assertIssuerError(list(good + #", {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}"#),
                          "issuers[0].jwks.keys[1]: unusable key (invalid_key_material)")
        assertIssuerError(list(#"{"kty": "RSA", "n": "not base64url!", "e": "AQAB"}"#),
                          "issuers[0].jwks.keys[0]: unusable key (invalid_member)")
        assertIssuerError(list(#"{"kty": "oct", "k": "c2VjcmV0"}"#), "issuers[0].jwks.keys[0]: unusable key (symmetric_key)")
        assertIssuerError(list(good.dropLast() + #", "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}"#),
                          "issuers[0].jwks.keys[0]: unusable key (private_key_material)")
        assertIssuerError(list("1"), "issuers[0].jwks.keys[0]: unusable key (not_an_object)")
    }

    func testHMACSecretFromEnvironmentMustExistAndBeLongEnough() throws {
        let list = "[\(ConfigFixture.issuer(#""hmac_secret_env": "PORTCULLIS_SECRET", "algorithms": ["HS256"]"#))]"
        assertIssuerError(list, "issuers[0].hmac_secret_env: environment variable PORTCULLIS_SECRET is not set")
        assertIssuerError(list, "issuers[0].hmac_secret_env: HMAC secret must be at least 32 bytes",
                          environment: ["PORTCULLIS_SECRET": "short-secret"])
        let secret = String(repeating: "s", count: 32)
        let source = try issuers(list, environment: ["PORTCULLIS_SECRET": secret])[0].keySource
        XCTAssertEqual(source, .hmacSecretEnvironment(name: "PORTCULLIS_SECRET"))
        XCTAssertEqual(try source?.loadSharedSecret(environment: ["PORTCULLIS_SECRET": secret + "\n"]), Array(secret.utf8))
    }

    func testHMACSecretFile() throws {
        let directory = try temporaryDirectory()
        _ = FileManager.default.createFile(atPath: directory + "/hs.key", contents: Data((String(repeating: "z", count: 48) + "\n").utf8))
        let list = "[\(ConfigFixture.issuer(#""hmac_secret_file": "hs.key", "algorithms": ["HS512"]"#))]"
        let source = try issuers(list, baseDirectory: directory)[0].keySource
        XCTAssertEqual(try source?.loadSharedSecret(environment: [:]).count, 48)
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api"}]"#,
                                             issuers: "[\(ConfigFixture.issuer(#""hmac_secret_file": "missing.key", "algorithms": ["HS256"]"#))]"),
                          "issuers[0].hmac_secret_file: cannot read secret file \(directory)/missing.key", baseDirectory: directory)
    }

    func testDiscoveryNeedsURLIssuer() {
        assertIssuerError(#"[{"issuer": "my-issuer", "discovery": true, "algorithms": ["RS256"]}]"#,
                          "issuers[0].issuer: expected a URL, got \"my-issuer\"")
    }

    func testJWKSRefreshBoundsAreConsistent() {
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "algorithms": ["RS256"], "jwks_refresh": {"min_seconds": 600, "max_seconds": 60}"#))]",
                          "issuers[0].jwks_refresh.min_seconds: must not exceed max_seconds (60)")
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "algorithms": ["RS256"], "jwks_refresh": {"default_seconds": 30}"#))]",
                          "issuers[0].jwks_refresh.default_seconds: must be within min_seconds...max_seconds (60...86400)")
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "algorithms": ["RS256"], "jwks_refresh": {"timeout_ms": 0}"#))]",
                          "issuers[0].jwks_refresh.timeout_ms: must be greater than 0, got 0")
    }

    func testAudiencesMustNotBeEmptyWhenGiven() {
        assertIssuerError("[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "algorithms": ["RS256"], "audiences": []"#))]",
                          "issuers[0].audiences: must not be empty")
    }
}
