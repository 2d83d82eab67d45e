/// Extraction of a Bearer token from the request's `Authorization` fields (RFC 6750 §2.1).
public enum AuthorizationHeader {
    /// What the `Authorization` fields contain.
    public enum Credential: Sendable, Equatable {
        /// No `Authorization` field: 401 with a bare Bearer challenge.
        case missing
        /// A syntactically valid Bearer token (a slice of the field value; never log it).
        case bearer(token: Substring)
        /// Another scheme (e.g. `Basic`): 401 with the Bearer challenge.
        case otherScheme
        /// Unusable field(s): 400 `invalid_request`.
        case malformed(Malformation)
    }

    /// Why the `Authorization` field(s) are unusable; raw values are the stable reason codes.
    public enum Malformation: String, Sendable, CaseIterable {
        /// More than one `Authorization` field: which one the upstream reads is anyone's guess.
        case multipleFields = "authorization_multiple_fields"
        /// An empty field value, or one that does not start with an auth-scheme token.
        case noScheme = "authorization_no_scheme"
        /// `Bearer` with no token.
        case missingToken = "authorization_bearer_without_token"
        /// A token with spaces or characters outside RFC 6750 `b64token`, or a separator other than SP.
        case invalidToken = "authorization_invalid_token_syntax"

        /// A safe human description.
        public var description: String {
            switch self {
            case .multipleFields: return "more than one Authorization header"
            case .noScheme: return "Authorization header has no scheme"
            case .missingToken: return "Bearer scheme without a token"
            case .invalidToken: return "Bearer token has invalid characters"
            }
        }
    }

    /// Parses all `Authorization` field values of a request, in order.
    ///
    /// The scheme is case-insensitive; scheme and token are separated by one or more SP; the token
    /// must match `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`; surrounding
    /// optional whitespace is ignored.
    public static func parse(values: [String]) -> Credential {
        switch values.count {
        case 0: return .missing
        case 1: return parse(value: values[0])
        default: return .malformed(.multipleFields)
        }
    }

    /// Parses one `Authorization` field value.
    public static func parse(value: String) -> Credential {
        let bounds = value.utf8.withContiguousStorageIfAvailable(tokenBounds) ?? Array(value.utf8).withUnsafeBufferPointer(tokenBounds)
        switch bounds {
        case .success(let range):
            let utf8 = value.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let end = utf8.index(start, offsetBy: range.count)
            return .bearer(token: value[start..<end])
        case .failure(let outcome):
            return outcome.credential
        }
    }

    /// Non-token outcomes, as an `Error` so they travel in a `Result`.
    private struct Outcome: Error {
        let credential: Credential
    }

    /// Byte offsets of the token in `bytes`, or the outcome when there is no usable token.
    private static func tokenBounds(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Range<Int>, Outcome> {
        var start = 0
        var end = bytes.count
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        var schemeEnd = start
        while schemeEnd < end, ByteClass.isTokenChar(bytes[schemeEnd]) { schemeEnd += 1 }
        guard schemeEnd > start else { return .failure(Outcome(credential: .malformed(.noScheme))) }
        guard isBearer(UnsafeBufferPointer(rebasing: bytes[start..<schemeEnd])) else {
            return .failure(Outcome(credential: .otherScheme))
        }
        var tokenStart = schemeEnd
        while tokenStart < end, bytes[tokenStart] == UInt8(ascii: " ") { tokenStart += 1 }
        guard tokenStart < end else { return .failure(Outcome(credential: .malformed(.missingToken))) }
        guard tokenStart > schemeEnd, isB64Token(UnsafeBufferPointer(rebasing: bytes[tokenStart..<end])) else {
            return .failure(Outcome(credential: .malformed(.invalidToken)))
        }
        return .success(tokenStart..<end)
    }

    @inline(__always)
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func isBearer(_ scheme: UnsafeBufferPointer<UInt8>) -> Bool {
        guard scheme.count == 6 else { return false }
        return scheme[0] | 0x20 == UInt8(ascii: "b") && scheme[1] | 0x20 == UInt8(ascii: "e")
            && scheme[2] | 0x20 == UInt8(ascii: "a") && scheme[3] | 0x20 == UInt8(ascii: "r")
            && scheme[4] | 0x20 == UInt8(ascii: "e") && scheme[5] | 0x20 == UInt8(ascii: "r")
    }

    /// RFC 6750 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
    /// Checked with two 64-bit class masks and no branch per byte (a token is ~1 KiB and this runs on
    /// every request).
    private static func isB64Token(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        var bodyEnd = token.count
        while bodyEnd > 0 && token[bodyEnd - 1] == UInt8(ascii: "=") { bodyEnd -= 1 }
        guard bodyEnd > 0 else { return false }
        var bad: UInt64 = 0
        for i in 0..<bodyEnd {
            let byte = token[i]
            let mask = byte < 64 ? b64TokenLow : b64TokenHigh
            bad |= ~(mask >> UInt64(byte & 63)) & 1 | UInt64(byte >> 7)
        }
        return bad == 0
    }

    /// Bytes 0–63 allowed in a b64token body: `+ - . /` and digits.
    private static let b64TokenLow: UInt64 = 1 << 43 | 1 << 45 | 1 << 46 | 1 << 47 | 0x3FF << 48
    /// Bytes 64–127 (bit = byte − 64): `A`–`Z`, `_`, `a`–`z`, `~`.
    private static let b64TokenHigh: UInt64 = 0x3FF_FFFF << 1 | 1 << 31 | 0x3FF_FFFF << 33 | 1 << 62
}
