import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny blocking HTTP/1.1 server on 127.0.0.1 for the end-to-end tests: a thread per connection,
/// requests framed by their empty line (the tests send no bodies), answers chosen by path, and a count
/// of every request received per path.
///
/// - `/ok` → 200 with a 2-byte body; `/missing` → 404, empty body;
/// - `/close` → 200 with `Connection: close`, then the server closes the connection;
/// - `/chunked` → 201 with a chunked body (framed by the strict parser, not the fast path);
/// - `/garbage` → bytes that are not an HTTP response;
/// - `/hang` → no answer at all; `/reset` → the connection is reset (SO_LINGER 0, close).
final class TestHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var countsByPath: [String: Int] = [:]
    private var authorizations: [String: Int] = [:]
    private var clients: [Int32] = []

    init() {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(listener >= 0)
        self.listener = listener
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
                guard bind(listener, p, length) == 0 else { return -1 }
                return getsockname(listener, p, &length)
            }
        }
        precondition(bound == 0 && listen(listener, 128) == 0)
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Requests received for `path`.
    func count(_ path: String) -> Int { lock.withLock { countsByPath[path] ?? 0 } }
    /// Requests received in total.
    var total: Int { lock.withLock { countsByPath.values.reduce(0, +) } }
    /// Requests received per `Authorization` header value (`""` when absent).
    var authorizationCounts: [String: Int] { lock.withLock { authorizations } }

    /// Stops accepting and closes every connection.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        lock.withLock { clients.forEach { shutdown($0, Int32(SHUT_RDWR)) } }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            lock.withLock { clients.append(client) }
            Thread.detachNewThread { [self] in serve(client) }
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { return }
            pending.append(contentsOf: chunk[0..<n])
            while let end = Self.headEnd(pending) {
                let head = String(decoding: pending[0..<end], as: UTF8.self)
                pending.removeFirst(end + 4)
                let lines = head.components(separatedBy: "\r\n")
                let path = lines[0].split(separator: " ").dropFirst().first.map(String.init) ?? ""
                let authorization = lines.first { $0.lowercased().hasPrefix("authorization:") }
                    .map { String($0.dropFirst("authorization:".count)).trimmingCharacters(in: .whitespaces) } ?? ""
                lock.withLock {
                    countsByPath[path, default: 0] += 1
                    authorizations[authorization, default: 0] += 1
                }
                if path == "/hang" { continue }   // never answer
                if path == "/reset" {   // answer with a TCP reset
                    var l = linger(l_onoff: 1, l_linger: 0)
                    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
                    return
                }
                let (response, closeAfter) = Self.response(for: path)
                guard Self.writeAll(fd, Array(response.utf8)), !closeAfter else { return }
            }
        }
    }

    private static func response(for path: String) -> (String, Bool) {
        switch path {
        case "/ok": return ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false)
        case "/close": return ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", true)
        case "/chunked": return ("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", false)
        case "/garbage": return ("NOT HTTP AT ALL\r\n\r\n", false)
        default: return ("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", false)
        }
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// A port on 127.0.0.1 where nothing listens (bound, then closed).
    static func closedPort() -> UInt16 {
        let server = TestHTTPServer()
        server.stop()
        return server.port
    }
}
