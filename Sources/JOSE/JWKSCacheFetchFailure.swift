/// Why a JWKS fetch failed. `code` is stable (log field and metric label); `description` is
/// safe to log: it never contains a token, a secret or raw document bytes.
public struct JWKSFetchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable cause, e.g. `jwks_http_status`.
    public let code: String
    /// Safe human-readable detail.
    public let description: String

    /// A failure with an explicit code; prefer the named constructors below.
    public init(code: String, description: String) {
        self.code = code
        self.description = description
    }

    /// Connection refused, DNS failure, TLS failure or transport timeout.
    public static func transport(_ detail: String) -> JWKSFetchFailure {
        JWKSFetchFailure(code: "jwks_transport", description: "JWKS fetch failed: \(detail)")
    }
    /// The server answered with a status other than 200.
    public static func httpStatus(_ status: Int) -> JWKSFetchFailure {
        JWKSFetchFailure(code: "jwks_http_status", description: "JWKS endpoint answered HTTP \(status)")
    }
    /// The document is larger than the configured limit.
    public static func tooLarge(limit: Int) -> JWKSFetchFailure {
        JWKSFetchFailure(code: "jwks_too_large", description: "JWKS document exceeds \(limit) bytes")
    }
    /// The document is not a key set we can use.
    public static let unparseable = JWKSFetchFailure(code: "jwks_unparseable",
                                                     description: "JWKS document did not parse")
    /// The document parsed but holds no usable key.
    public static let emptyKeySet = JWKSFetchFailure(code: "jwks_empty", description: "JWKS document holds no usable key")
    /// The OpenID discovery document is missing, malformed, or names another issuer.
    public static func discovery(_ detail: String) -> JWKSFetchFailure {
        JWKSFetchFailure(code: "jwks_discovery", description: "OpenID discovery failed: \(detail)")
    }
    /// The local `jwks_file` could not be read.
    public static let fileUnreadable = JWKSFetchFailure(code: "jwks_file_unreadable",
                                                        description: "JWKS file could not be read")
    /// No answer within `JWKSCachePolicy.fetchTimeout`.
    public static let timeout = JWKSFetchFailure(code: "jwks_timeout", description: "JWKS fetch timed out")
    /// The fetcher was stopped.
    public static let stopped = JWKSFetchFailure(code: "jwks_stopped", description: "JWKS fetcher stopped")
}
