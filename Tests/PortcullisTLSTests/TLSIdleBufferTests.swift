import Foundation
import XCTest
import IO
import COpenSSL
@testable import PortcullisTLS

/// When a session gives its buffers back: a busy keep-alive session keeps them between requests
/// (its requests allocate nothing in the TLS layer); one idle for a whole sweep interval gives them
/// all back (ours and OpenSSL's record buffers) and goes on when traffic resumes; buffers that hold
/// part of a record or decoded bytes not yet read are never freed.
final class TLSIdleBufferTests: XCTestCase {
    private var pair: TLSTestPair!

    override func setUpWithError() throws {
        pair = try TLSTestPair()
    }

    /// One request and its response, then the idle sweep as the loop's tick would run it between
    /// two back-to-back requests.
    private func exchange(_ request: [UInt8], _ response: [UInt8]) {
        let c = pair.client, s = pair.server
        request.withUnsafeBytes { c.send($0) }
        XCTAssertEqual(pair.pump().server, request)
        response.withUnsafeBytes { s.send($0) }
        XCTAssertEqual(pair.pump().client, response)
    }

    func testBusySessionKeepsItsBuffersBetweenBackToBackRequests() {
        busySessionKeepsItsBuffers()
    }

    func testBusyTLS12SessionKeepsItsBuffersBetweenBackToBackRequests() throws {
        pair = try TLSTestPair(tls12: true)
        busySessionKeepsItsBuffers()
    }

