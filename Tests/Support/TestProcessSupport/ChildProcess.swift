import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process running beside the test (e.g. the real `portcullis` executable) whose stderr is
/// handed to `onStderr` from a reader thread; stdin and stdout are /dev/null. Started with
/// `posix_spawn` (see `ProcessSpawn`). A child still running when this object goes away is killed
/// (SIGKILL) and reaped.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    public init(_ executable: String, _ arguments: [String], onStderr: @escaping @Sendable (Data) -> Void) throws {
        let errors = try ProcessSpawn.pipe()
        defer { close(errors.write) }
        do {
            pid = try ProcessSpawn.start(executable, arguments, stderr: errors.write)
        } catch {
            close(errors.read)
            throw error
        }
        let reader = errors.read
        Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                onStderr(Data(buffer[0..<n]))
            }
            close(reader)
        }.start()
    }

    deinit {
        if isRunning { kill(pid, SIGKILL); _ = waitForExit(timeout: 5) }
    }

    /// Whether the child has not exited yet (reaps it when it has).
    public var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        if exitStatus != nil { return false }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { exitStatus = ProcessSpawn.exitStatus(status); return false }
        return r == 0
    }

    /// The exit status (128 + signal when killed by one), or nil if still running after `timeout`.
    public func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning && Date() < deadline { usleep(10_000) }
        lock.lock(); defer { lock.unlock() }
        return exitStatus
    }

    /// Sends `sig` to the child.
    public func signal(_ sig: Int32) { kill(pid, sig) }

    /// User + system CPU time so far, in clock ticks (/proc/<pid>/stat), -1 if unreadable.
    public var cpuTicks: Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return -1 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state(0) ppid(1) ... utime(11) stime(12).
        guard fields.count > 12, let u = Int(fields[11]), let s = Int(fields[12]) else { return -1 }
        return u + s
    }
}
