import Foundation
import XCTest

/// Replays every committed fuzz input (`fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`)
/// through the same invariant checks the libFuzzer binary runs, so a regression fails
/// `swift test` (and CI) without a fuzzing toolchain. Fast: no mutation, just the inputs.
final class CorpusReplayTests: XCTestCase {
    func testEveryCorpusInputKeepsItsTargetsInvariants() throws {
        var replayed = 0
        for target in FuzzTarget.all {
            for folder in ["fuzz/corpus/", "fuzz/regressions/"] {
                let directory = FuzzFiles.root.appendingPathComponent(folder + target.name)
                let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
                for name in names.sorted() {
                    let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
                    FuzzCheck.failureHandler = { message in XCTFail("\(folder)\(target.name)/\(name): \(message)") }
                    target.run(bytes)
                    replayed += 1
                }
            }
        }
        FuzzCheck.failureHandler = nil
        XCTAssertGreaterThan(replayed, 100, "the corpora are missing")
    }
}
