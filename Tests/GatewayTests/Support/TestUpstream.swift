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
/// - `/stream/N`: N pattern bytes, Content-Length framed, from a small send buffer in 64 KiB writes,
///   counting `streamedBytes` as each write completes (a reader that stops stalls it).
/// - `/slow-read...`: counts `slowReadersWaiting` and reads nothing of the body until
///   `releaseSlowReaders()`; then reads it (hashed as it arrives) and answers with its length and hash.
/// - `/keepalive-once...`: answers as `/echo` with keep-alive, but closes the connection without an
///   answer when the next request arrives on it (its idle timeout "fired" just then), counting `staleCloses`.
/// - `/stall/N`: a head with `Content-Length: N`, N/2 bytes, then nothing; `/stall-head`: nothing at all.
///   Both wait for the peer to close and count it in `closedByPeer`.
final class TestUpstream: @unchecked Sendable {
    let fd: Int32
    let port: UInt16
    private let lock = NSLock()
    private var _requests: [(method: String, target: String, headers: [(String, String)], bodyCount: Int, bodyHash: UInt64)] = []
    private var _connections = 0
    private var _streamed = 0
    private var _slowReadersWaiting = 0
    private var _staleCloses = 0
    private var _closedByPeer = 0
    private var _incompleteBodies = 0
    private let slowReadRelease = DispatchSemaphore(value: 0)
    private var running = true

    var requests: [(method: String, target: String, headers: [(String, String)], bodyCount: Int, bodyHash: UInt64)] {
        lock.lock(); defer { lock.unlock() }; return _requests
    }
    var connectionCount: Int { lock.lock(); defer { lock.unlock() }; return _connections }
    /// Bytes of `/stream/N` bodies handed to the kernel so far.
    var streamedBytes: Int { lock.lock(); defer { lock.unlock() }; return _streamed }
    /// `/slow-read` requests whose head arrived and whose body is not being read.
    var slowReadersWaiting: Int { lock.lock(); defer { lock.unlock() }; return _slowReadersWaiting }
    /// Keep-alive connections closed by `/keepalive-once` as the next request arrived.
    var staleCloses: Int { lock.lock(); defer { lock.unlock() }; return _staleCloses }
    /// `/stall` connections the peer (the gateway) closed.
    var closedByPeer: Int { lock.lock(); defer { lock.unlock() }; return _closedByPeer }

    /// Requests whose connection ended before their body was complete (never answered, never recorded).
    var incompleteBodies: Int { lock.lock(); defer { lock.unlock() }; return _incompleteBodies }
    private func countIncomplete() { lock.lock(); _incompleteBodies += 1; lock.unlock() }

    /// Lets every `/slow-read` request (waiting or still to come) read its body.
    func releaseSlowReaders(_ count: Int = 64) { for _ in 0..<count { slowReadRelease.signal() } }

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
        lock.lock(); running = false; lock.unlock()   // read by the accept thread (a TSan report)
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func acceptLoop() {
        while lock.withLock({ running }) {
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
        var closeOnNextRequest = false
        while true {
            guard let head = conn.readHead() else { return }
            if closeOnNextRequest {
                lock.lock(); _staleCloses += 1; lock.unlock()
                return
            }
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
            if target.hasPrefix("/slow-read"), let n = header("content-length").flatMap({ Int($0) }) {
                // (No small SO_RCVBUF here: set after the handshake, below the loopback MSS, the kernel
                // never reopens a zero window.)
                lock.lock(); _slowReadersWaiting += 1; lock.unlock()
                slowReadRelease.wait()
                lock.lock(); _slowReadersWaiting -= 1; lock.unlock()
                var count = 0, h: UInt64 = 0xcbf29ce484222325
                while count < n {
                    if conn.buffer.isEmpty, !conn.fill() { return }
                    let take = min(conn.buffer.count, n - count)
                    h = conn.buffer.withUnsafeBufferPointer { fnv1a(UnsafeBufferPointer(rebasing: $0[0..<take]), continuing: h) }
                    conn.buffer.removeFirst(take)
                    count += take
                }
                lock.lock(); _requests.append((method, target, headers, count, h)); lock.unlock()
                let json = "{\"body_length\":\(count),\"body_hash\":\(h)}"
                conn.write(Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)".utf8))
                continue
            }
            var body: [UInt8] = []
            if let cl = header("content-length"), let n = Int(cl) {
                guard let b = conn.readExactly(n) else { countIncomplete(); return }
                body = b
            } else if header("transfer-encoding")?.lowercased() == "chunked" {
                guard let b = conn.readChunked() else { countIncomplete(); return }
                body = b
            }
            let hash = fnv1a(body)
            lock.lock(); _requests.append((method, target, headers, body.count, hash)); lock.unlock()
            let keepAlive = header("connection")?.lowercased() != "close"
            if target.hasPrefix("/reset") { conn.reset(); return }
            if target.hasPrefix("/garbage") { conn.write(Array("HTTP/1.1 2OO OK\r\n\r\n".utf8)); return }
            if target.hasPrefix("/slow") { Thread.sleep(forTimeInterval: 2) }
            if target.hasPrefix("/pause") { Thread.sleep(forTimeInterval: 0.2) }
            if target.hasPrefix("/keepalive-once") { closeOnNextRequest = true }
            if target.hasPrefix("/stall") {
                if target.hasPrefix("/stall/"), let n = Int(target.dropFirst(7)) {
                    conn.write(Array("HTTP/1.1 200 OK\r\nContent-Length: \(n)\r\n\r\n".utf8))
                    conn.writePattern(n / 2)
                }
                var tv = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                var byte: UInt8 = 0
                let r = recv(c, &byte, 1, 0)
                if r == 0 || (r < 0 && errno != EAGAIN) { lock.lock(); _closedByPeer += 1; lock.unlock() }
                return
            }
            if target.hasPrefix("/stream/"), let n = Int(target.dropFirst(8)) {
                var small: Int32 = 64 * 1024
                setsockopt(c, SOL_SOCKET, SO_SNDBUF, &small, socklen_t(4))
                conn.write(Array("HTTP/1.1 200 OK\r\nContent-Length: \(n)\r\n\r\n".utf8))
                var i = 0
                while i < n {
                    let e = min(i + 65536, n)
                    conn.write(Array(periodicPattern[i % 251..<i % 251 + e - i]))
                    lock.lock(); _streamed += e - i; lock.unlock()
                    i = e
                }
                if !keepAlive { return }
                continue
            }
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
            } else if target.hasSuffix("/dpop-nonce") {
                // An upstream that sets its own DPoP nonce: replaced when the gateway renews one.
                conn.write(Array("HTTP/1.1 200 OK\r\nDPoP-Nonce: upstream-nonce\r\nContent-Length: 2\r\n\r\n{}".utf8))
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
/// 64 KiB of the pattern plus one period, so any 64 KiB run of it is a slice (`i % 251` onwards).
let periodicPattern = pattern(65536 + 251)
/// FNV-1a over `bytes`, continuing from `h` (hashing a body as it arrives).
func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>, continuing h: UInt64) -> UInt64 {
    var h = h
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    return h
}
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf29ce484222325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    return h
}
