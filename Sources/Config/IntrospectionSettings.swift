/// RFC 7662 token introspection for an issuer's opaque access tokens (`issuers[].introspection`).
///
/// Security invariants checked at load time: the endpoint is `https`, or `http` only on a loopback
/// host (tests, a sidecar); exactly one of `client_secret_env` / `client_secret_file`, whose value
/// must be readable when the configuration loads and never appears in a message.
public struct IntrospectionSettings: Sendable, Equatable {
    /// How the gateway authenticates to the endpoint (RFC 6749 §2.3.1).
    public enum AuthMethod: String, Sendable, CaseIterable {
        /// HTTP Basic with the form-encoded client id and secret (the default).
        case clientSecretBasic = "client_secret_basic"
        /// `client_id` and `client_secret` in the form body.
        case clientSecretPost = "client_secret_post"
    }

    /// Where the client secret comes from.
    public enum SecretSource: Sendable, Equatable {
        /// `client_secret_env`: an environment variable.
        case environment(name: String)
        /// `client_secret_file`: a file (absolute path; one trailing newline ignored).
        case file(path: String)
    }

    /// The introspection endpoint (`endpoint`, required).
    public var endpoint: String
    /// The gateway's client id at the authorization server (`client_id`, required).
    public var clientID: String
    /// The client secret's source (`client_secret_env` or `client_secret_file`, exactly one).
    public var secret: SecretSource
    /// `auth_method` (default `client_secret_basic`).
    public var authMethod: AuthMethod
    /// How long an active answer is cached (`cache_ttl_seconds`, default 60; also bounded by the
    /// token's `exp`).
    public var cacheTTLSeconds: Int
    /// How long an inactive answer is cached (`negative_cache_ttl_seconds`, default 5).
    public var negativeCacheTTLSeconds: Int
    /// Request timeout (`timeout_ms`, default 2000).
    public var timeoutMilliseconds: Int

    /// Creates settings with the documented defaults.
    public init(endpoint: String, clientID: String, secret: SecretSource, authMethod: AuthMethod = .clientSecretBasic,
                cacheTTLSeconds: Int = 60, negativeCacheTTLSeconds: Int = 5, timeoutMilliseconds: Int = 2000) {
        self.endpoint = endpoint
        self.clientID = clientID
        self.secret = secret
        self.authMethod = authMethod
        self.cacheTTLSeconds = cacheTTLSeconds
        self.negativeCacheTTLSeconds = negativeCacheTTLSeconds
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}
