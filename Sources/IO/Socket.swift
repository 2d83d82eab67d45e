#if canImport(Glibc)
import CSystem
import Glibc
#endif

/// Socket creation and option helpers. Every descriptor is non-blocking and close-on-exec.
public enum Socket {
    /// A bind/listen/connect setup failure, with a safe message for the operator.
    public struct SetupError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Creates a listening socket bound to `address` (SO_REUSEADDR; port 0 = ephemeral).
    public static func listen(on address: SocketAddress, backlog: Int32 = 4096) throws(SetupError) -> Int32 {
        let fd = socket(address.addressFamily, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SetupError(description: "socket(): \(errnoDescription(errno))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = address.withSockAddr { bind(fd, $0, $1) }
        guard bound == 0 else {
            let e = errno; Glibc.close(fd)
            throw SetupError(description: "bind \(address): \(errnoDescription(e))")
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = errno; Glibc.close(fd)
            throw SetupError(description: "listen \(address): \(errnoDescription(e))")
        }
        return fd
    }

    /// The port a socket is bound to (to learn an ephemeral port).
    public static func localPort(fd: Int32) -> UInt16 {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    /// Accepts one connection (non-blocking, close-on-exec, TCP_NODELAY).
    static func accept(listener fd: Int32) -> IOResult<Int32> {
        let r = syscall { portcullis_accept_nonblocking(fd) }
        if case .done(let client) = r { setNoDelay(client) }
        return r
    }

    /// Starts a non-blocking connect. `.done` = connected at once, `.wouldBlock` = in progress.
    static func connect(to address: SocketAddress) -> (fd: Int32, result: IOResult<Int32>) {
        let fd = socket(address.addressFamily, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return (-1, .failed(errno)) }
        setNoDelay(fd)
        let r = syscall { address.withSockAddr { Glibc.connect(fd, $0, $1) } }
        return (fd, r)
    }

    /// The pending error of a socket after a non-blocking connect (0 = connected).
    static func pendingError(fd: Int32) -> Int32 {
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
        return err
    }

    static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }
}

/// Raises the soft open-files limit to the hard limit (like nginx's `worker_rlimit_nofile`), so
/// `limits.max_connections` is not capped by a low default. Returns the resulting soft limit.
@discardableResult
public func raiseOpenFileLimit() -> Int {
    var rl = rlimit()
    guard getrlimit(RLIMIT_NOFILE_VALUE, &rl) == 0 else { return -1 }
    if rl.rlim_cur < rl.rlim_max {
        rl.rlim_cur = rl.rlim_max
        _ = setrlimit(RLIMIT_NOFILE_VALUE, &rl)
        _ = getrlimit(RLIMIT_NOFILE_VALUE, &rl)
    }
    return Int(rl.rlim_cur)
}

#if canImport(Glibc)
private let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#endif
