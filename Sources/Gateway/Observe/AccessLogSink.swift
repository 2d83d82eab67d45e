import Dispatch
import IO
import Locks
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Where access-log batches go: standard output or a file, written by one background queue so an
/// event loop never waits for a disk. Loops hand over whole batches (`AccessLogBuffer`); when more
/// than `maxPendingBytes` are still waiting to be written, a new batch is dropped and its lines
/// counted (`portcullis_access_log_dropped_total`) instead of stalling requests.
///
/// `reopen()` (on `SIGUSR1`) opens the path again, for logrotate's rename-then-signal; lines of
/// batches queued before it go to the old file, the next ones to the new file.
public final class AccessLogSink: Sendable {
    /// `-` for standard output, else the file's path.
    public let path: String
    /// The most bytes waiting for the writer before batches are dropped (default 8 MiB).
    public let maxPendingBytes: Int
    private let queue = DispatchQueue(label: "portcullis.access-log", qos: .utility)
    private let fd: Locked<Int32>
    private let ownsDescriptor: Bool
    private let pending = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let written = Atomic<Int>(0)

    /// Opens `path` for appending (created with mode 0640 if missing), or uses standard output for `-`.
    public init(path: String, maxPendingBytes: Int = 8 << 20) throws(StartupError) {
        self.path = path
        self.maxPendingBytes = maxPendingBytes
        if path == "-" {
            fd = Locked(1)
            ownsDescriptor = false
        } else {
            let opened = Self.open(path)
            guard opened >= 0 else { throw StartupError("access_log.path: cannot open \(path): \(errnoDescription(errno))") }
            fd = Locked(opened)
            ownsDescriptor = true
        }
    }

    /// Writes to an already open descriptor (tests: a pipe); `reopen()` does nothing.
    public init(descriptor: Int32, maxPendingBytes: Int = 8 << 20) {
        path = "-"
        self.maxPendingBytes = maxPendingBytes
        fd = Locked(descriptor)
        ownsDescriptor = false
    }

    deinit {
        if ownsDescriptor { _ = Glibc.close(fd.withLock { $0 }) }
    }

    /// Lines dropped because the writer could not keep up.
    public var droppedLines: Int { dropped.load(ordering: .relaxed) }
    /// Lines handed to `write(2)`.
    public var writtenLines: Int { written.load(ordering: .relaxed) }

    /// Queues one batch of `lines` complete lines for writing, or drops it when the writer is behind.
    /// Never blocks.
    func submit(_ batch: [UInt8], lines: Int) {
        let size = batch.count
        if pending.add(size, ordering: .relaxed).newValue > maxPendingBytes {
            pending.subtract(size, ordering: .relaxed)
            dropped.add(lines, ordering: .relaxed)
            return
        }
        queue.async { [self] in
            let descriptor = fd.withLock { $0 }
            let complete = batch.withUnsafeBytes { buffer -> Bool in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return false }
                }
                return true
            }
            // A failed write (disk full, closed pipe) loses the batch: counted as dropped, not written.
            if complete { written.add(lines, ordering: .relaxed) } else { dropped.add(lines, ordering: .relaxed) }
            pending.subtract(size, ordering: .relaxed)
        }
    }

    /// Reopens the file at `path` (after the queue's earlier batches are written); a failure keeps
    /// the old descriptor and is returned to `completion` as a message.
    public func reopen(completion: @escaping @Sendable (String?) -> Void = { _ in }) {
        guard ownsDescriptor else { completion(nil); return }
        queue.async { [self] in
            let opened = Self.open(path)
            guard opened >= 0 else { completion("cannot open \(path): \(errnoDescription(errno))"); return }
            let old = fd.withLock { fd -> Int32 in let old = fd; fd = opened; return old }
            _ = Glibc.close(old)
            completion(nil)
        }
    }

    /// Waits until every batch submitted so far is written (shutdown, tests), or `timeoutSeconds`
    /// at most: a stdout nobody reads must not hold up an exit. Not for a loop.
    /// Returns whether everything was written in time.
    @discardableResult
    public func flush(timeoutSeconds: Double = 2) -> Bool {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        return done.wait(timeout: .now() + timeoutSeconds) == .success
    }

    private static func open(_ path: String) -> Int32 {
        Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
    }
}
