#if canImport(Glibc)
import Glibc
#endif

/// One heap object holding a `Locked` value and its `pthread_mutex_t` side by side (the value in
/// the header, the mutex as the single tail element), so a lock costs one allocation when it is
/// made and none when it is taken.
///
/// Both addresses are stable for the object's lifetime (`ManagedBuffer` never moves its storage),
/// which `pthread_mutex_t` requires. The mutex is initialized in `create` and destroyed in
/// `deinit`; the header (the value) is destroyed by `ManagedBuffer` itself.
@usableFromInline
final class LockedStorage<Value>: ManagedBuffer<Value, pthread_mutex_t> {
    @inlinable
    static func create(value: Value) -> LockedStorage<Value> {
        let storage = unsafeDowncast(create(minimumCapacity: 1) { _ in value }, to: LockedStorage<Value>.self)
        storage.withUnsafeMutablePointerToElements { mutex in
            let err = pthread_mutex_init(mutex, nil)
            precondition(err == 0, "pthread_mutex_init failed: \(err)")
        }
        return storage
    }

    @inlinable
    deinit {
        withUnsafeMutablePointerToElements { mutex in _ = pthread_mutex_destroy(mutex) }
    }

    /// Runs `body` with the mutex held, without touching the value (a `Locked<Void>`): an `inout`
    /// access to a zero-sized value is still instrumented by ThreadSanitizer, and was reported as a
    /// Swift access race against the previous holder.
    @inlinable
    func withMutex<Result>(_ body: () throws -> Result) rethrows -> Result {
        try withUnsafeMutablePointerToElements { mutex in
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return try body()
        }
    }

    /// Runs `body` on the value with the mutex held; unlocks on every exit, thrown errors included.
    @inlinable
    func withLockedValue<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try withUnsafeMutablePointers { value, mutex in
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return try body(&value.pointee)
        }
    }
}
