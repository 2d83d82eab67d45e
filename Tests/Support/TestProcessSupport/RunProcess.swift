import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion (`posix_spawn`, see `ProcessSpawn`) and returns its exit status
/// (128 + signal when killed by one; -1 when it could not be started, with the reason in `stderr`)
/// and everything it wrote. `stdin` is written from another thread while this one reads both
/// outputs, so large input and output cannot deadlock. A child that goes 30 s without closing its
/// outputs is no longer read (its status is still waited for).
public func runProcess(_ executable: String, _ arguments: [String], stdin: String? = nil) -> (status: Int32, stdout: String, stderr: String) {
    let input: (read: Int32, write: Int32), output: (read: Int32, write: Int32), errors: (read: Int32, write: Int32)
    do {
        input = try ProcessSpawn.pipe()
        output = try ProcessSpawn.pipe()
        errors = try ProcessSpawn.pipe()
    } catch {
        return (-1, "", "\(error)")
    }
    let pid: pid_t
    do {
        pid = try ProcessSpawn.start(executable, arguments, stdin: input.read, stdout: output.write, stderr: errors.write)
    } catch {
        for fd in [input.read, input.write, output.read, output.write, errors.read, errors.write] { close(fd) }
        return (-1, "", "\(error)")
    }
    for fd in [input.read, output.write, errors.write] { close(fd) }
    let writer = Thread { [fd = input.write] in
        if let stdin {
            Array(stdin.utf8).withUnsafeBytes { p in
                var off = 0
                while off < p.count {
                    let n = write(fd, p.baseAddress! + off, p.count - off)
                    if n <= 0 { break }
                    off += n
                }
            }
        }
        close(fd)
    }
    writer.start()
    var collected: [Int32: [UInt8]] = [output.read: [], errors.read: []]
    var open = [output.read, errors.read]
    var buffer = [UInt8](repeating: 0, count: 65536)
    while !open.isEmpty {
        var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ready = poll(&fds, nfds_t(fds.count), 30_000)
        if ready < 0 && errno == EINTR { continue }
        if ready <= 0 { break }
        for p in fds where p.revents != 0 {
            let n = buffer.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
            if n > 0 { collected[p.fd]!.append(contentsOf: buffer[0..<n]) } else { open.removeAll { $0 == p.fd }; close(p.fd) }
        }
    }
    open.forEach { close($0) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (ProcessSpawn.exitStatus(status), String(decoding: collected[output.read]!, as: UTF8.self),
            String(decoding: collected[errors.read]!, as: UTF8.self))
}
