import XCTest
import Dispatch
@testable import IO

/// Writes made while a loop handles a batch of events are held and written when the batch ends
/// (one wake-up of the peer per batch). Nothing may be lost or reordered on the way: not on a
/// close, a half-close or a write larger than what a stream may hold.
final class DeferredWriteTests: XCTestCase {
    /// A server whose reaction to the first bytes it reads is `onRead`; it records what the stream
    /// reported right after the writes, inside the batch.
    final class Server: AcceptHandler, IO.StreamDelegate, @unchecked Sendable {
        let onRead: (TCPStream) -> Void
        var streams: [TCPStream] = []
        var bytesWrittenInsideBatch = -1
        var outboundInsideBatch = -1
        var wasBatching = false
        /// Signalled once the fields above are recorded: a large write reaches the client before
        /// `streamDidRead` returns, so the client must wait for this before the test reads them.
        let recorded = DispatchSemaphore(value: 0)
        init(onRead: @escaping (TCPStream) -> Void) { self.onRead = onRead }
        func accepted(fd: Int32, on loop: EventLoop) {
            let s = TCPStream(fd: fd, loop: loop)
            streams.append(s)
            s.start(delegate: self)
        }
        func streamDidRead(_ stream: TCPStream) {
            stream.inbound.moveReaderIndex(by: stream.inbound.readableBytes)
            guard bytesWrittenInsideBatch < 0 else { return }
            wasBatching = stream.loop.isBatching
            onRead(stream)
            bytesWrittenInsideBatch = stream.bytesWritten
            outboundInsideBatch = stream.outboundBytes
            recorded.signal()
        }
        func streamDidReachEOF(_ stream: TCPStream) { stream.close() }
        func streamDidDrain(_ stream: TCPStream) {}
        func streamDidConnect(_ stream: TCPStream) {}
        func streamDidFail(_ stream: TCPStream, errno: Int32) {}
    }

    /// Connects, sends one byte, reads until EOF or `expected` bytes; returns what arrived and
    /// whether the server closed its side.
    private func exchange(with server: Server, expected: Int, awaitEOF: Bool = true, batchesWrites: Bool = true) throws -> (bytes: [UInt8], eof: Bool) {
        let group = EventLoopGroup(count: 1, batchesWrites: batchesWrites)
        defer { group.shutdown() }
        let listener = try Listener(address: SocketAddress(host: "127.0.0.1", port: 0)!, group: group, handler: server)
        listener.start()
        defer { listener.stop() }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = listener.port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(rc, 0)
        var one: UInt8 = 0x21
        XCTAssertEqual(write(fd, &one, 1), 1)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while received.count < expected {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return (received, n == 0) }
            received.append(contentsOf: buffer[0..<n])
        }
        XCTAssertEqual(server.recorded.wait(timeout: .now() + 5), .success, "the server recorded its batch")
        guard awaitEOF else { return (received, false) }
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return (received, n == 0)
    }

    private static func pattern(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) }
    }

    func testSmallWritesInsideABatchAreHeldThenArriveInOrder() throws {
        let first = Self.pattern(100, seed: 1), second = Self.pattern(300, seed: 2)
        let server = Server { s in s.write(first); second.withUnsafeBytes { s.write($0) } }
        let (bytes, _) = try exchange(with: server, expected: first.count + second.count, awaitEOF: false)
        XCTAssertTrue(server.wasBatching, "the read was handled inside a batch")
        XCTAssertEqual(server.bytesWrittenInsideBatch, 0, "nothing was written before the batch ended")
        XCTAssertEqual(server.outboundInsideBatch, 0, "held bytes are not reported as queued")
        XCTAssertEqual(bytes, first + second)
    }

    /// `loadtest`'s loops: a write goes out when made, so request latency is timed from the write.
    func testLoopWithoutBatchingWritesAtOnce() throws {
        let body = Self.pattern(100, seed: 9)
        let server = Server { s in s.write(body) }
        let (bytes, _) = try exchange(with: server, expected: body.count, awaitEOF: false, batchesWrites: false)
        XCTAssertFalse(server.wasBatching)
        XCTAssertEqual(server.bytesWrittenInsideBatch, body.count, "written before the round ended")
        XCTAssertEqual(bytes, body)
    }

    func testWriteLargerThanTheHoldLimitGoesOutAtOnceAfterWhatWasHeld() throws {
        let small = Self.pattern(50, seed: 3), large = Self.pattern(EventLoop.deferredWriteLimit + 1, seed: 4)
        let server = Server { s in s.write(small); s.write(large) }
        let (bytes, _) = try exchange(with: server, expected: small.count + large.count, awaitEOF: false)
        XCTAssertGreaterThan(server.bytesWrittenInsideBatch, 0, "a large write is not held")
        XCTAssertEqual(bytes, small + large, "the held bytes went out first")
    }

    /// Writes `count` bytes inside the batch, then ends the stream with `end`: the bytes must arrive,
    /// followed by the end of the stream.
    private func assertHeldBytesArriveThenEOF(count: Int, seed: Int, end: @escaping (TCPStream) -> Void,
                                              file: StaticString = #filePath, line: UInt = #line) throws {
        let body = Self.pattern(count, seed: seed)
        let server = Server { s in s.write(body); end(s) }
        let (bytes, eof) = try exchange(with: server, expected: body.count)
        XCTAssertEqual(bytes, body, file: file, line: line)
        XCTAssertTrue(eof, "the end of the stream follows the held bytes", file: file, line: line)
    }

    func testCloseAfterFlushWritesHeldBytesBeforeClosing() throws {
        try assertHeldBytesArriveThenEOF(count: 700, seed: 5) { $0.closeAfterFlush() }
    }

    func testCloseWritesHeldBytesBeforeClosing() throws {
        try assertHeldBytesArriveThenEOF(count: 900, seed: 6) { $0.close() }
    }

    func testShutdownWriteSendsHeldBytesThenEndOfStream() throws {
        try assertHeldBytesArriveThenEOF(count: 1200, seed: 7) { $0.shutdownWrite() }
    }

    func testAbortDropsHeldBytes() throws {
        let server = Server { s in s.write(Self.pattern(64, seed: 8)); s.abort() }
        let (bytes, _) = try exchange(with: server, expected: 64)
        XCTAssertEqual(bytes.count, 0, "an aborted stream sends a reset, not the bytes it held")
    }
}
