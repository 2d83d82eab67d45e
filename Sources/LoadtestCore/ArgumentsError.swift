/// Why the command line was rejected. Never echoes `--client-secret`'s value.
public struct ArgumentsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable failure codes, one per cause.
    public enum Code: String, Sendable {
        /// An option the command does not know.
        case unknownOption = "args.unknown_option"
        /// An option at the end of the line without its value.
        case missingValue = "args.missing_value"
        /// The same option given twice.
        case duplicateOption = "args.duplicate_option"
        /// A required option is absent.
        case missingOption = "args.missing_option"
        /// A value out of range or of the wrong form.
        case invalidValue = "args.invalid_value"
        /// Options that exclude each other, or one that needs another.
        case conflictingOptions = "args.conflicting_options"
        /// A word that is neither a command nor an option.
        case unexpectedArgument = "args.unexpected_argument"
        /// A URL that is not `http://host[:port][/path]`.
        case invalidURL = "args.invalid_url"
        /// `https://` and other schemes: loadtest speaks plain HTTP/1.1 only.
        case unsupportedScheme = "args.unsupported_scheme"
    }

    /// The failure code.
    public let code: Code
    /// Safe human description.
    public let detail: String

    /// Creates an error.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `detail [code]`.
    public var description: String { detail + " [\(code.rawValue)]" }
}
