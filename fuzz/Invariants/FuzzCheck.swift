import Foundation

/// How an invariant violation is reported. Under libFuzzer it traps (a crash the fuzzer saves
/// and minimizes); under the XCTest corpus replay the test installs a handler that records an
/// `XCTFail` with the input's file name, so a regression fails `swift test` instead of killing it.
enum FuzzCheck {
    /// Called with a description of the violated invariant; `nil` traps.
    nonisolated(unsafe) static var failureHandler: ((String) -> Void)?

    /// Reports `message` when `condition` is false.
    static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
        guard !condition() else { return }
        let text = "\(file):\(line): invariant violated: \(message())"
        if let failureHandler { return failureHandler(text) }
        FileHandle.standardError.write(Data((text + "\n").utf8))
        fatalError("fuzz invariant violated")
    }
}

/// A deterministic pseudo-random sequence (SplitMix64) seeded from the input itself, so a corpus
/// file always replays with the same splits and mutations, with no extra framing bytes in it.
struct FuzzRandom {
    private var state: UInt64

    /// Seeded with the FNV-1a hash of `bytes`.
    init(seededBy bytes: [UInt8]) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (`bound > 0`).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// `bytes` cut into pieces at random points (1 to 8 cuts, some pieces possibly empty).
    mutating func pieces(of bytes: [UInt8]) -> [[UInt8]] {
        guard !bytes.isEmpty else { return [bytes] }
        var cuts = (0..<(1 + below(8))).map { _ in below(bytes.count + 1) }
        cuts.sort()
        var out: [[UInt8]] = []
        var start = 0
        for cut in cuts {
            out.append(Array(bytes[start..<cut]))
            start = cut
        }
        out.append(Array(bytes[start...]))
        return out
    }
}
