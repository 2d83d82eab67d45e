import Synchronization

/// Handshakes of one TLS listener, kept across certificate reloads
/// (`portcullis_tls_handshakes_total{listener,result}`): full, resumed (a ticket or a cached session),
/// failed (the session broke before its handshake completed: a bad or missing client certificate, no
/// shared version or cipher, bytes that are not TLS). A connection closed mid-handshake without an
/// error (a client that went away, the handshake timeout) counts in none of them.
public final class TLSHandshakeCounters: Sendable {
    private let fullCount = Atomic<Int>(0)
    private let resumedCount = Atomic<Int>(0)
    private let failedCount = Atomic<Int>(0)

    public init() {}

    /// A handshake completed; `resumed` when it resumed a session.
    func recordCompleted(resumed: Bool) {
        if resumed { resumedCount.add(1, ordering: .relaxed) } else { fullCount.add(1, ordering: .relaxed) }
    }

    /// A session failed before its handshake completed.
    func recordFailed() { failedCount.add(1, ordering: .relaxed) }

    public var full: Int { fullCount.load(ordering: .relaxed) }
    public var resumed: Int { resumedCount.load(ordering: .relaxed) }
    public var failed: Int { failedCount.load(ordering: .relaxed) }
}
