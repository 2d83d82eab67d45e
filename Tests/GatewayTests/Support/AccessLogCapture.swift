import Foundation
import XCTest
@testable import Gateway

/// An access-log sink writing into a pipe the test reads: `lines(of:)` flushes every loop's buffer
/// (waiting until the writer has written it) and decodes what arrived.
final class AccessLogCapture {
    let sink: AccessLogSink
    private let readFD: Int32
    private let writeFD: Int32
    private var pending: [UInt8] = []

    init(maxPendingBytes: Int = 8 << 20) {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        readFD = fds[0]
        writeFD = fds[1]
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        sink = AccessLogSink(descriptor: writeFD, maxPendingBytes: maxPendingBytes)
    }

    /// The writer is done with the descriptor before it is closed (its number could be reused).
    deinit { sink.flush(timeoutSeconds: 5); close(readFD); close(writeFD) }

    /// Raw text written so far (after a flush of `server`'s loops).
    func text(of server: GatewayServer) -> String {
        let done = DispatchSemaphore(value: 0)
        server.flushAccessLogs { done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(readFD, &buffer, buffer.count)
            if n <= 0 { break }
            pending.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Every line written so far, decoded as JSON objects.
    func lines(of server: GatewayServer, file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        text(of: server).split(separator: "\n").compactMap { raw in
            let object = try? JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any]
            XCTAssertNotNil(object, "not a JSON object: \(raw)", file: file, line: line)
            return object
        }
    }
}
