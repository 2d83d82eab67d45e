import COpenSSL

/// Comparisons whose running time does not depend on the contents compared. The one place
/// secrets, tags, PKCE challenges and client secrets are compared.
public enum ConstantTime {
    /// `true` when `a` and `b` have the same length and bytes. Time depends only on the length
    /// (lengths are not secret: tags have a fixed public size).
    public static func equals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return true }
        return CRYPTO_memcmp(pa, pb, a.count) == 0
    }

    /// Array convenience for `equals(_:_:)`.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { equals(pa, $0) } }
    }

    /// Compares two secrets whose lengths are secret too (client secrets, presented codes):
    /// both sides are hashed with SHA-256 and the fixed-size digests compared with `equals`.
    ///
    /// Security invariant: run time depends only on the inputs' lengths (through hashing), not on
    /// their content, and never short-circuits on a length mismatch.
    public static func secretsEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        equals(SHA256Digest(hashing: a).bytes, SHA256Digest(hashing: b).bytes)
    }
}
