import COpenSSL
import Locks

/// Reusable `EVP_MD_CTX`s for one digest. A context is checked out by exactly one thread at a
/// time (the mutex is held only for the pop and the push), so contexts are never shared
/// concurrently; at most `maximumIdle` idle ones are kept, the rest freed.
final class DigestContextPool: @unchecked Sendable {
    static let sha256 = DigestContextPool(.sha256)
    static let sha384 = DigestContextPool(.sha384)
    static let sha512 = DigestContextPool(.sha512)

    static func pool(for hash: HashFunction) -> DigestContextPool {
        switch hash {
        case .sha256: return sha256
        case .sha384: return sha384
        case .sha512: return sha512
        }
    }
    static let maximumIdle = 16

    private struct Handle: @unchecked Sendable { let ctx: OpaquePointer }
    private let hash: HashFunction
    private let idle = Locked<[Handle]>([])

    private init(_ hash: HashFunction) { self.hash = hash }

    /// Writes the digest of `count` bytes at `data` to `out` (`hash.digestLength` bytes).
    /// False if OpenSSL failed (the caller falls back to the one-shot function).
    func digest(_ data: UnsafeRawPointer, _ count: Int, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        guard let ctx = idle.withLock({ $0.popLast() })?.ctx ?? EVP_MD_CTX_new() else { return false }
        let ok = EVP_DigestInit_ex2(ctx, hash.evpMD, nil) == 1
            && EVP_DigestUpdate(ctx, data, count) == 1
            && EVP_DigestFinal_ex(ctx, out, nil) == 1
        guard ok else {
            EVP_MD_CTX_free(ctx)
            OpenSSLErrorQueue.clear()
            return false
        }
        let handle = Handle(ctx: ctx)
        let kept = idle.withLock { pool -> Bool in
            guard pool.count < Self.maximumIdle else { return false }
            pool.append(handle)
            return true
        }
        if !kept { EVP_MD_CTX_free(ctx) }
        return true
    }
}
