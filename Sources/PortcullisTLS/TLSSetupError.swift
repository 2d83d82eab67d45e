import COpenSSL

/// A TLS configuration that cannot be used, naming the setting at fault relative to the `tls`
/// object (`certificates[0].private_key_file`). Messages name files and OpenSSL's reason, never
/// key material.
public struct TLSSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Path of the setting relative to the `tls` object, e.g. `certificates[1].certificate_file`.
    public var path: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }

    /// An error whose message ends with OpenSSL's first queued reason; the queue is cleared.
    static func openSSL(path: String, _ message: String) -> TLSSetupError {
        let reason = OpenSSLReason.take()
        return TLSSetupError(path: path, reason.map { "\(message) (\($0))" } ?? message)
    }
}

/// The thread's OpenSSL error queue read as one reason string (the earliest entry's), then
/// cleared: every TLS failure path calls `take()` or `clear()`, so no stale error survives into
/// a later, unrelated call on the same loop.
enum OpenSSLReason {
    static func take() -> String? {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return nil }
        guard let reason = ERR_reason_error_string(code) else { return "error \(code)" }
        return String(cString: reason)
    }

    static func clear() { ERR_clear_error() }
}
