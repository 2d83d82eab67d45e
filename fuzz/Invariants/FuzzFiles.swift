import Foundation

/// Files of the repository, found from this source file's path (the fuzz binary and the replay
/// tests both run from a checkout).
enum FuzzFiles {
    /// The repository root.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The bytes of `path` (relative to the repository root).
    static func read(_ path: String) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
            fatalError("fuzz: cannot read \(path)")
        }
        return [UInt8](data)
    }
}
