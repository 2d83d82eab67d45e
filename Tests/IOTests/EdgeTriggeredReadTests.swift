import XCTest
import Dispatch
@testable import IO

/// Streams are edge-triggered: the kernel says once that bytes arrived. Bytes already waiting when
/// the stream reads — more than one event's worth, or followed by the peer's FIN — must still all
/// be delivered, and the end of the stream with them.
final class EdgeTriggeredReadTests: XCTestCase {
    final class Recorder: IO.StreamDelegate, @unchecked Sendable {
        var received: [UInt8] = []
        var sawEOF = false
        let done = DispatchSemaphore(value: 0)
        func streamDidRead(_ stream: TCPStream) {
            stream.inbound.withReadableBytes { received.append(contentsOf: $0) }
            stream.inbound.moveReaderIndex(by: stream.inbound.readableBytes)
        }
        func streamDidReachEOF(_ stream: TCPStream) { sawEOF = true; stream.close(); done.signal() }
        func streamDidDrain(_ stream: TCPStream) {}
        func streamDidConnect(_ stream: TCPStream) {}
        func streamDidFail(_ stream: TCPStream, errno: Int32) { stream.close(); done.signal() }
    }

    /// A plain listening socket on 127.0.0.1; returns it and its port.
    private func listen() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && Glibc.listen(fd, 4) == 0
                && getsockname(fd, $0, &len) == 0 }
        }
        XCTAssertTrue(rc)
        return (fd, UInt16(bigEndian: addr.sin_port))
    }

    /// The server writes `payload` and its FIN back to back, before the stream has read anything.
    private func receive(_ payload: [UInt8]) throws -> Recorder {
        let (listenFD, port) = try listen()
        defer { close(listenFD) }
        let group = EventLoopGroup(count: 1)
        defer { group.shutdown() }
        let recorder = Recorder()
        let loop = group.loops[0]
        // The loop is kept busy until the server has sent everything, so the stream's first read
        // finds the bytes and the FIN already waiting.
        let sent = DispatchSemaphore(value: 0)
        loop.execute {
            _ = TCPStream.connect(to: SocketAddress(host: "127.0.0.1", port: port)!, loop: loop, delegate: recorder)
            _ = sent.wait(timeout: .now() + 5)
        }
        let conn = accept(listenFD, nil, nil)
        XCTAssertGreaterThanOrEqual(conn, 0)
        defer { close(conn) }
        var sndbuf: Int32 = 4 << 20
        setsockopt(conn, SOL_SOCKET, SO_SNDBUF, &sndbuf, socklen_t(MemoryLayout<Int32>.size))
        var offset = 0
        while offset < payload.count {
            let n = payload.withUnsafeBytes { write(conn, $0.baseAddress! + offset, $0.count - offset) }
            XCTAssertGreaterThan(n, 0)
            if n <= 0 { break }
            offset += n
        }
        shutdown(conn, Int32(SHUT_WR))
        usleep(20_000)   // let the bytes and the FIN reach the client's socket
        sent.signal()
        XCTAssertEqual(recorder.done.wait(timeout: .now() + 10), .success, "the stream reached the end")
        return recorder
    }

    func testBytesFollowedByFINInOneEdgeAreAllDeliveredThenEOF() throws {
        let payload = (0..<700).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let recorder = try receive(payload)
        XCTAssertEqual(recorder.received, payload)
        XCTAssertTrue(recorder.sawEOF, "the FIN that arrived with the bytes is not lost")
    }

    func testMoreThanOneEventsWorthOfWaitingBytesIsAllDelivered() throws {
        let size = (TCPStream.maxReadsPerEvent + 3) * EventLoop.readBufferSize + 123
        let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let recorder = try receive(payload)
        XCTAssertEqual(recorder.received.count, payload.count)
        XCTAssertEqual(recorder.received, payload)
        XCTAssertTrue(recorder.sawEOF)
    }
}
