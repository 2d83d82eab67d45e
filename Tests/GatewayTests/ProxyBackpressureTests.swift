import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Gateway

/// Backpressure both ways: a peer that does not read holds the other side back instead of making the
/// gateway buffer the difference. What is measured is the sender's progress (the test upstream's
/// bytes handed to the kernel, the client's bytes sent): without backpressure the gateway would read
/// the whole 64 MiB body into memory and the sender would finish.
final class ProxyBackpressureTests: XCTestCase {
    static let bodySize = 64 << 20
    /// What may be in flight while the reader stalls: the gateway's queue (`highWatermark`, 256 KiB),
    /// its read buffer (1 MiB) and the kernel's socket buffers of four sockets (autotuned, a few MiB).
    static let inFlightBound = 24 << 20

    var upstream: TestUpstream!
    var gateway: GatewayHarness!

    override func setUpWithError() throws {
        upstream = TestUpstream()
        gateway = try GatewayHarness(upstreamPorts: [upstream.port], loops: 1)
    }

    override func tearDown() {
        gateway.stop()
        upstream.stop()
    }

    /// Polls `progress` until it has not moved for `quiet` seconds (the sender is stalled) or
    /// `deadline` seconds pass; returns the last value.
    private func stalledValue(quiet: Double = 0.5, deadline: Double = 20, _ progress: () -> Int) -> Int {
        let end = Date().addingTimeInterval(deadline)
        var last = progress(), since = Date()
        while Date() < end {
            usleep(20_000)
            let now = progress()
            if now != last { last = now; since = Date() } else if Date().timeIntervalSince(since) >= quiet { break }
        }
        return last
    }

    /// A client with a small receive buffer, connected to the gateway.
    private func smallBufferClient(receive: Int32 = 0, send: Int32 = 0) -> BlockingSocket? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var r = receive, s = send
        if r > 0 { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &r, socklen_t(4)) }
        if s > 0 { setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &s, socklen_t(4)) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = gateway.port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { close(fd); return nil }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return BlockingSocket(fd: fd)
    }

    func testSlowReadingClientStallsTheUpstreamOfALargeDownload() throws {
        let client = try XCTUnwrap(smallBufferClient(receive: 4096))
        defer { client.close() }
        client.write("GET /stream/\(Self.bodySize) HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try XCTUnwrap(client.readHead(), "the response head arrives")
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 200"), head)
        // The client reads nothing more: the upstream's sending must stall well short of the body.
        let stalledAt = stalledValue { upstream.streamedBytes }
        print("download: upstream stalled after \(stalledAt) of \(Self.bodySize) bytes")
        XCTAssertLessThan(stalledAt, Self.inFlightBound, "the gateway kept reading the upstream for a client that does not read")

        // Reading again resumes the upstream; the whole body arrives intact.
        var received = client.buffer.count
        var intact = client.buffer.enumerated().allSatisfy { $0.element == UInt8(($0.offset &* 31) % 251) }
        client.buffer.removeAll()
        let periodic = pattern(65536 + 251)   // the pattern repeats every 251 bytes
        var chunk = [UInt8](repeating: 0, count: 65536)
        while received < Self.bodySize {
            let n = chunk.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, min(65536, Self.bodySize - received), 0) }
            guard n > 0 else { break }
            if !chunk.withUnsafeBytes({ got in periodic.withUnsafeBytes { memcmp(got.baseAddress!, $0.baseAddress! + received % 251, n) == 0 } }) { intact = false }
            received += n
        }
        XCTAssertEqual(received, Self.bodySize)
        XCTAssertTrue(intact, "the body arrived in order and unchanged")
        XCTAssertEqual(upstream.streamedBytes, Self.bodySize)
    }

    func testSlowReadingUpstreamStallsTheClientOfALargeUpload() throws {
        let client = try XCTUnwrap(smallBufferClient(send: 16 * 1024))
        defer { client.close() }
        client.write("POST /slow-read HTTP/1.1\r\nHost: t\r\nContent-Length: \(Self.bodySize)\r\n\r\n")
        XCTAssertTrue(waitUntil { self.upstream.slowReadersWaiting == 1 }, "the request head reached the upstream")
        // Send without blocking until the gateway stops taking bytes.
        _ = fcntl(client.fd, F_SETFL, fcntl(client.fd, F_GETFL) | O_NONBLOCK)
        var sent = 0
        let block = (0..<65536).map { UInt8(($0 &* 31) % 251) }   // the body: this block repeated
        let stalledAt = stalledValue {
            while sent < Self.bodySize {
                let want = min(65536 - sent % 65536, Self.bodySize - sent)
                let n = block.withUnsafeBytes { p in send(client.fd, p.baseAddress! + sent % 65536, want, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                sent += n
            }
            return sent
        }
        print("upload: client stalled after \(stalledAt) of \(Self.bodySize) bytes")
        XCTAssertLessThan(stalledAt, Self.inFlightBound, "the gateway kept reading a body its upstream does not read")

        // The upstream reads again: the rest goes through and the body arrives complete.
        upstream.releaseSlowReaders()
        _ = fcntl(client.fd, F_SETFL, fcntl(client.fd, F_GETFL) & ~O_NONBLOCK)
        var sendTimeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client.fd, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        while sent < Self.bodySize {
            let want = min(65536 - sent % 65536, Self.bodySize - sent)
            let n = block.withUnsafeBytes { p in send(client.fd, p.baseAddress! + sent % 65536, want, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { break }
            sent += n
        }
        let response = try XCTUnwrap(client.readResponse(method: "POST"))
        XCTAssertEqual(response.status, 200)
        let recorded = try XCTUnwrap(upstream.requests.first { $0.target == "/slow-read" })
        XCTAssertEqual(recorded.bodyCount, Self.bodySize)
        XCTAssertEqual(recorded.bodyHash, Self.repeatedBlockHash(block, size: Self.bodySize))
    }

    /// FNV-1a of `size` bytes made of `block` repeated.
    static func repeatedBlockHash(_ block: [UInt8], size: Int) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        var i = 0
        while i < size {
            let take = min(block.count, size - i)
            h = block.withUnsafeBufferPointer { fnv1a(UnsafeBufferPointer(rebasing: $0[0..<take]), continuing: h) }
            i += take
        }
        return h
    }
}
