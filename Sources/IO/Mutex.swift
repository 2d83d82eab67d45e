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

/// A value guarded by a pthread mutex, with the `withLock { (inout Value) in ... }` shape of
/// `Synchronization.Mutex`. Used for shared state that ThreadSanitizer must be able to check:
/// `Synchronization.Mutex` is futex-based and invisible to TSan, which then reports every access
/// under it as a race (JWKS fetcher, introspection state).
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = Mutex()

    public init(_ value: Value) { self.value = value }

    @inline(__always)
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withLock { try body(&value) }
    }
}
