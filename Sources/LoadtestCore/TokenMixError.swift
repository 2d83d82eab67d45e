/// Why a token mix, token file or token was rejected. Never includes a token's text.
public struct TokenMixError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable failure codes, one per cause.
    public enum Code: String, Sendable {
        /// `--mix` is not a comma-separated list of `kind=share`.
        case invalidSyntax = "mix.invalid_syntax"
        /// A kind other than valid, expired, wrong-scope, bad-signature.
        case unknownKind = "mix.unknown_kind"
        /// The same kind appears twice.
        case duplicateKind = "mix.duplicate_kind"
        /// A share is not an integer in 0...10000.
        case invalidShare = "mix.invalid_share"
        /// Every share is zero.
        case noShares = "mix.no_shares"
        /// The distinct-token count is not in 1...1000000.
        case invalidDistinctCount = "mix.invalid_distinct_count"
        /// A token is not three base64url segments separated by dots.
        case malformedToken = "tokens.malformed_token"
        /// The mix gives a share to a kind for which no token is available.
        case missingKind = "tokens.missing_kind"
        /// Fewer valid tokens than the distinct-token count.
        case tooFewTokens = "tokens.too_few"
        /// The token file is not the expected JSON object.
        case invalidTokenFile = "tokens.invalid_file"
    }

    /// The failure code.
    public let code: Code
    /// Safe human description (names kinds and positions, never token text).
    public let detail: String

    /// Creates an error.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// `detail [code]`.
    public var description: String { detail + " [\(code.rawValue)]" }
}
