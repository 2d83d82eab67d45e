import XCTest
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
@testable import IO

/// The outbound queue of `TCPStream`: tens of thousands of small writes that the socket does not
/// take at once are queued as separate chunks and reach the peer complete and in order, also when
/// more are queued while the queue drains (the moving head is compacted under the writer).
final class OutboundQueueTests: XCTestCase {
    final class Quiet: IO.StreamDelegate, @unchecked Sendable {
        let connected = DispatchSemaphore(value: 0)
        func streamDidRead(_ stream: TCPStream) { stream.inbound.moveReaderIndex(by: stream.inbound.readableBytes) }
        func streamDidReachEOF(_ stream: TCPStream) {}
        func streamDidDrain(_ stream: TCPStream) {}
        func streamDidConnect(_ stream: TCPStream) { connected.signal() }
        func streamDidFail(_ stream: TCPStream, errno: Int32) {}
    }

    /// Chunk `i` of a run: 1...97 bytes, each byte derived from `i` and its position.
    static func chunk(_ i: Int) -> [UInt8] { (0..<(1 + i % 97)).map { UInt8(truncatingIfNeeded: i &* 131 &+ $0) } }

    func testManySmallQueuedWritesArriveInOrder() throws {
        // A peer with a small receive buffer that reads only when told to.
        let listenFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listenFD) }
        var small: Int32 = 4096
        setsockopt(listenFD, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(4))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listenFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(listenFD, 1)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listenFD, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)

        let group = EventLoopGroup(count: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let delegate = Quiet()
        nonisolated(unsafe) var stream: TCPStream?
        loop.execute {
            stream = TCPStream.connect(to: SocketAddress(host: "127.0.0.1", port: port)!, loop: loop, delegate: delegate)
        }
        let peer = accept(listenFD, nil, nil)
        XCTAssertGreaterThanOrEqual(peer, 0)
        defer { close(peer) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        XCTAssertEqual(delegate.connected.wait(timeout: .now() + 5), .success)

        /// Writes chunks `range` on the loop; returns the bytes queued afterwards.
        func write(_ range: Range<Int>) -> Int {
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var queued = 0
            loop.execute {
                guard let s = stream else { done.signal(); return }
                var sendBuffer: Int32 = 4096
                setsockopt(s.fd, SOL_SOCKET, SO_SNDBUF, &sendBuffer, socklen_t(4))
                for i in range { s.write(Self.chunk(i)) }
                queued = s.outboundBytes
                done.signal()
            }
            done.wait()
            return queued
        }
        var expected: [UInt8] = []
        for i in 0..<30_000 { expected += Self.chunk(i) }
        let firstQueued = write(0..<20_000)
        XCTAssertGreaterThan(firstQueued, 500_000, "most of the writes were queued (the peer is not reading)")

        // Read part of it, queue more while the queue is draining, then read everything.
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        func read(upTo limit: Int) {
            while received.count < limit {
                let n = buffer.withUnsafeMutableBytes { recv(peer, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                received += buffer[0..<n]
            }
        }
        read(upTo: 300_000)
        _ = write(20_000..<30_000)
        read(upTo: expected.count)
        XCTAssertEqual(received.count, expected.count)
        XCTAssertTrue(received == expected, "the queued chunks arrived out of order or changed")
        loop.execute { stream?.close() }
    }
}
