/// A `WWW-Authenticate: Bearer ...` challenge (RFC 6750 §3).
///
/// Security invariant: every attribute value is sanitized (controls become spaces, non-ASCII
/// becomes `?`) and then written as an RFC 9110 quoted-string with `"` and `\` escaped, so no
/// reason text can break out of its attribute, inject a header (CR/LF) or forge another attribute.
public struct BearerChallenge: Sendable, Equatable {
    /// `realm` (always present).
    public var realm: String
    /// `error` (`invalid_request`, `invalid_token`, `insufficient_scope`); `nil` when no credentials
    /// were presented (RFC 6750 §3.1: then no error attribute).
    public var error: String?
    /// `error_description`.
    public var description: String?
    /// `scope`: the scopes required (space-separated).
    public var scope: String?

    /// Creates a challenge.
    public init(realm: String, error: String? = nil, description: String? = nil, scope: String? = nil) {
        self.realm = realm
        self.error = error
        self.description = description
        self.scope = scope
    }

    /// The header field value, e.g. `Bearer realm="portcullis", error="invalid_token", error_description="..."`.
    public var headerValue: String {
        var out: [UInt8] = Array("Bearer ".utf8)
        appendParameter("realm", realm, to: &out)
        if let error { out.append(contentsOf: ", ".utf8); appendParameter("error", error, to: &out) }
        if let description {
            out.append(contentsOf: ", ".utf8)
            appendParameter("error_description", description, to: &out)
        }
        if let scope { out.append(contentsOf: ", ".utf8); appendParameter("scope", scope, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private func appendParameter(_ name: String, _ value: String, to out: inout [UInt8]) {
        Self.appendParameter(name, value, to: &out)
    }

    /// `name="value"` with the value sanitized and quoted (shared by every challenge scheme).
    static func appendParameter(_ name: String, _ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: "=\"".utf8)
        for byte in Self.sanitize(value).utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Reduces text to printable ASCII: control characters (including CR, LF, HTAB, DEL) become a
    /// space and every non-ASCII character becomes `?`. The result is used both in the header and
    /// in the JSON body, so both carry the same reason.
    public static func sanitize(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20..<0x7F: out.unicodeScalars.append(scalar)
            case 0..<0x20, 0x7F: out.unicodeScalars.append(" ")
            default: out.unicodeScalars.append("?")
            }
        }
        return out
    }
}
