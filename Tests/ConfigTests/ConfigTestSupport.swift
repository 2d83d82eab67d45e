import Foundation
import XCTest
@testable import Config

/// Builds configuration JSON around a minimal valid document.
enum ConfigFixture {
    static let upstreams = #""upstreams": {"api": {"targets": ["http://127.0.0.1:9100"]}}"#
    static let routes = #""routes": [{"path": "/v1/**", "upstream": "api", "public": true}]"#
    static let issuer = #"{"issuer": "https://id.example", "jwks_uri": "https://id.example/jwks", "algorithms": ["RS256"]}"#

    /// A valid document with `extra` members appended (which may replace nothing: use `custom` for that).
    static func minimal(_ extra: String = "") -> String {
        "{\"listen\": \"127.0.0.1:8080\", \(upstreams), \(routes)\(extra.isEmpty ? "" : ", " + extra)}"
    }

    /// A document with the given routes and issuers.
    static func with(routes: String, issuers: String = "[]", extra: String = "") -> String {
        "{\"listen\": \"127.0.0.1:8080\", \(upstreams), \"routes\": \(routes), \"issuers\": \(issuers)\(extra.isEmpty ? "" : ", " + extra)}"
    }

    static func issuer(_ members: String) -> String {
        "{\"issuer\": \"https://id.example\", \(members)}"
    }
}

extension XCTestCase {
    func load(_ json: String, baseDirectory: String = "/nonexistent", environment: [String: String] = [:])
        throws(ConfigError) -> PortcullisConfig {
        try ConfigLoader.parse(bytes: Array(json.utf8), baseDirectory: baseDirectory, environment: environment)
    }

    /// Asserts that `json` fails with exactly `message` (`path: message`).
    func assertConfigError(_ json: String, _ message: String, baseDirectory: String = "/nonexistent",
                           environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try load(json, baseDirectory: baseDirectory, environment: environment)
            XCTFail("expected error \(message)", file: file, line: line)
        } catch {
            XCTAssertEqual(error.description, message, file: file, line: line)
        }
    }

    /// A fresh temporary directory.
    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "portcullis-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
