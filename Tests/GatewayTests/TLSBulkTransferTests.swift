import TestProcessSupport
import Foundation
import XCTest
@testable import Gateway

/// Large bodies through TLS both ways on one keep-alive connection: every byte arrives, in order,
/// through the gateway's backpressure (the client side decodes more than `inbound` holds at once,
/// so decoded bytes wait inside the TLS session while reading is paused).
final class TLSBulkTransferTests: XCTestCase {
    func testFourMebibytesEachWayArriveIntact() throws {
        let routes = #"""
        { "path": "/echo", "upstream": "api", "public": true },
        { "methods": ["GET"], "path": "/bytes/{n}", "upstream": "api", "public": true }
        """#
        let fixture = try TLSConfig.gateway(routes: routes)
        defer { fixture.stop() }
        let size = 4 << 20   // 16x the high watermark, 40x the client's inbound limit
        let result = runProcess("/usr/bin/env", ["python3", "-c", Self.client, String(fixture.gateway.port), String(size)])
        let seen = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stderr)
        XCTAssertEqual(seen["upload_status"] as? Int, 200)
        XCTAssertEqual(fixture.upstream.requests.first?.bodyCount, size)
        XCTAssertEqual(fixture.upstream.requests.first?.bodyHash, fnv1a(pattern(size)), "upload intact")
        XCTAssertEqual(seen["download_status"] as? Int, 200)
        XCTAssertEqual(seen["download_length"] as? Int, size)
        XCTAssertEqual(seen["download_intact"] as? Bool, true, "download intact (SHA-256 equal)")
    }

    /// The 1 GiB run of issue 11 (`loadtest/tools/tls_bulk_transfer.py`), smaller: the real
    /// executable, a hashing upstream, one TLS keep-alive connection; the SHA-256 is equal both ways
    /// and the gateway's peak memory (VmHWM) does not grow with the size (backpressure).
    func testToolUploadsAndDownloadsThroughTLSWithBoundedMemory() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let tool = repo.appendingPathComponent("loadtest/tools/tls_bulk_transfer.py").path
        guard FileManager.default.isExecutableFile(atPath: PortcullisProcess.executable) else { throw XCTSkip("portcullis is not built") }
        let size = 64 << 20
        let run = runProcess("/usr/bin/env", ["python3", tool, "--portcullis", PortcullisProcess.executable, "--size", String(size)])
        let last = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let seen = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], run.stderr)
        XCTAssertEqual(seen["upload_status"] as? Int, 200)
        XCTAssertEqual(seen["upload_bytes"] as? Int, size)
        XCTAssertEqual(seen["upload_intact"] as? Bool, true, "the upstream hashed what the client sent")
        XCTAssertEqual(seen["download_status"] as? Int, 200)
        XCTAssertEqual(seen["download_intact"] as? Bool, true, "the client hashed what the upstream sent")
        let growth = try XCTUnwrap(seen["hwm_growth_mib"] as? Double)
        // Under ASan the peak counts its quarantine of freed memory (see `Sanitizer.address`).
        guard !Sanitizer.address else { return }
        XCTAssertLessThan(growth, 16, "peak memory grew by \(growth) MiB moving \(size >> 20) MiB each way: \(run.stderr)")
    }

    /// A request whose body and the next (pipelined) request share TLS records: the gateway pauses
    /// reading after the first body, with the rest already decoded inside the TLS session; resuming
    /// must deliver it without a new byte from the socket.
    func testPipelinedRequestBehindABodyInTheSameRecordsIsAnswered() throws {
        let fixture = try TLSConfig.gateway(routes: #"{ "path": "/echo", "upstream": "api", "public": true }"#)
        defer { fixture.stop() }
        let body = String(repeating: "x", count: 40_000)
        var request = "POST /echo HTTP/1.1\r\nHost: g\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        request += "POST /echo HTTP/1.1\r\nHost: g\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
        let outcome = TLSConfig.client(fixture).run(request: request)
        XCTAssertNil(outcome.error)
        let answers = (outcome.responses.first ?? "").components(separatedBy: "HTTP/1.1 200 OK").count - 1
        XCTAssertEqual(answers, 2, outcome.responses.first ?? "")
        XCTAssertEqual(fixture.upstream.requests.map(\.bodyCount), [40_000, 3])
    }

    /// Uploads `/echo`, then downloads `/bytes/N` on the same connection; the pattern is the test
    /// upstream's (`(i * 31) % 251`).
    private static let client = #"""
import sys, json, socket, ssl, hashlib
port, n = int(sys.argv[1]), int(sys.argv[2])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
block = bytes((i * 31) % 251 for i in range(251))
data = (block * (n // 251 + 1))[:n]
t = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30), server_hostname="api.porttask.example")
buf = b""
def response(until_close):
    global buf
    while b"\r\n\r\n" not in buf: buf += t.recv(1 << 16)
    head, _, rest = buf.partition(b"\r\n\r\n")
    fields = {l.split(b":", 1)[0].strip().lower(): l.split(b":", 1)[1].strip() for l in head.split(b"\r\n")[1:]}
    length = int(fields[b"content-length"])
    while len(rest) < length: rest += t.recv(1 << 20)
    buf = rest[length:]
    return int(head.split(b" ")[1]), rest[:length]
t.sendall(b"POST /echo HTTP/1.1\r\nHost: g\r\nContent-Length: %d\r\n\r\n" % n)
for i in range(0, n, 1 << 16): t.sendall(data[i:i + (1 << 16)])
out = {}
out["upload_status"], _ = response(False)
t.sendall(b"GET /bytes/%d HTTP/1.1\r\nHost: g\r\n\r\n" % n)
out["download_status"], body = response(False)
out["download_length"] = len(body)
out["download_intact"] = hashlib.sha256(body).digest() == hashlib.sha256(data).digest()
print(json.dumps(out))
"""#
}
