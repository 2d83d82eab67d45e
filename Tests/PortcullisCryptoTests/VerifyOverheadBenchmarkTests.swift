import COpenSSL
import Foundation
import XCTest
@testable import PortcullisCrypto

/// Opt-in report: `PublicKey.verify` against a raw OpenSSL baseline shaped like `openssl speed`
/// (one reused, pre-initialised EVP_PKEY_CTX, EVP_PKEY_verify over a digest), interleaved in
/// short slices so both see the same machine load. Prints the ratio; asserts only correctness.
///
///     PORTCULLIS_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter VerifyOverheadBenchmarkTests
final class VerifyOverheadBenchmarkTests: XCTestCase {
    func testReportVerifyOverhead() throws {
        guard ProcessInfo.processInfo.environment["PORTCULLIS_BENCH"] == "1" else {
            throw XCTSkip("set PORTCULLIS_BENCH=1 to run")
        }
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 700)
        for (name, alg, kind) in [("RS256", SignatureAlgorithm.rs256, 0), ("ES256", .es256, 1), ("EdDSA", .eddsa, 2)] {
            let (key, signature, der) = try Self.signed(kind, input)
            var ours = 0, raw = 0
            var oursTime: Duration = .zero, rawTime: Duration = .zero
            let clock = ContinuousClock()
            for _ in 0..<20 {
                oursTime += clock.measure {
                    for _ in 0..<100 { XCTAssertTrue(key.verify(alg, signingInput: input, signature: signature)); ours += 1 }
                }
                rawTime += clock.measure {
                    for _ in 0..<100 { XCTAssertTrue(Self.rawVerify(key, kind, input, der)); raw += 1 }
                }
            }
            let o = Double(ours) / seconds(oursTime), r = Double(raw) / seconds(rawTime)
            print("BENCH \(name): PublicKey.verify \(Int(o))/s, raw baseline \(Int(r))/s, ratio \(String(format: "%.2f", o / r))")
        }
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Baseline: a context prepared once, as `openssl speed` does; the digest computed per call.
    static func rawVerify(_ key: PublicKey, _ kind: Int, _ input: [UInt8], _ sig: [UInt8]) -> Bool {
        if kind == 2 {
            let ctx = EVP_MD_CTX_new()
            defer { EVP_MD_CTX_free(ctx) }
            guard EVP_DigestVerifyInit_ex(ctx, nil, nil, nil, nil, key.pkey, nil) == 1 else { return false }
            return EVP_DigestVerify(ctx, sig, sig.count, input, input.count) == 1
        }
        let ctx = Prepared.shared.ctx(key)
        var digest = [UInt8](repeating: 0, count: 32)
        _ = SHA256(input, input.count, &digest)
        return EVP_PKEY_verify(ctx, sig, sig.count, digest, 32) == 1
    }

    final class Prepared: @unchecked Sendable {
        static let shared = Prepared()
        var contexts: [ObjectIdentifier: OpaquePointer] = [:]
        func ctx(_ key: PublicKey) -> OpaquePointer {
            if let c = contexts[ObjectIdentifier(key)] { return c }
            let c = EVP_PKEY_CTX_new_from_pkey(nil, key.pkey, nil)!
            precondition(EVP_PKEY_verify_init(c) == 1)
            precondition(EVP_PKEY_CTX_set_signature_md(c, HashFunction.sha256.evpMD) == 1)
            contexts[ObjectIdentifier(key)] = c
            return c
        }
    }

    /// A fresh key, a JOSE-form signature and the DER/plain form the baseline verifies.
    static func signed(_ kind: Int, _ input: [UInt8]) throws -> (PublicKey, [UInt8], [UInt8]) {
        let type = ["RSA", "EC", "ED25519"][kind]
        let gen = EVP_PKEY_CTX_new_from_name(nil, type, nil)!
        defer { EVP_PKEY_CTX_free(gen) }
        precondition(EVP_PKEY_keygen_init(gen) == 1)
        if kind == 0 { precondition(EVP_PKEY_CTX_set_rsa_keygen_bits(gen, 2048) == 1) }
        if kind == 1 { precondition(EVP_PKEY_CTX_set_group_name(gen, "prime256v1") == 1) }
        var pkey: OpaquePointer? = nil
        precondition(EVP_PKEY_keygen(gen, &pkey) == 1)
        let ctx = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(ctx) }
        let md = kind == 2 ? nil : HashFunction.sha256.evpMD
        precondition(EVP_DigestSignInit(ctx, nil, md, nil, pkey) == 1)
        var len = 0
        precondition(EVP_DigestSign(ctx, nil, &len, input, input.count) == 1)
        var sig = [UInt8](repeating: 0, count: len)
        precondition(EVP_DigestSign(ctx, &sig, &len, input, input.count) == 1)
        sig = Array(sig[0..<len])
        var jose = sig
        if kind == 1 {
            var p: UnsafePointer<UInt8>? = sig.withUnsafeBufferPointer { $0.baseAddress }
            let ecdsa = sig.withUnsafeBufferPointer { buf -> OpaquePointer? in
                p = buf.baseAddress
                return d2i_ECDSA_SIG(nil, &p, buf.count)
            }!
            defer { ECDSA_SIG_free(ecdsa) }
            var r = [UInt8](repeating: 0, count: 32), s = [UInt8](repeating: 0, count: 32)
            _ = BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa), &r, 32)
            _ = BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa), &s, 32)
            jose = r + s
        }
        let kindValue: PublicKey.Kind = kind == 0 ? .rsa(bits: 2048) : kind == 1 ? .ec(.p256) : .ed25519
        return (PublicKey(owning: pkey!, kind: kindValue), jose, sig)
    }
}
