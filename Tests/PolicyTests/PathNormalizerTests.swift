import XCTest
@testable import Policy

final class PathNormalizerTests: XCTestCase {
    private func normalized(_ target: String, file: StaticString = #filePath, line: UInt = #line) -> NormalizedTarget? {
        do { return try PathNormalizer.normalize(target) } catch {
            XCTFail("\(target) rejected: \(error.code.rawValue)", file: file, line: line)
            return nil
        }
    }

    private func rejection(_ target: String) -> PathRejection.Code? {
        do {
            _ = try PathNormalizer.normalize(target)
            return nil
        } catch {
            return error.code
        }
    }

    func testAcceptedTargetsNormalizeToExpectedPathAndQuery() {
        let table: [(String, String, String?)] = [
            ("/", "/", nil),
            ("/v1/status", "/v1/status", nil),
            ("/v1/status?x=1&y=%2F", "/v1/status", "x=1&y=%2F"),
            ("/v1/status?", "/v1/status", ""),
            ("/a?b?c", "/a", "b?c"),
            ("/v1/port-calls/", "/v1/port-calls/", nil),
            ("/v1//port-calls", "/v1/port-calls", nil),
            ("//v1///x//", "/v1/x/", nil),
            ("/a/./b", "/a/b", nil),
            ("/a/b/.", "/a/b/", nil),
            ("/a/b/..", "/a/", nil),
            ("/a/b/../c", "/a/c", nil),
            ("/a/%2e/b", "/a/b", nil),
            ("/a/%2E%2e/b", "/b", nil),
            ("/a/.%2e/b", "/b", nil),
            ("/%41%62c", "/Abc", nil),
            ("/%7euser", "/~user", nil),
            ("/caf%c3%a9", "/caf%C3%A9", nil),
            ("/a%20b", "/a%20b", nil),
            ("/a%3a%40", "/a%3A%40", nil),
            ("/x%252e%252e/y", "/x%252e%252e/y", nil),
            ("/files;v=1/x", "/files;v=1/x", nil),
            ("/a/x..%3B/y", "/a/x..%3B/y", nil),
        ]
        for (input, path, query) in table {
            let result = normalized(input)
            XCTAssertEqual(result?.path, path, "path of \(input)")
            XCTAssertEqual(result?.query, query, "query of \(input)")
        }
    }

    func testByteBufferEntryPointAgreesWithStringEntryPoint() throws {
        for target in ["/a/./b?x", "/v1/status", "/%2e%2e", "/a%2Fb", "/x;y/z"] {
            let fromString = Result { () throws(PathRejection) in try PathNormalizer.normalize(target) }
            let fromBytes = Array(target.utf8).withUnsafeBufferPointer { buffer in
                Result { () throws(PathRejection) in try PathNormalizer.normalize(buffer) }
            }
            XCTAssertEqual(fromString, fromBytes, target)
        }
    }

    func testTargetJoinsPathAndQuery() {
        XCTAssertEqual(normalized("/a/../b?q=1")?.target, "/b?q=1")
        XCTAssertEqual(normalized("/a/./b")?.target, "/a/b")
    }

    func testRejections() {
        let table: [(String, PathRejection.Code)] = [
            ("", .notOriginForm),
            ("v1/status", .notOriginForm),
            ("http://example.com/x", .notOriginForm),
            ("*", .notOriginForm),
            ("/v1/public/..%2Fadmin/x", .encodedSlash),
            ("/v1/public/..%2fadmin/x", .encodedSlash),
            ("/a%2F", .encodedSlash),
            ("/a\\..\\admin", .backslash),
            ("/a/%5C../admin", .backslash),
            ("/a/%5c", .backslash),
            ("/a%00.json", .nul),
            ("/a\u{0}b", .nul),
            ("/a%", .malformedPercentEncoding),
            ("/a%2", .malformedPercentEncoding),
            ("/a%zz", .malformedPercentEncoding),
            ("/a/%u002e%u002e/admin", .malformedPercentEncoding),
            ("/a b", .invalidCharacter),
            ("/a\tb", .invalidCharacter),
            ("/a\r\nX-Injected: 1", .invalidCharacter),
            ("/caf\u{e9}", .invalidCharacter),
            ("/a#frag", .invalidCharacter),
            ("/a\"b", .invalidCharacter),
            ("/a?b c", .invalidCharacter),
            ("/a?b#c", .invalidCharacter),
            ("/a?\u{7f}", .invalidCharacter),
            ("/..", .aboveRoot),
            ("/../admin", .aboveRoot),
            ("/a/../../admin", .aboveRoot),
            ("/%2e%2e/admin", .aboveRoot),
            ("/v1/public/..;/admin/x", .dotSegmentWithParameters),
            ("/v1/public/..;foo=bar/admin", .dotSegmentWithParameters),
            ("/v1/public/.;/admin", .dotSegmentWithParameters),
            ("/v1/;x/admin", .dotSegmentWithParameters),
            ("/v1/public/%2e%2e;/admin", .dotSegmentWithParameters),
            ("/v1/public/..%3b/admin", .dotSegmentWithParameters),
        ]
        for (input, code) in table {
            XCTAssertEqual(rejection(input), code, "\(input.debugDescription)")
        }
    }

