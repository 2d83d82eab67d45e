/// Everything the development authorization server needs, with development defaults.
///
/// Defaults: access tokens 3600 s, refresh tokens 30 days, authorization codes 600 s,
/// device codes 600 s with a 5 s polling interval, retired signing keys stay published for
/// 3600 s after a rotation, access tokens signed with RS256.
public struct DevIssuerConfiguration: Sendable {
    /// The issuer identifier and base URL, e.g. `http://127.0.0.1:9000` (no trailing slash).
    public var issuer: String
    /// The `aud` of every access token (the gateway's expected audience).
    public var audience: String
    /// Access-token lifetime in seconds (default 3600).
    public var accessTokenTTL: Int64
    /// Refresh-token lifetime in seconds (default 30 days); each rotation starts a fresh lifetime.
    public var refreshTokenTTL: Int64
    /// Authorization-code lifetime in seconds (default 600).
    public var codeTTL: Int64
    /// Device-code lifetime in seconds (default 600).
    public var deviceCodeTTL: Int64
    /// Minimum seconds between device-code polls (default 5); `slow_down` adds 5 per offence.
    public var devicePollInterval: Int64
    /// How long a retired public key stays in the JWKS after `rotateKeys` (default 3600 s).
    public var keyRotationGracePeriod: Int64
    /// The algorithm of access tokens from the token endpoint (default RS256).
    public var accessTokenAlgorithm: AccessTokenAlgorithm
    /// The development user every authorization and device approval is granted as.
    public var user: DevUser
    /// The registered clients.
    public var clients: [DevClient]
    /// Where to load the signing keys from (`rs256.pem`, `es256.pem`, PKCS#8), creating them
    /// with mode 0600 when missing. `nil`: fresh keys at every start.
    public var keysDirectory: String?

    /// Creates a configuration; every duration has its development default.
    public init(issuer: String, audience: String, accessTokenTTL: Int64 = 3600,
                refreshTokenTTL: Int64 = 30 * 24 * 3600, codeTTL: Int64 = 600, deviceCodeTTL: Int64 = 600,
                devicePollInterval: Int64 = 5, keyRotationGracePeriod: Int64 = 3600,
                accessTokenAlgorithm: AccessTokenAlgorithm = .rs256, user: DevUser, clients: [DevClient],
                keysDirectory: String? = nil) {
        self.issuer = issuer
        self.audience = audience
        self.accessTokenTTL = accessTokenTTL
        self.refreshTokenTTL = refreshTokenTTL
        self.codeTTL = codeTTL
        self.deviceCodeTTL = deviceCodeTTL
        self.devicePollInterval = devicePollInterval
        self.keyRotationGracePeriod = keyRotationGracePeriod
        self.accessTokenAlgorithm = accessTokenAlgorithm
        self.user = user
        self.clients = clients
        self.keysDirectory = keysDirectory
    }

    /// The client registered as `id`, if any.
    func client(_ id: String) -> DevClient? {
        clients.first { $0.id == id }
    }

    /// Checks the configuration once, at start.
    /// - Throws: `DevIssuerConfigurationError` naming the first problem.
    func validate() throws {
        guard issuer.hasPrefix("http://") || issuer.hasPrefix("https://"), !issuer.hasSuffix("/") else {
            throw DevIssuerConfigurationError(.invalidIssuer, "issuer must be an http(s) URL without a trailing slash")
        }
        guard !audience.isEmpty else { throw DevIssuerConfigurationError(.invalidAudience, "audience is empty") }
        for ttl in [accessTokenTTL, refreshTokenTTL, codeTTL, deviceCodeTTL, devicePollInterval] where ttl <= 0 {
            throw DevIssuerConfigurationError(.invalidDuration, "durations must be positive")
        }
        guard keyRotationGracePeriod >= 0 else {
            throw DevIssuerConfigurationError(.invalidDuration, "keyRotationGracePeriod must not be negative")
        }
        var seen = Set<String>()
        for client in clients {
            guard !client.id.isEmpty, seen.insert(client.id).inserted else {
                throw DevIssuerConfigurationError(.duplicateClient, "client ids must be unique and non-empty")
            }
            try client.validate()
        }
    }
}

/// The development user an authorization or device approval is granted as.
public struct DevUser: Sendable, Equatable {
    /// The `sub` claim.
    public var sub: String
    /// The display name (`name` at userinfo).
    public var name: String
    /// The e-mail address (`email` at userinfo).
    public var email: String

    /// Creates a user.
    public init(sub: String, name: String, email: String) {
        self.sub = sub
        self.name = name
        self.email = email
    }
}

/// A configuration problem found at start.
public struct DevIssuerConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One code per cause.
    public enum Code: String, Sendable {
        case invalidIssuer = "invalid_issuer"
        case invalidAudience = "invalid_audience"
        case invalidDuration = "invalid_duration"
        case duplicateClient = "duplicate_client"
        case publicClientCredentials = "public_client_credentials"
        case confidentialDeviceCode = "confidential_device_code"
        case missingRedirectURI = "missing_redirect_uri"
        case invalidRedirectURI = "invalid_redirect_uri"
        case keyStorage = "key_storage"
    }

    /// The stable code.
    public let code: Code
    /// A safe description (never contains a secret).
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
