/// Where OpenSSL stands in the stream of TLS records it reads: it is at a boundary when every byte
/// it has taken from the session's input belongs to a record it has taken whole.
///
/// Why it is tracked (security invariant): `SSL_free_buffers` frees OpenSSL's read buffer, and
/// OpenSSL before 3.0.14 / 3.1.6 / 3.2.2 / 3.3.1 does so even while a record is half processed —
/// its header read and its body still to come (CVE-2024-4741, a use after free a peer can time).
/// The session never asks OpenSSL to free its buffers between two parts of a record, whatever
/// OpenSSL version it runs on (see `TLSConnection.sweepIdleBuffers`).
///
/// Counts from the end of the handshake (OpenSSL, which never reads ahead here, has then taken
/// the handshake's records exactly); every record from there on has the 5-byte header
/// type, version, length (RFC 8446 §5.1, RFC 5246 §6.2).
struct TLSRecordBoundary {
    /// Header bytes of the current record taken so far (0 at a boundary, or while in its body).
    private var headerBytes = 0
    /// The high byte of the length field, once taken.
    private var lengthHigh = 0
    /// Body bytes of the current record still to be taken.
    private var bodyRemaining = 0

    static let headerLength = 5

    /// Whether OpenSSL holds no part of a record (only whole ones, fully read or not).
    var isAtBoundary: Bool { headerBytes == 0 && bodyRemaining == 0 }

    /// Accounts for `bytes`, the next bytes OpenSSL took from the session's input.
    mutating func advance(over bytes: UnsafeRawBufferPointer) {
        var i = 0
        while i < bytes.count {
            if bodyRemaining > 0 {
                let n = min(bodyRemaining, bytes.count - i)
                bodyRemaining -= n
                i += n
                continue
            }
            if headerBytes == 3 { lengthHigh = Int(bytes[i]) }
            if headerBytes == 4 {
                bodyRemaining = lengthHigh << 8 | Int(bytes[i])
                headerBytes = 0
            } else {
                headerBytes += 1
            }
            i += 1
        }
    }
}
