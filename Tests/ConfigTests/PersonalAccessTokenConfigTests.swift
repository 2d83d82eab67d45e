import XCTest
import JOSE
@testable import Config

/// `personal_access_tokens` and its file, validated at load time (so `portcullis check` validates it).
final class PersonalAccessTokenConfigTests: XCTestCase {
    let hash = String(repeating: "ab", count: 32)

    func write(_ text: String, in directory: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/pats.json"))
    }

    func testIssueExampleLoads() throws {
        let dir = try temporaryDirectory()
        try write(#"{"tokens": [{"name": "ci-deploy", "sha256": "\#(hash)", "subject": "user-42", "scopes": ["read:port_calls"], "expires_at": "2027-01-01T00:00:00Z"}]}"#, in: dir)
        let config = try load(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "issuers": ["personal_access_tokens"]}]"#,
                                                 extra: #""personal_access_tokens": {"file": "pats.json"}"#), baseDirectory: dir)
        let pats = try XCTUnwrap(config.personalAccessTokens)
        XCTAssertEqual(pats.file, dir + "/pats.json")
        XCTAssertEqual(pats.tokens, [PersonalAccessTokenEntry(name: "ci-deploy", sha256: Array(repeating: 0xAB, count: 32),
                                                              subject: "user-42", scopes: ["read:port_calls"], expiresAt: 1_798_761_600)])
    }

    func testRouteMayNamePersonalAccessTokensOnlyWhenConfigured() {
        assertConfigError(ConfigFixture.with(routes: #"[{"path": "/a", "upstream": "api", "issuers": ["personal_access_tokens"]}]"#),
                          "routes[0].issuers[0]: no issuer named \"personal_access_tokens\"")
    }

    func testBadFilesNameTheEntry() throws {
        let dir = try temporaryDirectory()
        let extra = #""personal_access_tokens": {"file": "pats.json"}"#
        assertConfigError(ConfigFixture.minimal(extra), "personal_access_tokens.file: \(dir)/pats.json: cannot read the personal access token file",
                          baseDirectory: dir)
        try write(#"{"tokens": [{"name": "a", "sha256": "abc", "subject": "u", "scopes": []}]}"#, in: dir)
        assertConfigError(ConfigFixture.minimal(extra), "personal_access_tokens.file: \(dir)/pats.json: tokens[0].sha256: expected the SHA-256 of the token as 64 hex digits", baseDirectory: dir)
        try write(#"{"tokens": [{"name": "a", "sha256": "\#(hash)", "subject": "u", "scopes": []}, {"name": "b", "sha256": "\#(hash)", "subject": "u", "scopes": []}]}"#, in: dir)
        assertConfigError(ConfigFixture.minimal(extra), "personal_access_tokens.file: \(dir)/pats.json: tokens[1]: duplicate sha256", baseDirectory: dir)
        try write(#"{"tokens": [{"name": "a", "sha256": "\#(hash)", "subject": "u", "scopes": [], "expires_at": "2027-01-01"}]}"#, in: dir)
        assertConfigError(ConfigFixture.minimal(extra), "personal_access_tokens.file: \(dir)/pats.json: tokens[0].expires_at: expected an RFC 3339 date-time such as 2027-01-01T00:00:00Z", baseDirectory: dir)
        try write(#"{"tokens": [{"name": "a", "token": "pcl_pat_x", "sha256": "\#(hash)", "subject": "u", "scopes": []}]}"#, in: dir)
        assertConfigError(ConfigFixture.minimal(extra), "personal_access_tokens.file: \(dir)/pats.json: tokens[0].token: unknown key", baseDirectory: dir)
    }

    func testRFC3339Parsing() {
        XCTAssertEqual(Timestamp.parseRFC3339("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(Timestamp.parseRFC3339("2027-01-01T00:00:00Z"), 1_798_761_600)
        XCTAssertEqual(Timestamp.parseRFC3339("2027-01-01T01:00:00.123+01:00"), 1_798_761_600)
        XCTAssertEqual(Timestamp.parseRFC3339("2024-02-29T12:00:00Z").map(Timestamp.rfc3339), "2024-02-29T12:00:00Z")
        for bad in ["2027-01-01", "2027-01-01T00:00:00", "2027-13-01T00:00:00Z", "2027-01-01T00:00:00Zx", "2027-01-01 00:00:00Z", "2027-01-01T00:00:00.Z"] {
            XCTAssertNil(Timestamp.parseRFC3339(bad), bad)
        }
    }
}
