import COpenSSL

/// A SHA-256 digest held in four words: cheap to hash and compare, so it serves directly as the
/// verified-token cache key (no array allocation per lookup).
public struct SHA256Digest: Hashable, Sendable {
    /// The 32 digest bytes as four big-endian words.
    public let words: (UInt64, UInt64, UInt64, UInt64)

    /// SHA-256 of `data`. Not the one-shot `SHA256()`: in OpenSSL 3 it fetches the digest (a locked
    /// method-store lookup) and sets up a context on every call, which cost more than hashing a
    /// 1 KiB token. A pooled context and the pre-fetched `EVP_MD` avoid both.
    public init(hashing data: UnsafeRawBufferPointer) {
        var w: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &w) { out in
            let digest = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var empty: UInt8 = 0
            withUnsafeMutablePointer(to: &empty) { dummy in
                let base = data.baseAddress ?? UnsafeRawPointer(dummy)
                if !DigestContextPool.sha256.digest(base, data.count, into: digest) {
                    _ = SHA256(base.assumingMemoryBound(to: UInt8.self), data.count, digest)
                }
            }
        }
        words = (UInt64(bigEndian: w.0), UInt64(bigEndian: w.1), UInt64(bigEndian: w.2), UInt64(bigEndian: w.3))
    }

    /// SHA-256 of a byte array.
    public init(hashing data: [UInt8]) {
        self = data.withUnsafeBytes { SHA256Digest(hashing: $0) }
    }

    /// The 32 digest bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return out
    }

    public static func == (a: SHA256Digest, b: SHA256Digest) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
