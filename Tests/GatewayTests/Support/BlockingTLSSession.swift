import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import PortcullisTLS

/// A TLS keep-alive client in the test process: the gateway's own `TLSConnection` (client side)
/// over a `BlockingSocket`, for tests that keep one TLS connection open between requests.
final class BlockingTLSSession {
    let socket: BlockingSocket
    let tls: TLSConnection
    private var decoded: [UInt8] = []

    init(port: UInt16, caFile: String, serverName: String) throws {
        socket = try BlockingSocket.open(port: port)
        let context = try TLSClientContext(settings: TLSClientSettings(caFile: caFile))
        tls = try XCTUnwrap(context.makeConnection(host: serverName))
        tls.start()
        flush()
        while !tls.isHandshakeComplete {
            guard receiveMore() else { throw NSError(domain: "BlockingTLSSession", code: 1, userInfo: [NSLocalizedDescriptionKey: tls.failureReason ?? "closed"]) }
        }
    }

    deinit { socket.close() }

    /// Sends `GET path` and reads the response; nil when the connection ends first.
    func get(_ path: String) -> (status: Int, body: [UInt8])? {
        Array("GET \(path) HTTP/1.1\r\nHost: gateway.test\r\n\r\n".utf8).withUnsafeBytes { tls.send($0) }
        flush()
        var headEnd: Int?
        while true {
            if headEnd == nil, let r = find([13, 10, 13, 10]) { headEnd = r + 4 }
            if let end = headEnd {
                let head = String(decoding: decoded[0..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if decoded.count >= end + length {
                    let status = Int(head.dropFirst(9).prefix(3)) ?? 0
                    let body = Array(decoded[end..<end + length])
                    decoded.removeFirst(end + length)
                    return (status, body)
                }
            }
            guard receiveMore() else { return nil }
        }
    }

    private func flush() { tls.drainOutput { _ = socket.write(Array($0)) } }

    /// One `recv`, decoded; false on the end of the stream, an error or a failed session.
    private func receiveMore() -> Bool {
        var bytes = [UInt8](repeating: 0, count: 65536)
        let n = bytes.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, 65536, 0) }
        guard n > 0 else { return false }
        bytes[0..<n].withUnsafeBytes { tls.receive($0) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let r = buffer.withUnsafeMutableBytes { tls.readDecoded(into: $0) }
            if r > 0 { decoded += buffer[0..<r] } else { flush(); return r == 0 }
        }
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard decoded.count >= needle.count else { return nil }
        for i in 0...(decoded.count - needle.count) where decoded[i..<i + needle.count].elementsEqual(needle) { return i }
        return nil
    }
}
