import COpenSSL

/// The few primitives the signing side (the development issuer) needs beyond keys:
/// randomness for identifiers, SHA-256 (PKCE, thumbprints) and secret comparison.
///
/// Kept under `Signing/` with a distinct name so it cannot collide with the verification-side
/// digest helpers of this module.
public enum SigningPrimitives {
    /// SHA-256 of `bytes` (32 bytes).
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest with SHA-256 only fails when memory allocation fails.
        precondition(ok == 1 && length == 32, "SHA-256 failed")
        return out
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        // Without randomness no identifier or code is safe to issue: stop rather than continue.
        precondition(ok == 1, "RAND_bytes failed")
        return out
    }

    /// Compares two secrets without leaking where (or whether, by length) they differ:
    /// both sides are hashed with SHA-256 and the digests compared with `CRYPTO_memcmp`.
    ///
    /// Security invariant: run time depends only on the inputs' lengths, not on their content,
    /// and never short-circuits on a length mismatch.
    public static func secretsEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let da = sha256(a)
        let db = sha256(b)
        return da.withUnsafeBytes { pa in
            db.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, 32) == 0 }
        }
    }
}
