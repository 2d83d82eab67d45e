import Foundation
import XCTest
@testable import DevIssuer
import PortcullisCrypto

/// Discovery, JWKS, key rotation with a grace period, key persistence.
final class DiscoveryAndKeysTests: XCTestCase {
    private func kids(_ jwks: [UInt8]) -> [String] {
        let object = (try? JSONSerialization.jsonObject(with: Data(jwks))) as? [String: Any]
        return ((object?["keys"] as? [[String: Any]]) ?? []).compactMap { $0["kid"] as? String }
    }

    func testDiscoveryDocument() throws {
        let issuer = try makeIssuer()
        let response = issuer.handle(get("/.well-known/openid-configuration"), now: t0)
        XCTAssertEqual(response.status, 200)
        let body = json(response)
        XCTAssertEqual(body["issuer"] as? String, "http://127.0.0.1:9000")
        XCTAssertEqual(body["token_endpoint"] as? String, "http://127.0.0.1:9000/oauth/token")
        XCTAssertEqual(body["authorization_endpoint"] as? String, "http://127.0.0.1:9000/oauth/authorize")
        XCTAssertEqual(body["device_authorization_endpoint"] as? String, "http://127.0.0.1:9000/oauth/device_authorization")
        XCTAssertEqual(body["jwks_uri"] as? String, "http://127.0.0.1:9000/.well-known/jwks.json")
        XCTAssertEqual(body["revocation_endpoint"] as? String, "http://127.0.0.1:9000/oauth/revoke")
        XCTAssertEqual(body["introspection_endpoint"] as? String, "http://127.0.0.1:9000/oauth/introspect")
        XCTAssertEqual(body["userinfo_endpoint"] as? String, "http://127.0.0.1:9000/oauth/userinfo")
        XCTAssertEqual(body["code_challenge_methods_supported"] as? [String], ["S256"])
        XCTAssertEqual(Set(body["grant_types_supported"] as? [String] ?? []),
                       ["authorization_code", "client_credentials", "refresh_token",
                        "urn:ietf:params:oauth:grant-type:device_code"])
        XCTAssertEqual(Set(body["token_endpoint_auth_methods_supported"] as? [String] ?? []),
                       ["client_secret_basic", "client_secret_post", "none"])
    }

    func testJWKSPublishesOneRS256AndOneES256PublicKey() throws {
        let issuer = try makeIssuer()
        let response = issuer.handle(get("/.well-known/jwks.json"), now: t0)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Cache-Control"), "max-age=60")
        let keys = try XCTUnwrap(json(response)["keys"] as? [[String: String]])
        XCTAssertEqual(keys.map { $0["alg"] ?? "" }.sorted(), ["ES256", "RS256"])
        XCTAssertEqual(Set(keys.map { $0["kid"] ?? "" }).count, 2)
        XCTAssertTrue(keys.allSatisfy { $0["d"] == nil && $0["use"] == "sig" })
        XCTAssertEqual(response.body, issuer.jwksJSON)
    }

    func testUnknownPathIs404() throws {
        XCTAssertEqual(try makeIssuer().handle(get("/nope"), now: t0).status, 404)
    }

    func testRotationKeepsOldKidDuringGraceThenDropsIt() throws {
        let issuer = try makeIssuer(grace: 300)
        let before = kids(issuer.jwksJSON)
        let oldToken = try issuer.mintAccessToken(clientID: "web", subject: "dev-user-1", scopes: [], now: t0)
        try issuer.rotateKeys(now: t0 + 10)
        let during = kids(issuer.handle(get("/.well-known/jwks.json"), now: t0 + 309).body)
        XCTAssertEqual(during.count, 4)
        XCTAssertTrue(Set(before).isSubset(of: Set(during)), "old kids stay published during the grace period")
        let newToken = try issuer.mintAccessToken(clientID: "web", subject: "dev-user-1", scopes: [], now: t0 + 20)
        let newKid = try XCTUnwrap(jwtParts(newToken)?.header["kid"] as? String)
        XCTAssertFalse(before.contains(newKid), "new tokens are signed by the new key")
        XCTAssertEqual(issuer.handle(get("/oauth/userinfo", headers: [("Authorization", "Bearer " + oldToken)]), now: t0 + 309).status,
                       200, "tokens of the old key still verify during the grace period")
        let after = kids(issuer.handle(get("/.well-known/jwks.json"), now: t0 + 310).body)
        XCTAssertEqual(after.count, 2)
        XCTAssertTrue(Set(before).isDisjoint(with: Set(after)), "old kids are gone after the grace period")
        XCTAssertEqual(kids(issuer.jwksJSON), after)
        XCTAssertEqual(issuer.handle(get("/oauth/userinfo", headers: [("Authorization", "Bearer " + oldToken)]), now: t0 + 311).status,
                       401)
        XCTAssertEqual(issuer.handle(get("/oauth/userinfo", headers: [("Authorization", "Bearer " + newToken)]), now: t0 + 311).status,
                       200)
    }

    func testKeysDirectoryPersistsKeysWithPrivateMode() throws {
        let directory = NSTemporaryDirectory() + "portcullis-keys-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = makeConfiguration()
        configuration.keysDirectory = directory
        let first = try DevIssuer(configuration: configuration)
        let second = try DevIssuer(configuration: configuration)
        XCTAssertEqual(kids(first.jwksJSON), kids(second.jwksJSON), "a restart loads the same keys")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/rs256.pem")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let token = try first.mintAccessToken(clientID: "web", subject: "dev-user-1", scopes: [], now: t0)
        XCTAssertTrue(signatureVerifies(token, issuer: second))
    }

    func testKeysDirectoryRejectsWrongKeyType() throws {
        let directory = NSTemporaryDirectory() + "portcullis-keys-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ec = try SigningKey.generate(.p256).pkcs8PEM()
        XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/rs256.pem", contents: Data(ec)))
        var configuration = makeConfiguration()
        configuration.keysDirectory = directory
        XCTAssertThrowsError(try DevIssuer(configuration: configuration)) {
            XCTAssertEqual(($0 as? DevIssuerConfigurationError)?.code, .keyStorage)
        }
    }

    func testConfigurationRejectsBadIssuerAndDuplicateClients() {
        var configuration = makeConfiguration()
        configuration.issuer = "http://127.0.0.1:9000/"
        XCTAssertThrowsError(try DevIssuer(configuration: configuration)) {
            XCTAssertEqual(($0 as? DevIssuerConfigurationError)?.code, .invalidIssuer)
        }
        configuration = makeConfiguration()
        configuration.clients.append(configuration.clients[0])
        XCTAssertThrowsError(try DevIssuer(configuration: configuration)) {
            XCTAssertEqual(($0 as? DevIssuerConfigurationError)?.code, .duplicateClient)
        }
    }
}
