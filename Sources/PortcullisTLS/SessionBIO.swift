import COpenSSL

/// The BIO every `TLSConnection` gives its `SSL` for both directions: a read takes bytes from the
/// session's `input` (what the socket delivered), a write appends to its `output` (what goes on the
/// wire next). Both are Swift arrays owned by the session, so an idle session can give their memory
/// back (`TLSConnection.sweepIdleBuffers`): a pair of OpenSSL memory BIOs costs two BIOs, two
/// locks and two `BUF_MEM`s per connection, keeps the largest size each ever reached, and zeroes
/// that whole size on every reset.
///
/// The BIO's data pointer is the session, unretained: the session owns the `SSL`, which owns the
/// BIO, and OpenSSL calls the BIO only from inside the session's own calls into the `SSL`.
enum SessionBIO {
    /// One method for the process, never freed (every session's BIO points at it).
    private static let method: UncheckedPointer = {
        let type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK
        guard let method = BIO_meth_new(type, "portcullis session") else { fatalError("BIO_meth_new failed") }
        _ = BIO_meth_set_write(method, write)
        _ = BIO_meth_set_read(method, read)
        _ = BIO_meth_set_ctrl(method, control)
        return UncheckedPointer(method)
    }()

    /// A new BIO reading from and writing to `session`; nil when OpenSSL cannot allocate one.
    static func make(for session: TLSConnection) -> OpaquePointer? {
        guard let bio = BIO_new(method.pointer) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(session).toOpaque())
        BIO_set_init(bio, 1)
        return bio
    }

    private static func session(_ bio: OpaquePointer?) -> TLSConnection? {
        guard let bio, let data = BIO_get_data(bio) else { return nil }
        return Unmanaged<TLSConnection>.fromOpaque(data).takeUnretainedValue()
    }

    private static let write: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { bio, data, length in
        portcullis_bio_clear_retry_flags(bio)
        guard let session = session(bio), let data, length > 0 else { return 0 }
        session.output.append(contentsOf: UnsafeRawBufferPointer(start: data, count: Int(length)).bindMemory(to: UInt8.self))
        return length
    }

    /// Empty input is "wait for more" (a retryable read), never the end of the stream: the end of
    /// the TCP stream is the stream's business, and TLS itself ends with close_notify.
    private static let read: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int32) -> Int32 = { bio, buffer, length in
        portcullis_bio_clear_retry_flags(bio)
        guard let session = session(bio), let buffer, length > 0 else { return 0 }
        let n = session.takeInput(into: UnsafeMutableRawPointer(buffer), count: Int(length))
        if n == 0 { portcullis_bio_set_retry_read(bio); return -1 }
        return Int32(n)
    }

    private static let control: @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int = { bio, command, _, _ in
        switch command {
        case BIO_CTRL_FLUSH: return 1
        case BIO_CTRL_PENDING: return session(bio)?.pendingInputCount ?? 0
        case BIO_CTRL_WPENDING: return session(bio)?.output.count ?? 0
        default: return 0
        }
    }
}

/// An OpenSSL pointer that is immutable once made and safe to share (a `BIO_METHOD`).
struct UncheckedPointer: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
