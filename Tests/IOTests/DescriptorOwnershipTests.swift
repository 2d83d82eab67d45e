import XCTest
import Dispatch
@testable import IO

/// A stream owns its descriptor alone and forgets the number when it closes it: no write, shutdown
/// or close may reach a descriptor number after that, because the kernel hands the number to the
/// next socket opened and the bytes would land in someone else's connection (issue #10, fault 1:
/// a client's request body written into a pooled upstream connection).
final class DescriptorOwnershipTests: XCTestCase {
    /// Reproduces the path that crashed the gateway: a write that settles held (batched) bytes
    /// fails, the failure callback opens a new socket (which gets the freed number), and the rest of
    /// the same `write` call used to go to the stale number.
    final class Server: AcceptHandler, IO.StreamDelegate, @unchecked Sendable {
        let otherPort: UInt16
        var streams: [TCPStream] = []
        /// The descriptor the failure callback opened (the number the failed stream gave up).
        var reopened: Int32 = -1
        var failures: [Int32] = []
        var closedAfterWrite = false
        let done = DispatchSemaphore(value: 0)

        init(otherPort: UInt16) { self.otherPort = otherPort }

        func accepted(fd: Int32, on loop: EventLoop) {
            let s = TCPStream(fd: fd, loop: loop)
            streams.append(s)
            s.start(delegate: self)
        }

        func streamDidRead(_ stream: TCPStream) {
            stream.inbound.moveReaderIndex(by: stream.inbound.readableBytes)
            guard failures.isEmpty, reopened < 0 else { return }
            stream.shutdownWrite()                                   // every later write fails (EPIPE)
            stream.write([UInt8](repeating: 0x41, count: 100))      // held until the batch ends
            stream.write([UInt8](repeating: 0x42, count: EventLoop.deferredWriteLimit + 1)) // settles the held bytes first
            closedAfterWrite = stream.isClosed
            if reopened >= 0 { _ = write(reopened, "M", 1) }
            done.signal()
        }

        func streamDidFail(_ stream: TCPStream, errno: Int32) {
            failures.append(errno)
            // A new connection opened from the failure callback gets the lowest free number: the one
            // the failed stream just closed.
            reopened = DescriptorOwnershipTests.blockingConnect(port: otherPort)
        }

        func streamDidReachEOF(_ stream: TCPStream) {}
        func streamDidDrain(_ stream: TCPStream) {}
        func streamDidConnect(_ stream: TCPStream) {}
    }

    func testBytesOfAFailedStreamNeverReachTheSocketThatReusesItsNumber() throws {
        let other = try Self.blockingListener()
        defer { close(other.fd) }
        let server = Server(otherPort: other.port)
        let group = EventLoopGroup(count: 1)
        defer { group.shutdown() }
        let listener = try Listener(address: SocketAddress(host: "127.0.0.1", port: 0)!, group: group, handler: server)
        listener.start()
        defer { listener.stop() }

        let client = Self.blockingConnect(port: listener.port)
        XCTAssertGreaterThanOrEqual(client, 0)
        defer { close(client) }
        XCTAssertEqual(write(client, "!", 1), 1)
        XCTAssertEqual(server.done.wait(timeout: .now() + 5), .success)

        XCTAssertEqual(server.failures, [EPIPE], "the failed write is reported once, as the peer error")
        XCTAssertTrue(server.closedAfterWrite)
        XCTAssertGreaterThanOrEqual(server.reopened, 0)
        defer { close(server.reopened) }
        // The new connection carries only what its owner wrote: the marker, not the failed stream's bytes.
        let accepted = accept(other.fd, nil, nil)
        XCTAssertGreaterThanOrEqual(accepted, 0)
        defer { close(accepted) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(accepted, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var first = [UInt8](repeating: 0, count: 64)
        let n = first.withUnsafeMutableBytes { read(accepted, $0.baseAddress, $0.count) }
        XCTAssertEqual(n, 1)
        XCTAssertEqual(first.first, UInt8(ascii: "M"), "bytes of the failed stream leaked into the socket that reused its number")
    }

    func testOperationsOnAClosedStreamTouchNoDescriptor() throws {
        let other = try Self.blockingListener()
        defer { close(other.fd) }
        let group = EventLoopGroup(count: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var reopened: Int32 = -1; var wroteAfterClose = -1 }
        let box = Box()
        loop.execute {
            let fd = DescriptorOwnershipTests.blockingConnect(port: other.port)
            let s = TCPStream(fd: fd, loop: loop)
            s.close()
            // The number is free again; a new socket takes it.
            box.reopened = DescriptorOwnershipTests.blockingConnect(port: other.port)
            s.write([1, 2, 3])
            s.shutdownWrite()
            s.closeAfterFlush()
            s.abort()
            s.close()
            box.wroteAfterClose = s.bytesWritten
            done.signal()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(box.wroteAfterClose, 0)
        defer { close(box.reopened) }
        // The new socket is still open and usable (nobody closed or shut it down).
        XCTAssertEqual(write(box.reopened, "ok", 2), 2)
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        XCTAssertEqual(getsockopt(box.reopened, SOL_SOCKET, SO_ERROR, &err, &len), 0)
        XCTAssertEqual(err, 0)
    }

    // MARK: helpers (blocking sockets on the test side)

    static func blockingListener() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0, listen(fd, 16) == 0 else { throw XCTSkip("cannot listen on loopback") }
        return (fd, Socket.localPort(fd: fd))
    }

    static func blockingConnect(port: UInt16) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 { close(fd); return -1 }
        return fd
    }
}
