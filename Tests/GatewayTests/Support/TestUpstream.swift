import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately simple, independent HTTP/1.1 upstream for end-to-end tests: one thread per
/// connection, blocking sockets, its own tiny parser (so it does not share bugs with the gateway's).
/// Behaviour is chosen per request path:
/// - `/echo...`: 200 with a JSON summary (method, target, headers, body length, SHA-256-ish FNV hash).
/// - `/bytes/N`: N bytes of a deterministic pattern, Content-Length framed.
/// - `/chunked/N`: N bytes in 1000-byte chunks, chunked framing.
/// - `/close/N`: N bytes, no Content-Length, delimited by closing the connection.
/// - `/slow`: sleeps 2 s before answering.
/// - `/pause`: sleeps 0.2 s, then answers as `/echo` (keeps many requests in flight at once).
/// - `/reset`: closes the connection without answering (RST).
/// - `/garbage`: answers with a malformed status line.
/// - `/early...`: answers 413 with `Connection: close` right after the head, without reading the body;
///   then discards the body nginx-style (half-close, read to EOF), or `/early-reset` closes at once (RST).
final class TestUpstream: @unchecked Sendable {
    let fd: Int32
    let port: UInt16
    private let lock = NSLock()
    private var _requests: [(method: String, target: String, headers: [(String, String)], bodyCount: Int, bodyHash: UInt64)] = []
    private var _connections = 0
    private var running = true

    var requests: [(method: String, target: String, headers: [(String, String)], bodyCount: Int, bodyHash: UInt64)] {
        lock.lock(); defer { lock.unlock() }; return _requests
    }
    var connectionCount: Int { lock.lock(); defer { lock.unlock() }; return _connections }

    init() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(4))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(fd, 1024)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.fd = fd
        port = UInt16(bigEndian: addr.sin_port)
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    func stop() {
        running = false
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func acceptLoop() {
        while running {
            let c = accept(fd, nil, nil)
            if c < 0 { return }
            lock.lock(); _connections += 1; lock.unlock()
            let t = Thread { [self] in serve(c) }
            t.start()
        }
    }

    private func serve(_ c: Int32) {
        let conn = BlockingSocket(fd: c)
        defer { conn.close() }
        while true {
            guard let head = conn.readHead() else { return }
            let lines = head.components(separatedBy: "\r\n")
            let parts = lines[0].split(separator: " ")
            guard parts.count == 3 else { return }
            let method = String(parts[0]), target = String(parts[1])
            var headers: [(String, String)] = []
            for line in lines.dropFirst() where !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else { return }
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
            func header(_ n: String) -> String? { headers.first { $0.0.lowercased() == n }?.1 }
            if target.hasPrefix("/early") {
                // Answers before reading the body (RFC 9110 allows it): 413 and Connection: close.
                lock.lock(); _requests.append((method, target, headers, 0, 0)); lock.unlock()
                conn.write(Array("HTTP/1.1 413 Content Too Large\r\nContent-Length: 9\r\nConnection: close\r\n\r\ntoo large".utf8))
                if target.hasPrefix("/early-reset") { conn.reset(); return }   // closes over the unread body: RST
                // As nginx does: half-close, then read and discard what still comes (lingering close).
                shutdown(c, Int32(SHUT_WR))
                Thread.sleep(forTimeInterval: 0.2)   // not reading meanwhile: the proxy must hold the body back
                while conn.fill() { conn.buffer.removeAll() }
                return
            }
            var body: [UInt8] = []
            if let cl = header("content-length"), let n = Int(cl) {
                guard let b = conn.readExactly(n) else { return }
                body = b
            } else if header("transfer-encoding")?.lowercased() == "chunked" {
                guard let b = conn.readChunked() else { return }
                body = b
            }
            let hash = fnv1a(body)
            lock.lock(); _requests.append((method, target, headers, body.count, hash)); lock.unlock()
            let keepAlive = header("connection")?.lowercased() != "close"
            if target.hasPrefix("/reset") { conn.reset(); return }
            if target.hasPrefix("/garbage") { conn.write(Array("HTTP/1.1 2OO OK\r\n\r\n".utf8)); return }
            if target.hasPrefix("/slow") { Thread.sleep(forTimeInterval: 2) }
            if target.hasPrefix("/pause") { Thread.sleep(forTimeInterval: 0.2) }
            if target.hasPrefix("/bytes/"), let n = Int(target.dropFirst(7)) {
                conn.write(Array("HTTP/1.1 200 OK\r\nContent-Length: \(n)\r\nX-Body-Hash: \(fnv1a(pattern(n)))\r\n\r\n".utf8))
                if method != "HEAD" { conn.writePattern(n) }
            } else if target.hasPrefix("/chunked/"), let n = Int(target.dropFirst(9)) {
                conn.write(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Body-Hash: \(fnv1a(pattern(n)))\r\n\r\n".utf8))
                let p = pattern(n)
                var i = 0
                while i < n { let e = min(i + 1000, n); conn.write(Array(String(e - i, radix: 16).utf8) + [13, 10] + Array(p[i..<e]) + [13, 10]); i = e }
                conn.write(Array("0\r\n\r\n".utf8))
            } else if target.hasPrefix("/close/"), let n = Int(target.dropFirst(7)) {
                conn.write(Array("HTTP/1.1 200 OK\r\nConnection: close\r\nX-Body-Hash: \(fnv1a(pattern(n)))\r\n\r\n".utf8))
                conn.writePattern(n)
                return
            } else if target.hasSuffix("/cors-star") {
                // An upstream that answers every origin (`*`): the gateway must not pass that on.
                conn.write(Array("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nVary: Accept\r\nContent-Length: 2\r\n\r\n{}".utf8))
            } else {
                var json = "{\"method\":\"\(method)\",\"target\":\"\(target)\",\"body_length\":\(body.count),\"body_hash\":\(hash)}"
                if method == "HEAD" { json = "" }
                conn.write(Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\nX-Upstream-Connection: te\r\nConnection: X-Upstream-Connection\r\nX-Upstream-Connection: secret\r\n\r\n\(json)".utf8))
            }
            if !keepAlive { return }
        }
    }
}

/// The pattern bodies are made of (byte i = i * 31 mod 251), and an FNV-1a hash to compare bodies.
func pattern(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(($0 &* 31) % 251) } }
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf29ce484222325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    return h
}
