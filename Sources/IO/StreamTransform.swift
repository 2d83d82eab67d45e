/// A byte transformer between a `TCPStream`'s socket and its users (TLS is the one in use): bytes
/// read from the socket go in as received, decoded bytes come out into `stream.inbound`; bytes the
/// users write go in as plaintext and come out as the bytes to send. The transform never touches a
/// descriptor, so it does not care how bytes reach the socket.
///
/// Confined to the stream's loop, like the stream.
public protocol StreamTransform: AnyObject {
    /// Takes bytes received from the socket (copied; the caller reuses the memory).
    func receive(_ bytes: UnsafeRawBufferPointer)
    /// Decodes buffered received bytes into `buffer`: the count written (0: nothing decodable yet),
    /// or `StreamTransformRead.closed` (the peer ended the session cleanly) or
    /// `StreamTransformRead.failed` (the session is broken; `failureReason` says why).
    func readDecoded(into buffer: UnsafeMutableRawBufferPointer) -> Int
    /// Whether decoded bytes (or whole records) may be waiting inside the transform although the
    /// socket has nothing new: a stream that resumes reading must ask `readDecoded` again.
    var hasBufferedInput: Bool { get }
    /// Encodes bytes to send. Bytes written before the session is established are held and sent
    /// once it is.
    func send(_ bytes: UnsafeRawBufferPointer)
    /// Calls `body` with the bytes to put on the wire now (handshake messages, records, alerts),
    /// once per contiguous block, and forgets them.
    func drainOutput(_ body: (UnsafeRawBufferPointer) -> Void)
    /// The client side begins its handshake (called once the connection is established).
    func start()
    /// Ends the session cleanly (TLS close_notify); the bytes come out of `drainOutput`.
    func shutdown()
    /// The owner's periodic idle sweep (the loop's tick): when nothing was received or sent since
    /// the previous call, buffers that hold nothing are given back, so an idle connection keeps
    /// none; a busy one keeps them, so its requests allocate none. Safe in any state (buffers
    /// holding bytes are kept).
    func sweepIdleBuffers()
    /// Why the session failed (for logs and error responses; never secret material).
    var failureReason: String? { get }
    /// Bytes to send as they are (not encoded) once the session has failed, before the stream
    /// closes: a server's answer to a peer that does not speak the protocol at all (plain HTTP on
    /// an HTTPS port). Nothing the peer sent is ever passed on.
    var failureReply: [UInt8]? { get }
}

/// Special results of `StreamTransform.readDecoded`.
public enum StreamTransformRead {
    /// The peer ended the session cleanly: treated as the end of the stream.
    public static let closed = -1
    /// The session failed: the stream fails with `EPROTO`.
    public static let failed = -2
}
