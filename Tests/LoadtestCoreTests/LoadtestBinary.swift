import Foundation
import TestProcessSupport
import XCTest
@testable import LoadtestCore

/// Runs the built `loadtest` executable (a sibling of the test bundle in the build directory) and
/// decodes the JSON report it writes.
enum LoadtestBinary {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
        let reportJSON: Data?
    }

    struct MissingExecutable: Error, CustomStringConvertible { let description: String }

    static var path: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("loadtest").path
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingExecutable(description: "the loadtest executable is not built at \(path): run `swift build --build-tests` first")
        }
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("loadtest-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let result = runProcess(path, arguments + ["--json", json.path])
        return Outcome(status: result.status, stdout: result.stdout, stderr: result.stderr, reportJSON: try? Data(contentsOf: json))
    }

    static func runReport(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> RunSummary {
        let outcome = try run(arguments)
        XCTAssertEqual(outcome.status, 0, outcome.stderr, file: file, line: line)
        let data = try XCTUnwrap(outcome.reportJSON, "no JSON report; stderr: \(outcome.stderr)", file: file, line: line)
        return try JSONDecoder().decode(RunReport.self, from: data).run
    }
}
