import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion (`posix_spawn`, see `ProcessSpawn`) and returns its exit status
/// (128 + signal when killed by one; -1 when it could not be started, with the reason in `stderr`)
/// and everything it wrote. `stdin` is written from another thread while this one reads both
/// outputs, so large input and output cannot deadlock. Both outputs are read until the child closes
/// them, however long it stays silent (a tool that works quietly for minutes loses nothing); a child
/// still running after `timeoutSeconds` is killed (SIGKILL), and `stderr` ends with a line saying so.
public func runProcess(_ executable: String, _ arguments: [String], stdin: String? = nil,
                       timeoutSeconds: Double = 900) -> (status: Int32, stdout: String, stderr: String) {
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
    var deadline = Date().addingTimeInterval(timeoutSeconds)
    var killed = false
    while !open.isEmpty {
        let remaining = deadline.timeIntervalSinceNow
        if remaining <= 0 {
            if killed { break }   // the outputs stay open after the kill (a grandchild holds them)
            killed = true
            kill(pid, SIGKILL)
            deadline = Date().addingTimeInterval(5)
            continue
        }
        var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ready = poll(&fds, nfds_t(fds.count), Int32(min(remaining * 1000, 1000).rounded(.up)))
        if ready < 0 && errno == EINTR { continue }
        if ready < 0 { break }
        if ready == 0 { continue }
        for p in fds where p.revents != 0 {
            let n = buffer.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
            if n > 0 { collected[p.fd]!.append(contentsOf: buffer[0..<n]) } else { open.removeAll { $0 == p.fd }; close(p.fd) }
        }
    }
    open.forEach { close($0) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if killed { collected[errors.read]!.append(contentsOf: Array("\n[runProcess: killed after \(Int(timeoutSeconds)) s]\n".utf8)) }
    return (ProcessSpawn.exitStatus(status), String(decoding: collected[output.read]!, as: UTF8.self),
            String(decoding: collected[errors.read]!, as: UTF8.self))
}
