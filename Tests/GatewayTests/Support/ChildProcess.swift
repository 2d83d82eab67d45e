import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` whose stderr is handed to `onStderr` from a reader
/// thread; stdout goes to /dev/null. Not Foundation's `Process`: on Linux, `Process.run` lists
/// `/proc/self/fd` copying whole `dirent` records and has crashed the test process (a read past a
/// mapping's end) when many descriptors were open, as they are in the gateway tests.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    init(_ executable: String, _ arguments: [String], onStderr: @escaping @Sendable (Data) -> Void) throws {
        var errors: [Int32] = [-1, -1]
        guard pipe(&errors) == 0 else { throw POSIXError(.EMFILE) }
        _ = fcntl(errors[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(errors[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(errors[1])
        guard spawned == 0 else { close(errors[0]); throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT) }
        self.pid = pid
        let reader = errors[0]
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
    var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        if exitStatus != nil { return false }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f); return false }
        return r == 0
    }

    /// The exit status (128 + signal when killed by one), or nil if still running after `timeout`.
    func waitForExit(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning && Date() < deadline { usleep(10_000) }
        lock.lock(); defer { lock.unlock() }
        return exitStatus
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    /// User + system CPU time so far, in clock ticks (/proc/<pid>/stat), -1 if unreadable.
    var cpuTicks: Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return -1 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state(0) ppid(1) ... utime(11) stime(12).
        guard fields.count > 12, let u = Int(fields[11]), let s = Int(fields[12]) else { return -1 }
        return u + s
    }
}
