import Foundation
import XCTest
@testable import JOSE
import PortcullisCrypto

/// Throughput report for the cache-miss path (parse + select + verify + claims), compared with
/// `openssl speed -seconds 3 rsa2048 ecdsap256 ed25519`. Opt-in, prints only, asserts only
/// correctness (no timed assertions in unit tests):
///
///     PORTCULLIS_BENCH=1 swift test -c release --filter VerificationBenchmarkTests
final class VerificationBenchmarkTests: XCTestCase {
    func testReportVerificationThroughput() throws {
        guard ProcessInfo.processInfo.environment["PORTCULLIS_BENCH"] == "1" else {
            throw XCTSkip("set PORTCULLIS_BENCH=1 to run")
        }
        let fixtures = Fixtures.shared
        let verifier = TokenVerifier()
        if let only = ProcessInfo.processInfo.environment["PORTCULLIS_BENCH_ONLY"] {
            // Fixed iteration count, for instruction counting (valgrind --tool=callgrind):
            // `parse`, `verify` (PublicKey.verify only) or `pipeline` (all steps) on RS256.
            let token = Array(fixtures.tokens["rs256_valid"]!.token.utf8)
            let iterations = Int(ProcessInfo.processInfo.environment["PORTCULLIS_BENCH_N"] ?? "") ?? 200_000
            let parsed = try verifier.parse(token)
            let key = fixtures.issuers["https://issuer.test"]!.keys.keys[0].publicKey
            var ok = 0
            for _ in 0..<iterations {
                switch only {
                case "parse": if (try? verifier.parse(token)) != nil { ok += 1 }
                case "verify":
                    if parsed.withSigningInput({ input in parsed.signature.withUnsafeBytes { key.verify(.rs256, signingInput: input, signature: $0) } }) { ok += 1 }
                case "pipeline": if (try? verifier.verify(token, now: fixtures.now) { fixtures.issuers[$0] }) != nil { ok += 1 }
                default: break
                }
            }
            XCTAssertEqual(ok, only == "none" ? 0 : iterations)
            return
        }
        for name in ["rs256_valid", "es256_valid", "eddsa_valid", "ps256_valid"] {
            let token = Array(fixtures.tokens[name]!.token.utf8)
            let parsed = try verifier.parse(token)
            let key: JWK
            switch fixtures.issuers["https://issuer.test"]!.configuration.selectKey(for: parsed.header, in: fixtures.issuers["https://issuer.test"]!.keys) {
            case .key(.jwk(let k)): key = k
            default: XCTFail("no key"); return
            }
            let signature = parsed.signature
            let rawCount = run(seconds: 2) {
                parsed.withSigningInput { input in
                    signature.withUnsafeBytes { key.publicKey.verify(parsed.header.algorithm.signatureAlgorithm!, signingInput: input, signature: $0) }
                }
            }
            let fullCount = run(seconds: 2) {
                (try? verifier.verify(token, now: fixtures.now) { fixtures.issuers[$0] }) != nil
            }
            print("BENCH \(name): PublicKey.verify \(rawCount / 2)/s, full pipeline \(fullCount / 2)/s")
        }
        let token = Array(fixtures.tokens["rs256_valid"]!.token.utf8)
        let parses = run(seconds: 1) { (try? verifier.parse(token)) != nil }
        print("BENCH parse only \(parses)/s (\(1_000_000_000 / max(parses, 1)) ns each)")
        let issuer = fixtures.issuers["https://issuer.test"]!
        let parsed = try verifier.parse(token)
        guard case .key(let key) = issuer.configuration.selectKey(for: parsed.header, in: issuer.keys) else { return XCTFail() }
        let selects = run(seconds: 1) {
            if case .key = issuer.configuration.selectKey(for: parsed.header, in: issuer.keys) { return true }
            return false
        }
        print("BENCH selectKey \(selects)/s")
        _ = key
        let hashes = run(seconds: 1) { token.withUnsafeBytes { SHA256Digest(hashing: $0).words.0 != 0 } }
        print("BENCH sha256(token) \(hashes)/s")
    }

    /// Operations per `seconds` of this thread's CPU time (steadier than wall time on a shared
    /// machine: time the scheduler gives to other processes is not counted).
    private func run(seconds: Double, _ body: () -> Bool) -> Int {
        let start = cpuSeconds()
        var count = 0
        var ok = true
        while cpuSeconds() - start < seconds {
            for _ in 0..<64 { ok = body() && ok; count += 1 }
        }
        XCTAssertTrue(ok)
        return count
    }

    private func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