    func testEveryRejectionIsA400WithItsOwnCode() {
        let codes = PathRejection.Code.allCases.map(\.rawValue)
        XCTAssertEqual(Set(codes).count, codes.count)
        for code in PathRejection.Code.allCases {
            XCTAssertEqual(PathRejection(code).status, 400)
            XCTAssertFalse(PathRejection(code).description.isEmpty)
        }
    }

    func testNormalizationIsIdempotent() {
        let inputs = ["/a/%2e%2e/b/./c//d/", "/x/%7e/%C3%A9;p=1", "/a/b/../../c?q", "/%41/%2D/%5F"]
        for input in inputs {
            guard let once = normalized(input), let twice = normalized(once.target) else { continue }
            XCTAssertEqual(once, twice, input)
        }
    }

    func testRandomTargetsNeverYieldDotSegmentsOrDoubleSlashes() {
        var generator = SplitMix64(seed: 7)
        let alphabet = Array("/.;%2eEfF5cC0a".utf8)
        for _ in 0..<5000 {
            let length = Int(generator.next() % 14) + 1
            var bytes: [UInt8] = [UInt8(ascii: "/")]
            for _ in 0..<length { bytes.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            let input = String(decoding: bytes, as: UTF8.self)
            guard let result = try? PathNormalizer.normalize(input) else { continue }
            let segments = result.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            XCTAssertTrue(result.path.hasPrefix("/"), input)
            XCTAssertFalse(result.path.contains("//"), input)
            for segment in segments {
                let name = segment.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                XCTAssertFalse(name == "." || name == "..", "\(input) -> \(result.path)")
            }
        }
    }
}

extension PathNormalizerTests {
    /// Differential test: the in-place resolver agrees with a plain stack-of-segments reference.
    func testResolverAgreesWithReferenceImplementation() {
        var generator = SplitMix64(seed: 99)
        let pieces = ["a", "b", ".", "..", "", "c;p", "%2e", "%2E%2e", "x.", ".y"]
        for _ in 0..<5000 {
            var target = ""
            for _ in 0..<Int(generator.next() % 7) { target += "/" + pieces[Int(generator.next() % UInt64(pieces.count))] }
            if target.isEmpty { target = "/" }
            let actual = Result { () throws(PathRejection) in try PathNormalizer.normalize(target).path }
            XCTAssertEqual(actual, reference(target), target)
        }
    }

    private func reference(_ target: String) -> Result<String, PathRejection> {
        let decoded = target.replacingOccurrences(of: "%2e", with: ".").replacingOccurrences(of: "%2E", with: ".")
        var stack: [Substring] = []
        let segments = decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        var trailing = false
        for (i, segment) in segments.enumerated() {
            let isLast = i == segments.count - 1
            trailing = false
            if segment.isEmpty { trailing = isLast; continue }
            if let semicolon = segment.firstIndex(of: ";") {
                let name = segment[..<semicolon]
                if name.isEmpty || name == "." || name == ".." { return .failure(PathRejection(.dotSegmentWithParameters)) }
            }
            if segment == "." { trailing = isLast; continue }
            if segment == ".." {
                if stack.isEmpty { return .failure(PathRejection(.aboveRoot)) }
                stack.removeLast()
                trailing = isLast
                continue
            }
            stack.append(segment)
        }
        let path = "/" + stack.joined(separator: "/")
        return .success(trailing && !stack.isEmpty ? path + "/" : path)
    }
}

/// Deterministic PRNG for reproducible fuzzing.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
