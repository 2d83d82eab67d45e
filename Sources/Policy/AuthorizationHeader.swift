/// Extraction of a Bearer token (RFC 6750 §2.1) or a DPoP-bound token (RFC 9449 §7.1) from the
/// request's `Authorization` fields.
public enum AuthorizationHeader {
    /// What the `Authorization` fields contain.
    public enum Credential: Sendable, Equatable {
        /// No `Authorization` field: 401 with a bare Bearer challenge.
        case missing
        /// A syntactically valid Bearer token (a slice of the field value; never log it).
        case bearer(token: Substring)
        /// A token sent with the `DPoP` scheme (RFC 9449 §7.1): it must come with a `DPoP` proof.
        case dpop(token: Substring)
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
        parse(value: value, checkingTokenSyntax: true)
    }

    /// `parse(value:)` without the `b64token` character check of the token (scheme, separator and
    /// field shape are still checked). For a verifier whose own parser is stricter than `b64token`
    /// (a compact JWS is base64url and dots only): a token it accepts is a valid `b64token`, so the
    /// check is needed only to classify a token it rejects — call `isB64Token` then, and answer
    /// `.malformed(.invalidToken)` (400) when it fails. Saves a pass over every accepted token.
    public static func parseDeferringTokenSyntax(value: String) -> Credential {
        parse(value: value, checkingTokenSyntax: false)
    }

    /// Whether `token` matches RFC 6750 `b64token` (see `parseDeferringTokenSyntax`).
    public static func isB64Token(_ token: Substring) -> Bool {
        token.utf8.withContiguousStorageIfAvailable(isB64Token) ?? Array(token.utf8).withUnsafeBufferPointer(isB64Token)
    }

    private static func parse(value: String, checkingTokenSyntax: Bool) -> Credential {
        let bounds = value.utf8.withContiguousStorageIfAvailable { tokenBounds($0, checkingTokenSyntax: checkingTokenSyntax) }
            ?? Array(value.utf8).withUnsafeBufferPointer { tokenBounds($0, checkingTokenSyntax: checkingTokenSyntax) }
        switch bounds {
        case .success(let (range, isDPoP)):
            let utf8 = value.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let end = utf8.index(start, offsetBy: range.count)
            return isDPoP ? .dpop(token: value[start..<end]) : .bearer(token: value[start..<end])
        case .failure(let outcome):
            return outcome.credential
        }
    }

    /// Non-token outcomes, as an `Error` so they travel in a `Result`.
    private struct Outcome: Error {
        let credential: Credential
    }

    /// Byte offsets of the token in `bytes`, or the outcome when there is no usable token.
    private static func tokenBounds(_ bytes: UnsafeBufferPointer<UInt8>, checkingTokenSyntax: Bool) -> Result<(Range<Int>, isDPoP: Bool), Outcome> {
        var start = 0
        var end = bytes.count
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        var schemeEnd = start
        while schemeEnd < end, ByteClass.isTokenChar(bytes[schemeEnd]) { schemeEnd += 1 }
        guard schemeEnd > start else { return .failure(Outcome(credential: .malformed(.noScheme))) }
        let scheme = UnsafeBufferPointer(rebasing: bytes[start..<schemeEnd])
        let isDPoP = !isBearer(scheme) && isDPoPScheme(scheme)
        guard isDPoP || isBearer(scheme) else {
            return .failure(Outcome(credential: .otherScheme))
        }
        var tokenStart = schemeEnd
        while tokenStart < end, bytes[tokenStart] == UInt8(ascii: " ") { tokenStart += 1 }
        guard tokenStart < end else { return .failure(Outcome(credential: .malformed(.missingToken))) }
        guard tokenStart > schemeEnd, !checkingTokenSyntax || isB64Token(UnsafeBufferPointer(rebasing: bytes[tokenStart..<end])) else {
            return .failure(Outcome(credential: .malformed(.invalidToken)))
        }
        return .success((tokenStart..<end, isDPoP))
    }

    /// `DPoP`, ASCII case-insensitive (auth schemes are case-insensitive, RFC 9110 §11.1).
    private static func isDPoPScheme(_ scheme: UnsafeBufferPointer<UInt8>) -> Bool {
        scheme.count == 4 && scheme[0] | 0x20 == UInt8(ascii: "d") && scheme[1] | 0x20 == UInt8(ascii: "p")
            && scheme[2] | 0x20 == UInt8(ascii: "o") && scheme[3] | 0x20 == UInt8(ascii: "p")
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
    /// One table load and OR per byte, no branch (a token is ~1 KiB and this runs on every request).
    private static func isB64Token(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        var bodyEnd = token.count
        while bodyEnd > 0 && token[bodyEnd - 1] == UInt8(ascii: "=") { bodyEnd -= 1 }
        guard bodyEnd > 0 else { return false }
        let table = b64TokenRejects.utf8Start
        var rejected: UInt8 = 0
        for i in 0..<bodyEnd { rejected |= table[Int(token[i])] }
        return rejected & 1 == 0
    }

    /// Indexed by byte value: `"1"` (odd) when the byte may not appear in a b64token body, `"0"` when
    /// it may. A literal: its bytes are a constant in the binary (no lazy initialization per access).
    static let b64TokenRejects: StaticString = """
        1111111111111111111111111111111111111111111010000000000000111111\
        1000000000000000000000000001111010000000000000000000000000011101\
        1111111111111111111111111111111111111111111111111111111111111111\
        1111111111111111111111111111111111111111111111111111111111111111
        """
}
