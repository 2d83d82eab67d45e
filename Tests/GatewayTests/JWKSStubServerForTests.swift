import Foundation
import Glibc
import Locks
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 for JWKS fetcher tests: one response per path,
/// `Connection: close`, counts requests per path, can drop connections (an outage).
final class JWKSStubServer: Sendable {
    struct Response: Sendable {
        var status = 200
        var headers: [(String, String)] = []
        var body: [UInt8] = []
    }

    /// Answers a request from its head fields and body (introspection tests).
    typealias Handler = @Sendable (_ headers: [String: String], _ body: String) -> Response

    struct Routes {
        var responses: [String: Response] = [:]
        var handlers: [String: Handler] = [:]
        var hits: [String: Int] = [:]
        var down = false
        var delay: Double = 0
    }

    let port: UInt16
    private let listener: Int32
    private let routes = Locked(Routes())
    private let running = Atomic<Bool>(true)

    private init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(listener, pointer, length) == 0 && listen(listener, 128) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
    }

    /// A server already accepting connections.
    static func started() throws -> JWKSStubServer {
        let server = try JWKSStubServer()
        Thread { server.acceptLoop() }.start()
        return server
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Serves `body` at `path` with the given status and headers.
    func serve(_ path: String, status: Int = 200, headers: [(String, String)] = [], body: String) {
        routes.withLock { $0.responses[path] = Response(status: status, headers: headers, body: Array(body.utf8)) }
    }

    /// Answers `path` with `handler` (called on the connection's thread; it may block).
    func handle(_ path: String, _ handler: @escaping Handler) {
        routes.withLock { $0.handlers[path] = handler }
    }

    /// While down, connections are accepted and closed without an answer.
    func setDown(_ down: Bool) { routes.withLock { $0.down = down } }

    /// Delays every answer (to keep a fetch in flight).
    func setDelay(_ seconds: Double) { routes.withLock { $0.delay = seconds } }

    func hits(_ path: String) -> Int { routes.withLock { $0.hits[path, default: 0] } }

    func stop() {
        running.store(false, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while running.load(ordering: .relaxed) {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            Thread { [self] in handle(connection) }.start()
        }
    }

    private func handle(_ connection: Int32) {
        defer { close(connection) }
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.containsHeaderEnd {
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { return }
            request += buffer[0..<count]
        }
        let text = String(decoding: request, as: UTF8.self)
        let headEnd = text.range(of: "\r\n\r\n")!
        let lines = text[..<headEnd.lowerBound].components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        let path = parts.count > 1 ? String(parts[1]) : "/"
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(request[(text.utf8.distance(from: text.startIndex, to: headEnd.upperBound))...])
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < length {
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { return }
            body += buffer[0..<count]
        }
        let (response, handler, down, delay) = routes.withLock { routes -> (Response?, Handler?, Bool, Double) in
            routes.hits[path, default: 0] += 1
            return (routes.responses[path], routes.handlers[path], routes.down, routes.delay)
        }
        if down { return }
        if delay > 0 { usleep(UInt32(delay * 1_000_000)) }
        let answer = handler?(headers, String(decoding: body, as: UTF8.self)) ?? response ?? Response(status: 404, body: Array("not found".utf8))
        var head = "HTTP/1.1 \(answer.status) X\r\nContent-Length: \(answer.body.count)\r\nConnection: close\r\n"
        for (name, value) in answer.headers { head += "\(name): \(value)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + answer.body
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            sent += count
        }
    }
}

private extension Array where Element == UInt8 {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return true
        }
        return false
    }
}
