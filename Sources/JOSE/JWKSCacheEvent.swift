/// Something worth logging that happened to a JWKS cache. Messages hold counts, durations and
/// failure descriptions only: never a `kid` taken from a token (attacker-controlled text).
public struct JWKSCacheEvent: Sendable, Equatable, CustomStringConvertible {
    /// Severity of an event.
    public enum Level: String, Sendable, Equatable {
        /// Routine: a scheduled refresh that changed nothing.
        case debug
        case info, warning, error
    }
    /// Severity.
    public let level: Level
    /// Stable event code, e.g. `jwks_refreshed`.
    public let code: String
    /// Safe human-readable text.
    public let message: String

    /// An event; the cache builds these itself.
    public init(level: Level, code: String, message: String) {
        self.level = level
        self.code = code
        self.message = message
    }

    /// `level code: message`, one log line.
    public var description: String { "\(level.rawValue) \(code): \(message)" }
}
