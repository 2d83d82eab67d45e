import XCTest
@testable import Config

/// `issuers[].dpop` and the top-level `dpop` object.
final class DPoPConfigTests: XCTestCase {
    func testIssuerModeAndDefaults() throws {
        let issuers = "[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "algorithms": ["ES256"], "dpop": "required""#))]"
        let config = try load(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api"}]"#, issuers: issuers))
        XCTAssertEqual(config.issuers[0].dpop, .required)
        XCTAssertEqual(config.dpop, DPoPSettings(proofMaxAgeSeconds: 300, replayCacheEntries: 100_000, nonceSecret: nil, nonceWindowSeconds: 300))
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api"}]"#,
                                             issuers: "[\(ConfigFixture.issuer(#""jwks_uri": "https://id.example/jwks", "algorithms": ["ES256"], "dpop": "always""#))]"),
                          "issuers[0].dpop: unknown dpop mode \"always\"; known: allowed, required")
    }

    func testNonceSecretMustBeLongEnough() throws {
        assertConfigError(ConfigFixture.minimal(#""dpop": {"nonce_secret_env": "N"}"#), "dpop.nonce_secret_env: the nonce secret must be at least 32 bytes",
                          environment: ["N": "short"])
        let config = try load(ConfigFixture.minimal(#""dpop": {"nonce_secret_env": "N", "nonce_window_seconds": 60, "proof_max_age_seconds": 120}"#),
                              environment: ["N": String(repeating: "k", count: 32)])
        XCTAssertEqual(config.dpop.nonceSecret, .environment(name: "N"))
        XCTAssertEqual(config.dpop.nonceWindowSeconds, 60)
        XCTAssertEqual(config.dpop.proofMaxAgeSeconds, 120)
    }
}
