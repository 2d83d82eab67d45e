import XCTest
import IO
import COpenSSL
@testable import PortcullisTLS

/// A client and a server `TLSConnection` wired to each other in memory (the certificates of
/// `TLSConnectionPairTests`), handshake done unless asked otherwise.
final class TLSTestPair {
    let server: TLSConnection
    let client: TLSConnection

    /// `tls12`: the client offers TLS 1.2 at most.
    init(handshake: Bool = true, tls12: Bool = false) throws {
        let d = TLSConnectionPairTests.directory
        let identity = try TLSServerIdentity(settings: TLSServerSettings(certificates: [
            TLSCertificateEntry(certificateFile: "\(d)/server.pem", privateKeyFile: "\(d)/server.key")]))
        let context = try TLSClientContext(settings: TLSClientSettings(caFile: "\(d)/server.pem"))
        if tls12 { XCTAssertEqual(SSL_CTX_ctrl(context.context.ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(TLS1_2_VERSION), nil), 1) }
        server = try XCTUnwrap(identity.makeConnection())
        client = try XCTUnwrap(context.makeConnection(host: "localhost"))
        guard handshake else { return }
        client.start()
        pump()
        XCTAssertTrue(client.isHandshakeComplete && server.isHandshakeComplete)
    }

    /// Moves bytes both ways until neither side has anything to say; returns what each decoded.
    @discardableResult
    func pump() -> (client: [UInt8], server: [UInt8]) {
        var toClient: [UInt8] = [], toServer: [UInt8] = []
        for _ in 0..<50 {
            var moved = false
            client.drainOutput { server.receive($0); moved = true }
            _ = read(server, into: &toServer)
            server.drainOutput { client.receive($0); moved = true }
            _ = read(client, into: &toClient)
            if !moved { break }
        }
        return (toClient, toServer)
    }

    /// Reads what `t` decodes now into `out`; returns the last `readDecoded` result (0: waiting).
    func read(_ t: TLSConnection, into out: inout [UInt8]) -> Int {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { t.readDecoded(into: $0) }
            if n > 0 { out.append(contentsOf: buffer[0..<n]) } else { return n }
        }
    }
}
