import IO
import Telemetry

/// One event loop's access-log lines not yet handed to the sink. Confined to the loop: appending is
/// a copy into `bytes`; the batch goes to `AccessLogSink` when it passes `batchBytes` or on the
/// loop's tick (at most ~100 ms later), so writing costs one queue hop per batch, not per line.
final class AccessLogBuffer: TickHandler, @unchecked Sendable {
    /// Where batches go (replaced by a reload that changes `access_log`).
    var sink: AccessLogSink
    var tickIndex = -1
    /// Complete lines, each ending in `\n`.
    var bytes: [UInt8] = []
    private(set) var lines = 0
    /// This loop's `ts` formatter (the date and time of day are formatted once per second).
    var timestamps = RFC3339.Cache()
    /// A batch is handed over once it holds this many bytes (default 32 KiB).
    static let batchBytes = 32 * 1024

    init(sink: AccessLogSink) {
        self.sink = sink
        bytes.reserveCapacity(Self.batchBytes + 1024)
    }

    /// Call after appending one complete line to `bytes`.
    func lineAppended() {
        lines += 1
        if bytes.count >= Self.batchBytes { flush() }
    }

    /// Hands the lines gathered so far to the sink.
    func flush() {
        guard lines > 0 else { return }
        var batch: [UInt8] = []
        batch.reserveCapacity(Self.batchBytes + 1024)
        swap(&batch, &bytes)
        sink.submit(batch, lines: lines)
        lines = 0
    }

    func tick(now: Instant) { flush() }
}
