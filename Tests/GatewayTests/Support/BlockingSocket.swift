import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP socket with a receive timeout, for test clients and the test upstream.
final class BlockingSocket: @unchecked Sendable {
    let fd: Int32
    var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// A connect that failed, with the reason.
    struct ConnectFailure: Error, CustomStringConvertible {
        let port: UInt16
        let code: Int32
        /// Worth another try: nothing listening yet, or a listener too slow (a sanitizer's slowdown)
        /// to take the connection in time.
        var isTransient: Bool { [ECONNREFUSED, ETIMEDOUT, EINTR, EAGAIN, ECONNRESET].contains(code) }
        var description: String { "connect to 127.0.0.1:\(port) failed: \(String(cString: strerror(code))) (errno \(code))" }
    }

    /// Connects to 127.0.0.1:port with a receive timeout (5 s by default); the socket is
    /// close-on-exec, so programs the tests spawn never hold it open.
    static func open(port: UInt16, timeoutSeconds: Int = 5) throws -> BlockingSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ConnectFailure(port: port, code: errno) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = port.bigEndian
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard r == 0 else {
            let code = errno
            Glibc.close(fd)
            throw ConnectFailure(port: port, code: code)
        }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return BlockingSocket(fd: fd)
    }

    /// `open`, or nil when the connect failed (for tests that expect a refusal).
    static func connect(port: UInt16, timeoutSeconds: Int = 5) -> BlockingSocket? {
        try? open(port: port, timeoutSeconds: timeoutSeconds)
    }

    /// Writes all of `bytes`; false once a send fails (the peer closed or reset).
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            off += n
        }
        return true
    }
    func write(_ s: String) { write(Array(s.utf8)) }

    /// Writes `n` bytes of the test pattern (`pattern`), cut from one precomputed block (computing
    /// it per byte took seconds per 100 KiB under ThreadSanitizer); stops once a send fails.
    func writePattern(_ n: Int) {
        var i = 0
        while i < n {
            let e = min(i + 65536, n)
            let start = i % 251   // the pattern repeats every 251 bytes
            if !write(Array(periodicPattern[start..<start + e - i])) { return }
            i = e
        }
    }

    /// Reads more bytes into `buffer`; false on EOF, error or timeout.
    @discardableResult
    func fill() -> Bool {
        var tmp = [UInt8](repeating: 0, count: 65536)
        let n = tmp.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
        if n <= 0 { return false }
        buffer.append(contentsOf: tmp[0..<n])
        return true
    }

    func readHead() -> String? {
        while true {
            if let r = find([13, 10, 13, 10]) {
                let head = String(decoding: buffer[0..<r], as: UTF8.self)
                buffer.removeFirst(r + 4)
                return head
            }
            if !fill() { return nil }
        }
    }

    func readExactly(_ n: Int) -> [UInt8]? {
        while buffer.count < n { if !fill() { return nil } }
        let out = Array(buffer[0..<n]); buffer.removeFirst(n); return out
    }

    func readLine() -> String? {
        while true {
            if let r = find([13, 10]) { let l = String(decoding: buffer[0..<r], as: UTF8.self); buffer.removeFirst(r + 2); return l }
            if !fill() { return nil }
        }
    }

    func readChunked() -> [UInt8]? {
        var body: [UInt8] = []
        while true {
            guard let line = readLine(), let size = Int(line.split(separator: ";")[0], radix: 16) else { return nil }
            if size == 0 {
                while let l = readLine() { if l.isEmpty { return body } }
                return nil
            }
            guard let data = readExactly(size), readLine() == "" else { return nil }
            body += data
        }
    }

    func readToEOF() -> [UInt8] {
        while fill() {}
        let out = buffer; buffer = []; return out
    }

    /// Reads one response: (status, headers lowercased, body). Handles CL, chunked, close-delimited.
    func readResponse(method: String = "GET") -> (status: Int, headers: [String: String], body: [UInt8])? {
        guard let head = readHead() else { return nil }
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let c = line.firstIndex(of: ":") else { continue }
            let k = line[..<c].lowercased(), v = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)
            headers[k] = headers[k].map { $0 + ", " + v } ?? v
        }
        if status == 100 { return readResponse(method: method) }
        if method == "HEAD" || status == 204 || status == 304 { return (status, headers, []) }
        if let cl = headers["content-length"], let n = Int(cl) {
            guard let b = readExactly(n) else { return nil }
            return (status, headers, b)
        }
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            guard let b = readChunked() else { return nil }
            return (status, headers, b)
        }
        return (status, headers, readToEOF())
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        var i = 0
        while i + needle.count <= buffer.count {
            if buffer[i] == needle[0] && Array(buffer[i..<i + needle.count]) == needle { return i }
            i += 1
        }
        return nil
    }

    func reset() {
        guard !isClosed else { return }
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    /// Closes once: a second close could close a descriptor number another thread has been given
    /// since (the test upstream resets, then its `defer` closed again: the next request's socket).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }
    private var isClosed = false
}
