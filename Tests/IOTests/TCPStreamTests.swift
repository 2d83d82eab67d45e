import XCTest
import Dispatch
@testable import IO

/// A loop-level echo: bytes written by a client come back intact through `TCPStream`, and a reader
/// that pauses makes the writer's queue grow instead of losing data (backpressure).
final class TCPStreamTests: XCTestCase {
    final class Echo: AcceptHandler, IO.StreamDelegate, @unchecked Sendable {
        var streams: [TCPStream] = []
        func accepted(fd: Int32, on loop: EventLoop) {
            let s = TCPStream(fd: fd, loop: loop)
            streams.append(s)
            s.start(delegate: self)
        }
        func streamDidRead(_ stream: TCPStream) {
            stream.inbound.withReadableBytes { stream.write($0) }
            stream.inbound.moveReaderIndex(by: stream.inbound.readableBytes)
        }
        func streamDidReachEOF(_ stream: TCPStream) { stream.closeAfterFlush() }
        func streamDidDrain(_ stream: TCPStream) {}
        func streamDidConnect(_ stream: TCPStream) {}
        func streamDidFail(_ stream: TCPStream, errno: Int32) {}
    }

    final class Collector: IO.StreamDelegate, @unchecked Sendable {
        var received: [UInt8] = []
        var connected = DispatchSemaphore(value: 0)
        var finished = DispatchSemaphore(value: 0)
        let expected: Int
        init(expected: Int) { self.expected = expected }
        func streamDidRead(_ stream: TCPStream) {
            stream.inbound.withReadableBytes { received.append(contentsOf: $0) }
            stream.inbound.moveReaderIndex(by: stream.inbound.readableBytes)
            if received.count >= expected { finished.signal() }
        }
        func streamDidReachEOF(_ stream: TCPStream) { finished.signal() }
        func streamDidDrain(_ stream: TCPStream) {}
        func streamDidConnect(_ stream: TCPStream) { connected.signal() }
        func streamDidFail(_ stream: TCPStream, errno: Int32) { finished.signal() }
    }

    func testEchoOfOneMegabyteArrivesIntact() throws {
        let group = EventLoopGroup(count: 2)
        defer { group.shutdown() }
        let echo = Echo()
        let listener = try Listener(address: SocketAddress(host: "127.0.0.1", port: 0)!, group: group, handler: echo)
        listener.start()
        defer { listener.stop() }
        let payload = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let collector = Collector(expected: payload.count)
        let loop = group.loops[0]
        let port = listener.port
        loop.execute {
            let s = TCPStream.connect(to: SocketAddress(host: "127.0.0.1", port: port)!, loop: loop, delegate: collector)
            s?.write(payload)
        }
        XCTAssertEqual(collector.finished.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(collector.received.count, payload.count)
        XCTAssertEqual(collector.received, payload)
    }
}
