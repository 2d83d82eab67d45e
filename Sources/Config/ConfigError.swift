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
    /// Creates an error. Control characters (C0 and DEL) in `path` or `message` (keys and values
    /// quoted from the file) become `?`, so an error is always one printable line in
    /// `portcullis check` output and logs (found by the `config` fuzz target).
    public init(path: String, message: String) {
        self.path = Self.printable(path)
        self.message = Self.printable(message)
    }
    /// `path: message`.
    public var description: String { "\(path): \(message)" }

    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }
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
