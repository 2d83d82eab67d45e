import XCTest
import Foundation
import Config

final class EmbeddedDefaultConfigTests: XCTestCase {
    /// `swift run portcullis` outside the repository serves the embedded copy: it must never drift
    /// from the documented `config/portcullis.json`.
    func testEmbeddedCopyEqualsTheConfigFile() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: repo.appendingPathComponent("config/portcullis.json"), encoding: .utf8)
        XCTAssertEqual(EmbeddedDefaultConfig.json.trimmingCharacters(in: .whitespacesAndNewlines),
                       file.trimmingCharacters(in: .whitespacesAndNewlines),
                       "regenerate Sources/Config/EmbeddedDefaultConfig.swift from config/portcullis.json")
    }

    func testEmbeddedCopyIsAValidConfig() throws {
        let config = try ConfigLoader.parse(bytes: Array(EmbeddedDefaultConfig.json.utf8), baseDirectory: "/")
        XCTAssertNotNil(config.devIssuer)
        XCTAssertNotNil(config.demoAPI)
        XCTAssertFalse(config.routes.isEmpty)
    }
}
