#if canImport(Glibc)
import Glibc
#endif

/// The outcome of one non-blocking system call.
public enum IOResult<Value>: Sendable where Value: Sendable {
    case done(Value)
    /// EAGAIN/EWOULDBLOCK (or EINPROGRESS for connect): try again when epoll says so.
    case wouldBlock
    /// A real error from the peer or the network (ECONNRESET, EPIPE, ECONNREFUSED, ...).
    case failed(Int32)
}

/// The one wrapper every system call of the I/O layer goes through (STYLE practice 11):
/// retries EINTR and maps EAGAIN/EINPROGRESS to `.wouldBlock`. Every other error is `.failed`,
/// EBADF and EFAULT included: they would mean a bug of ours (a stream forgets its descriptor when it
/// closes it, see `TCPStream.fd`), and one connection failing is the right outcome for that, never a
/// trap that takes every other connection down with the process.
@inline(__always)
func syscall<T: FixedWidthInteger & Sendable>(_ body: () -> T) -> IOResult<T> {
    while true {
        let r = body()
        if r >= 0 { return .done(r) }
        let e = errno
        switch e {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK, EINPROGRESS: return .wouldBlock
        default: return .failed(e)
        }
    }
}

/// A human-readable, safe description of an errno value (for logs).
public func errnoDescription(_ code: Int32) -> String {
    guard let s = strerror(code) else { return "errno \(code)" }
    return String(decoding: UnsafeRawBufferPointer(start: s, count: strlen(s)), as: UTF8.self)
}
