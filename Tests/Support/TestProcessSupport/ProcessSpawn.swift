#if canImport(Glibc)
import Glibc
#endif

/// Why the tests start programs with `posix_spawn` and never with Foundation's `Process`: on Linux,
/// `Process.run` lists `/proc/self/fd` copying whole `dirent` records (swift-corelibs-foundation's
/// `findMaximumOpenFromProcSelfFD`), a read past the records' end that crashed the test process
/// when many descriptors were open and that AddressSanitizer reports as a heap-buffer-overflow.
enum ProcessSpawn {
    /// A program that could not be started.
    struct Failure: Error, CustomStringConvertible {
        let executable: String
        let code: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// Starts `executable` (a path) with `arguments` and this process's environment. The child's
    /// descriptors 0, 1 and 2 are `stdin`, `stdout` and `stderr` (nil: /dev/null); every other
    /// descriptor this process has open must be close-on-exec (the test harnesses open theirs so).
    static func start(_ executable: String, _ arguments: [String],
                      stdin: Int32? = nil, stdout: Int32? = nil, stderr: Int32? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            if let source {
                posix_spawn_file_actions_adddup2(&actions, source, target)
            } else {
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard result == 0 else { throw Failure(executable: executable, code: result) }
        return pid
    }

    /// A close-on-exec pipe: (read end, write end).
    static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard Glibc.pipe(&fds) == 0 else { throw Failure(executable: "pipe", code: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }   // the child gets only its dup2 copies
        return (fds[0], fds[1])
    }

    /// The exit status from a `waitpid` status word: the exit code, or 128 + the signal number
    /// when the child was killed by a signal (the shell's convention).
    static func exitStatus(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
