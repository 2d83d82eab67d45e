import Locks

/// A thread-safe countdown/counter.
public final class Counter: @unchecked Sendable {
    private let value: Locked<Int>
    public init(_ v: Int = 0) { value = Locked(v) }
    @discardableResult public func decrement() -> Int { value.withLock { $0 -= 1; return $0 } }
    @discardableResult public func increment() -> Int { value.withLock { $0 += 1; return $0 } }
    public var current: Int { value.withLock { $0 } }
}
