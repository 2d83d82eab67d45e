import Locks
import IO

/// The swappable certificates of a TLS listener: new handshakes read `current`; `reload()` re-reads
/// the same files and swaps in a new identity (SIGHUP), while sessions already made keep the
/// identity they started with (each `TLSConnection` holds it) and go on undisturbed. Thread-safe.
public final class TLSServerCertificates: @unchecked Sendable {
    private let lock = Locked<Void>()
    private var identity: TLSServerIdentity
    /// Number of successful reloads (tests and logs).
    public private(set) var generation = 0
    /// This listener's handshakes, across reloads.
    public let handshakes = TLSHandshakeCounters()

    /// Loads `settings` (see `TLSServerIdentity.init`).
    public init(settings: TLSServerSettings) throws(TLSSetupError) {
        identity = try TLSServerIdentity(settings: settings)
    }

    /// The identity new handshakes use.
    public var current: TLSServerIdentity { lock.withLock { identity } }

    /// A server session for one accepted connection (nil only when OpenSSL cannot allocate one).
    public func makeConnection() -> TLSConnection? {
        let connection = current.makeConnection()
        connection?.handshakeCounters = handshakes
        return connection
    }

    /// Swaps in `next` for new handshakes (sessions already made keep their identity).
    public func install(_ next: TLSServerIdentity) {
        lock.withLock {
            identity = next
            generation += 1
        }
    }

    /// Re-reads the certificate and key files (with `settings`, or the current ones) and swaps them
    /// in. On an error the current identity stays in use and the error names the setting.
    public func reload(settings: TLSServerSettings? = nil) throws(TLSSetupError) {
        install(try TLSServerIdentity(settings: settings ?? current.settings))
    }
}
