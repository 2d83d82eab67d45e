import Foundation
import XCTest
import IO
import TestProcessSupport
import COpenSSL
@testable import PortcullisTLS

/// A client and a server `TLSConnection` wired to each other in memory (no sockets): the byte
/// transformer alone — handshake, data both ways, close_notify, resumption, verification failures.
final class TLSConnectionPairTests: XCTestCase {
    static let directory: String = {
        let dir = NSTemporaryDirectory() + "portcullis-tls-unit-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, cn) in [("server", "localhost"), ("other", "other.example")] {
            let made = runProcess("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                                   "-nodes", "-keyout", "\(dir)/\(name).key", "-out", "\(dir)/\(name).pem",
                                                   "-days", "2", "-subj", "/CN=\(cn)", "-addext", "subjectAltName=DNS:\(cn)"])
            precondition(made.status == 0, "openssl req failed: \(made.stderr)")
        }
        return dir
    }()

    private func server(_ name: String = "server") throws -> TLSServerIdentity {
        let d = Self.directory
        return try TLSServerIdentity(settings: TLSServerSettings(certificates: [
            TLSCertificateEntry(certificateFile: "\(d)/\(name).pem", privateKeyFile: "\(d)/\(name).key")]))
    }

    private func client(trusting name: String = "server") throws -> TLSClientContext {
        try TLSClientContext(settings: TLSClientSettings(caFile: "\(Self.directory)/\(name).pem"))
    }

    /// Moves bytes both ways until neither side has anything to say; returns what each decoded.
    @discardableResult
    private func pump(_ c: TLSConnection, _ s: TLSConnection) -> (client: [UInt8], server: [UInt8], failed: Bool) {
        var toClient: [UInt8] = [], toServer: [UInt8] = [], failed = false
        for _ in 0..<20 {
            var moved = false
            c.drainOutput { s.receive($0); moved = true }
            let sr = read(s, into: &toServer)
            s.drainOutput { c.receive($0); moved = true }
            let cr = read(c, into: &toClient)
            if sr == StreamTransformRead.failed || cr == StreamTransformRead.failed { failed = true }
            if !moved { break }
        }
        return (toClient, toServer, failed)
    }

    private func read(_ t: TLSConnection, into out: inout [UInt8]) -> Int {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { t.readDecoded(into: $0) }
            if n > 0 { out.append(contentsOf: buffer[0..<n]) } else { return n }
        }
    }

    func testHandshakeAndDataBothWaysWithEarlyClientWrite() throws {
        let identity = try server(), context = try client()
        let s = try XCTUnwrap(identity.makeConnection()), c = try XCTUnwrap(context.makeConnection(host: "localhost"))
        Array("GET / HTTP/1.1\r\n\r\n".utf8).withUnsafeBytes { c.send($0) }   // before the handshake: held
        c.start()
        let first = pump(c, s)
        XCTAssertFalse(first.failed)
        XCTAssertTrue(c.isHandshakeComplete && s.isHandshakeComplete)
        XCTAssertEqual(String(decoding: first.server, as: UTF8.self), "GET / HTTP/1.1\r\n\r\n")
        XCTAssertEqual(s.alpnProtocol, "http/1.1")
        Array("HTTP/1.1 200 OK\r\n\r\n".utf8).withUnsafeBytes { s.send($0) }
        XCTAssertEqual(String(decoding: pump(c, s).client, as: UTF8.self), "HTTP/1.1 200 OK\r\n\r\n")
        s.shutdown()
        var sink: [UInt8] = []
        s.drainOutput { c.receive($0) }
        XCTAssertEqual(read(c, into: &sink), StreamTransformRead.closed, "close_notify ends the stream cleanly")
    }

    func testSecondConnectionResumesTheSession() throws {
        let identity = try server(), context = try client()
        for round in 0..<2 {
            let s = try XCTUnwrap(identity.makeConnection()), c = try XCTUnwrap(context.makeConnection(host: "localhost"))
            c.start()
            pump(c, s)
            XCTAssertTrue(c.isHandshakeComplete)
            XCTAssertEqual(c.isResumed, round == 1, "round \(round)")
        }
    }

    func testUntrustedServerFailsTheClient() throws {
        let identity = try server("other"), context = try client(trusting: "server")
        let s = try XCTUnwrap(identity.makeConnection()), c = try XCTUnwrap(context.makeConnection(host: "other.example"))
        Array("secret request".utf8).withUnsafeBytes { c.send($0) }
        c.start()
        let result = pump(c, s)
        XCTAssertTrue(result.failed)
        XCTAssertTrue(result.server.isEmpty, "nothing written before the handshake reaches an unverified server")
        XCTAssertTrue(c.failureReason?.hasPrefix("certificate verify failed") == true, c.failureReason ?? "")
    }

    func testWrongNameFailsTheClient() throws {
        let identity = try server(), context = try client()
        let s = try XCTUnwrap(identity.makeConnection()), c = try XCTUnwrap(context.makeConnection(host: "not-localhost"))
        c.start()
        XCTAssertTrue(pump(c, s).failed)
        XCTAssertFalse(c.isHandshakeComplete)
    }

    func testGarbageFailsTheServer() throws {
        let s = try XCTUnwrap(try server().makeConnection())
        Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8).withUnsafeBytes { s.receive($0) }
        var sink: [UInt8] = []
        XCTAssertEqual(read(s, into: &sink), StreamTransformRead.failed)
        XCTAssertNotNil(s.failureReason)
        XCTAssertEqual(ERR_peek_error(), 0, "the OpenSSL error queue is left empty")
    }
}
