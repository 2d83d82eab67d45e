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
        let hashes = run(seconds: 1) { token.withUnsafeBytes { SHA256Digest(hashing: $0).words.0 != 0 } }
        print("BENCH sha256(token) \(hashes)/s")
    }

    private func run(seconds: Double, _ body: () -> Bool) -> Int {
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(Int(seconds * 1000))
        var count = 0
        while clock.now < end {
            for _ in 0..<64 { XCTAssertTrue(body()); count += 1 }
        }
        return count
    }
}
