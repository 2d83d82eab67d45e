#if canImport(Glibc)
import Glibc
#endif

/// A small pthread mutex for state shared across loops (never held across I/O).
public final class Mutex: @unchecked Sendable {
    private let m: UnsafeMutablePointer<pthread_mutex_t>
    public init() {
        m = .allocate(capacity: 1)
        pthread_mutex_init(m, nil)
    }
    deinit { pthread_mutex_destroy(m); m.deallocate() }
    @inline(__always)
    public func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(m)
        defer { pthread_mutex_unlock(m) }
        return try body()
    }
}

/// A thread-safe countdown/counter.
public final class Counter: @unchecked Sendable {
    private var value: Int
    private let lock = Mutex()
    public init(_ v: Int = 0) { value = v }
    @discardableResult public func decrement() -> Int { lock.withLock { value -= 1; return value } }
    @discardableResult public func increment() -> Int { lock.withLock { value += 1; return value } }
    public var current: Int { lock.withLock { value } }
}
