/// A value that threads share, guarded by a `pthread_mutex_t`: the one lock type of Portcullis.
///
/// Why not the standard library's `Synchronization.Mutex`: it is built on futexes that
/// ThreadSanitizer does not model, so TSan reports every access made under it as a data race and
/// the real races drown in false ones. A pthread mutex is intercepted by TSan (and is what the
/// sanitizer runs in `.ci/sanitizers.sh` rely on).
///
/// The shape is `Mutex`'s: `withLock { (inout Value) in ... }`. `Locked<Void>` is a plain lock for
/// a class that keeps its guarded fields itself (`Locked<Void>()`, `withLock { ... }`).
///
/// Cost: the value and the mutex share one heap allocation made once, when the `Locked` is made;
/// taking the lock is one uncontended `pthread_mutex_lock`/`unlock` pair and allocates nothing.
/// `withLock` is inlinable, so the closure is inlined at each use in other modules too.
///
/// Rules: hold it only for in-memory work, never across I/O or a callback into unknown code; take
/// a second `Locked` inside only in one fixed order (the reload lock, then the state it guards).
/// Not reentrant: taking it again from inside `withLock` deadlocks. On a `Locked<Void>` use the
/// closure without an argument (`withLock { ... }`).
///
/// `Locked` has reference semantics: a copy shares the same value and mutex.
public struct Locked<Value>: @unchecked Sendable {
    @usableFromInline let storage: LockedStorage<Value>

    /// A lock guarding `value`.
    @inlinable
    public init(_ value: Value) {
        storage = .create(value: value)
    }

    /// Runs `body` with exclusive access to the value and returns its result.
    @inlinable
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try storage.withLockedValue(body)
    }
}

extension Locked where Value == Void {
    /// A plain lock (no value) for state its owner keeps in its own fields.
    @inlinable
    public init() { self.init(()) }

    /// Runs `body` with the lock held and returns its result.
    @inlinable
    public func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        try storage.withMutex(body)
    }
}