    private func busySessionKeepsItsBuffers(file: StaticString = #filePath, line: UInt = #line) {
        let request = Array("GET /v1/port-calls/1 HTTP/1.1\r\nHost: g\r\n\r\n".utf8)
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"ok\":true}".utf8)
        exchange(request, response)
        let serverCapacity = pair.server.bufferCapacity, clientCapacity = pair.client.bufferCapacity
        XCTAssertGreaterThan(serverCapacity, 0)
        XCTAssertGreaterThan(clientCapacity, 0)
        for round in 0..<50 {
            pair.server.sweepIdleBuffers()   // a tick falls between two requests
            pair.client.sweepIdleBuffers()
            exchange(request, response)
            XCTAssertEqual(pair.server.bufferCapacity, serverCapacity, "round \(round): the server's buffers were not given back and regrown")
            XCTAssertEqual(pair.client.bufferCapacity, clientCapacity, "round \(round)")
            XCTAssertTrue(pair.server.recordBuffersHoldNothing && pair.client.recordBuffersHoldNothing,
                          "round \(round): each side is at a record boundary after a whole exchange")
        }
        XCTAssertEqual(pair.server.bufferReleases, 0, "a busy session never frees its record buffers")
        XCTAssertEqual(pair.client.bufferReleases, 0)
    }

    func testIdleSessionGivesBackItsBuffersAfterAWholeSweepIntervalAndGoesOn() {
        let large = [UInt8](repeating: 0x61, count: 200_000)
        exchange(large, large)
        XCTAssertGreaterThan(pair.server.bufferCapacity, 16_000, "buffers grew with the transfer")
        pair.server.sweepIdleBuffers()
        XCTAssertGreaterThan(pair.server.bufferCapacity, 0, "active since the previous sweep: kept")
        XCTAssertEqual(pair.server.bufferReleases, 0)
        pair.server.sweepIdleBuffers()
        XCTAssertEqual(pair.server.bufferCapacity, 0, "idle for a whole interval: given back")
        XCTAssertEqual(pair.server.bufferReleases, 1)
        pair.server.sweepIdleBuffers()
        XCTAssertEqual(pair.server.bufferReleases, 1, "nothing to give back twice")
        pair.client.sweepIdleBuffers()
        pair.client.sweepIdleBuffers()
        XCTAssertEqual(pair.client.bufferCapacity, 0, "the client side (upstream connections) too")
        XCTAssertEqual(pair.client.bufferReleases, 1)
        // OpenSSL allocates its record buffers again: the session goes on both ways.
        exchange(Array("next request".utf8), Array("next response".utf8))
        exchange(large, large)
        pair.server.sweepIdleBuffers()
        pair.server.sweepIdleBuffers()
        XCTAssertEqual(pair.server.bufferReleases, 2)
    }

    /// CVE-2024-4741: OpenSSL before 3.0.14 freed its read buffer while a record was half read (its
    /// header taken, its body still to come). A peer that stops in the middle of a record must find
    /// the record intact when it goes on.
    func testRecordCutInTheMiddleIsNotFreedAndArrivesWhole() {
        let message = [UInt8]((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        message.withUnsafeBytes { pair.client.send($0) }
        var wire: [UInt8] = []
        pair.client.drainOutput { wire.append(contentsOf: $0) }
        XCTAssertGreaterThan(wire.count, 1000)
        let cut = 5 + 100   // the record header and part of its body
        wire[0..<cut].withUnsafeBytes { pair.server.receive($0) }
        var got: [UInt8] = []
        XCTAssertEqual(pair.read(pair.server, into: &got), 0, "waits for the rest of the record")
        XCTAssertEqual(pair.server.pendingInputCount, 0, "OpenSSL took the part it has")
        XCTAssertFalse(pair.server.recordBuffersHoldNothing, "our own guard refuses, whatever OpenSSL's version")
        for _ in 0..<3 { pair.server.sweepIdleBuffers() }
        XCTAssertEqual(pair.server.bufferReleases, 0, "not freed in the middle of a record")
        wire[cut...].withUnsafeBytes { pair.server.receive($0) }
        _ = pair.read(pair.server, into: &got)
        XCTAssertEqual(got, message)
    }

    /// A record decoded but not read to its end (the reader's buffer was smaller): `SSL_pending`
    /// bytes wait inside OpenSSL and are not freed with its buffers (the second case of CVE-2024-4741).
    func testDecodedBytesNotYetReadAreNotFreed() {
        let message = [UInt8]((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        message.withUnsafeBytes { pair.client.send($0) }
        pair.client.drainOutput { pair.server.receive($0) }
        var small = [UInt8](repeating: 0, count: 10)
        XCTAssertEqual(small.withUnsafeMutableBytes { pair.server.readDecoded(into: $0) }, 10)
        XCTAssertTrue(pair.server.hasBufferedInput)
        for _ in 0..<3 { pair.server.sweepIdleBuffers() }
        XCTAssertEqual(pair.server.bufferReleases, 0, "refused while decoded bytes are pending")
        var rest: [UInt8] = []
        _ = pair.read(pair.server, into: &rest)
        XCTAssertEqual(small + rest, message)
        pair.server.sweepIdleBuffers()
        XCTAssertEqual(pair.server.bufferReleases, 1, "given back once read")
    }

    /// OpenSSL's own refusal, the second line of defence: asked directly (past the session's own
    /// checks) in the middle of a record and with decoded bytes not yet read, `SSL_free_buffers`
    /// refuses, and no byte is lost. Skipped on an OpenSSL that frees buffers in use (CVE-2024-4741).
    func testOpenSSLRefusesToFreeBuffersInUseAndNothingIsLost() throws {
        let v = OpenSSL_version_num()
        let fixed = (v >= 0x3000_00E0 && v < 0x3010_0000) || (v >= 0x3010_0060 && v < 0x3020_0000)
            || (v >= 0x3020_0020 && v < 0x3030_0000) || v >= 0x3030_0010
        try XCTSkipUnless(fixed, "this OpenSSL (\(String(v, radix: 16))) frees buffers in use")
        let message = [UInt8]((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        message.withUnsafeBytes { pair.client.send($0) }
        var wire: [UInt8] = []
        pair.client.drainOutput { wire.append(contentsOf: $0) }
        wire[0..<200].withUnsafeBytes { pair.server.receive($0) }   // a record cut in its body
        var got: [UInt8] = []
        XCTAssertEqual(pair.read(pair.server, into: &got), 0)
        XCTAssertFalse(pair.server.freeOpenSSLBuffers(), "refused in the middle of a record")
        wire[200...].withUnsafeBytes { pair.server.receive($0) }
        var small = [UInt8](repeating: 0, count: 100)
        XCTAssertEqual(small.withUnsafeMutableBytes { pair.server.readDecoded(into: $0) }, 100)
        XCTAssertFalse(pair.server.freeOpenSSLBuffers(), "refused with decoded bytes not yet read")
        _ = pair.read(pair.server, into: &got)
        XCTAssertEqual(small + got, message)
        XCTAssertEqual(ERR_peek_error(), 0, "the OpenSSL error queue is left empty")
    }

    /// Received bytes OpenSSL has not taken yet stay in the session's input.
    func testReceivedBytesNotYetDecodedAreKept() {
        Array("hello".utf8).withUnsafeBytes { pair.client.send($0) }
        pair.client.drainOutput { pair.server.receive($0) }
        pair.server.sweepIdleBuffers()
        pair.server.sweepIdleBuffers()
        XCTAssertEqual(pair.server.bufferReleases, 0)
        var got: [UInt8] = []
        _ = pair.read(pair.server, into: &got)
        XCTAssertEqual(String(decoding: got, as: UTF8.self), "hello")
    }

    /// A session still handshaking keeps its buffers (OpenSSL may hold part of a flight).
    func testHandshakingSessionKeepsItsBuffers() throws {
        let fresh = try TLSTestPair(handshake: false)
        fresh.client.start()
        fresh.client.drainOutput { fresh.server.receive($0) }
        var sink: [UInt8] = []
        _ = fresh.read(fresh.server, into: &sink)
        XCTAssertFalse(fresh.server.isHandshakeComplete)
        for _ in 0..<3 { fresh.server.sweepIdleBuffers(); fresh.client.sweepIdleBuffers() }
        XCTAssertEqual(fresh.server.bufferReleases + fresh.client.bufferReleases, 0)
        fresh.pump()
        XCTAssertTrue(fresh.client.isHandshakeComplete && fresh.server.isHandshakeComplete)
    }
}
