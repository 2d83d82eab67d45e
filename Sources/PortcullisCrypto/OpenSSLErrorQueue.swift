import COpenSSL

/// The thread-local OpenSSL error queue. Hygiene invariant: every failure path that may have
/// left entries calls `clear()`, so a stale error never leaks into a later, unrelated call on
/// the same thread (and the queue never grows without bound).
enum OpenSSLErrorQueue {
    @inline(__always)
    static func clear() {
        ERR_clear_error()
    }
}
