/// A trusted token issuer: where its keys come from and which tokens it may present.
///
/// Security invariants checked at load time: exactly one key source; HMAC algorithms (`HS*`) only
/// with a shared-secret source and shared-secret sources only with `HS*` algorithms (so a public JWKS
/// key can never be used as an HMAC secret); `none` is never an algorithm; issuers are unique.
public struct IssuerSettings: Sendable, Equatable {
    /// The exact `iss` value (`issuer`, required); a token's `iss` selects this entry by exact match.
    public var issuer: String
    /// Where verification keys come from (at most one of the key-source keys); `nil` for an issuer
    /// whose tokens are only introspected (then `introspection` is set).
    public var keySource: KeySource?
    /// RFC 7662 introspection of the issuer's opaque tokens (`introspection`, optional).
    public var introspection: IntrospectionSettings?
    /// Whether its tokens must be DPoP-bound (`dpop`, default `allowed`).
    public var dpop: DPoPMode
    /// Accepted `aud` values (`audiences`); `nil` (absent) = audience not checked.
    public var audiences: [String]?
    /// Allowed `alg` values (`algorithms`, required with a key source, non-empty), validated names such as `RS256`.
    public var algorithms: [String]
    /// Tolerance for `exp`/`nbf`/`iat` (`clock_skew_seconds`, default 60, 0...3600).
    public var clockSkewSeconds: Int
    /// Whether `exp` must be present (`require_exp`, default true).
    public var requireExp: Bool
    /// Claims that must be present (`required_claims`, default `[]`).
    public var requiredClaims: [String]
    /// Required JOSE header `typ`, e.g. `at+jwt` (RFC 9068) (`require_typ`, default none).
    public var requireTyp: String?
    /// JWKS refresh policy (`jwks_refresh`).
    public var jwksRefresh: JWKSRefreshSettings

    /// Creates settings with the documented defaults.
    public init(issuer: String, keySource: KeySource?, audiences: [String]? = nil, algorithms: [String],
                clockSkewSeconds: Int = 60, requireExp: Bool = true, requiredClaims: [String] = [],
                requireTyp: String? = nil, jwksRefresh: JWKSRefreshSettings = JWKSRefreshSettings()) {
        self.issuer = issuer
        self.keySource = keySource
        self.audiences = audiences
        self.algorithms = algorithms
        self.clockSkewSeconds = clockSkewSeconds
        self.requireExp = requireExp
        self.requiredClaims = requiredClaims
        self.requireTyp = requireTyp
        self.jwksRefresh = jwksRefresh
        self.introspection = nil
        self.dpop = .allowed
    }

    /// Algorithm names accepted in `algorithms`. `none` is deliberately absent.
    public static let knownAlgorithms: [String] = [
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
        "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512",
    ]
}

/// Where an issuer's verification keys come from. File paths are absolute (relative paths in the
/// file were resolved against the config file's directory).
public enum KeySource: Sendable, Equatable {
    /// `jwks_uri`: an `http` or `https` URL of a JWK Set.
    case jwksURI(String)
    /// `discovery: true`: fetch `<issuer>/.well-known/openid-configuration` and use its `jwks_uri`.
    case discovery
    /// `jwks_file`: a local JWK Set file (offline or air-gapped use).
    case jwksFile(path: String)
    /// `jwks`: an inline JWK Set object, re-serialized as compact JSON bytes.
    case inlineJWKS([UInt8])
    /// `hmac_secret_file`: a file whose bytes are the HMAC secret (`HS*` only).
    case hmacSecretFile(path: String)
    /// `hmac_secret_env`: an environment variable holding the HMAC secret (`HS*` only).
    case hmacSecretEnvironment(name: String)

    /// Whether this source is a shared secret (only valid with `HS*` algorithms).
    public var isSharedSecret: Bool {
        switch self {
        case .hmacSecretFile, .hmacSecretEnvironment: return true
        default: return false
        }
    }
}

/// JWKS refresh policy of one issuer (`jwks_refresh`), all in seconds except `timeoutMilliseconds`.
public struct JWKSRefreshSettings: Sendable, Equatable {
    /// Refresh interval when the response has no `Cache-Control: max-age` (`default_seconds`, 300).
    public var defaultSeconds: Int
    /// Lower clamp for `max-age` (`min_seconds`, 60).
    public var minSeconds: Int
    /// Upper clamp for `max-age` (`max_seconds`, 86400).
    public var maxSeconds: Int
    /// At most one unknown-`kid` refresh per this interval (`unknown_kid_min_interval_seconds`, 30).
    public var unknownKidMinIntervalSeconds: Int
    /// Last good keys are used at most this long after refreshes start failing (`max_stale_seconds`, 86400).
    public var maxStaleSeconds: Int
    /// Fetch timeout (`timeout_ms`, 5000).
    public var timeoutMilliseconds: Int

    /// Creates settings with the documented defaults.
    public init(defaultSeconds: Int = 300, minSeconds: Int = 60, maxSeconds: Int = 86400,
                unknownKidMinIntervalSeconds: Int = 30, maxStaleSeconds: Int = 86400,
                timeoutMilliseconds: Int = 5000) {
        self.defaultSeconds = defaultSeconds
        self.minSeconds = minSeconds
        self.maxSeconds = maxSeconds
        self.unknownKidMinIntervalSeconds = unknownKidMinIntervalSeconds
        self.maxStaleSeconds = maxStaleSeconds
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}
