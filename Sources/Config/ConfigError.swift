/// A configuration error naming the JSON path of the offending value, printed as
/// `routes[2].upstream: no upstream named "billing"`.
///
/// Messages quote configuration values but never secrets (`client_secret` and HMAC secrets are
/// never echoed).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// JSON path such as `routes[2].upstream`; `(root)` for the document itself, or the file path
    /// for I/O and syntax errors.
    public var path: String
    /// Human-readable message.
    public var message: String
    /// Creates an error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// A non-fatal finding of `portcullis check` (e.g. a route shadowed by an earlier one).
public struct ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    /// JSON path of the value the warning is about.
    public var path: String
    /// Human-readable message.
    public var message: String
    /// Creates a warning.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
