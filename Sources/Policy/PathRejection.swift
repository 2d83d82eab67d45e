/// Why a request-target was refused by ``PathNormalizer``. Every rejection is answered 400 and
/// never forwarded; ``code`` is stable (the log field and metric label).
public struct PathRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable rejection codes, one per cause.
    public enum Code: String, Sendable, CaseIterable {
        /// The target does not start with `/` (not origin-form).
        case notOriginForm = "path_not_origin_form"
        /// `%2F`/`%2f`: an encoded slash would let the upstream see a different segment structure.
        case encodedSlash = "path_encoded_slash"
        /// `%5C` or a raw `\`: some upstreams treat backslash as a separator.
        case backslash = "path_backslash"
        /// `%00` or a raw NUL byte: C-string truncation in upstreams.
        case nul = "path_nul"
        /// `%` not followed by two hex digits (also catches IIS-style `%u002e`).
        case malformedPercentEncoding = "path_malformed_percent_encoding"
        /// Percent-encoded bytes that are not well-formed UTF-8 (e.g. the overlong `%C0%AE` for `.`,
        /// which old decoders turned into a dot).
        case invalidUTF8 = "path_invalid_utf8"
        /// Control, space, non-ASCII, `#` or another byte outside RFC 3986 `pchar`.
        case invalidCharacter = "path_invalid_character"
        /// A `..` segment would climb above the root.
        case aboveRoot = "path_above_root"
        /// A segment like `..;x`, `.;x` or `;x`: a path parameter on a dot or empty segment
        /// (the Tomcat `..;/` bypass).
        case dotSegmentWithParameters = "path_dot_segment_with_parameters"
    }

    /// The cause.
    public var code: Code
    /// HTTP status the gateway answers with (always 400).
    public var status: Int { 400 }

    /// Creates a rejection.
    public init(_ code: Code) { self.code = code }

    /// A safe human description (never echoes the path).
    public var description: String {
        switch code {
        case .notOriginForm: return "request target must start with /"
        case .encodedSlash: return "encoded slash (%2F) in path"
        case .backslash: return "backslash in path"
        case .nul: return "NUL byte in path"
        case .malformedPercentEncoding: return "malformed percent-encoding in path"
        case .invalidUTF8: return "percent-encoded path is not valid UTF-8"
        case .invalidCharacter: return "invalid character in request target"
        case .aboveRoot: return "path climbs above the root"
        case .dotSegmentWithParameters: return "path parameter on a dot or empty segment"
        }
    }
}
