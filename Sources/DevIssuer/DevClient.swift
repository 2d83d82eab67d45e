/// The OAuth grant types the development issuer implements.
public enum GrantType: String, Sendable, CaseIterable {
    /// RFC 6749 §4.1 with PKCE S256 (RFC 7636).
    case authorizationCode = "authorization_code"
    /// RFC 6749 §4.4, confidential clients only.
    case clientCredentials = "client_credentials"
    /// RFC 6749 §6, rotated on every use.
    case refreshToken = "refresh_token"
    /// RFC 8628, public clients only.
    case deviceCode = "urn:ietf:params:oauth:grant-type:device_code"
}

/// The algorithms access tokens can be signed with (the issuer holds one key of each).
public enum AccessTokenAlgorithm: String, Sendable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// ECDSA P-256 with SHA-256.
    case es256 = "ES256"
}

/// The form of the access tokens a client receives.
public enum AccessTokenFormat: String, Sendable, CaseIterable {
    /// RFC 9068 JWTs, verified offline by resource servers (the default).
    case jwt
    /// Random opaque strings that resource servers check by introspection (RFC 7662); revoking one
    /// takes effect at the next introspection.
    case opaque
}

/// A registered client.
public struct DevClient: Sendable, Equatable {
    /// The `client_id`.
    public var id: String
    /// The client secret; `nil` makes a public client (token endpoint auth method `none`).
    public var secret: String?
    /// The grants this client may use.
    public var grantTypes: [GrantType]
    /// The scopes this client may request; also its default when it requests none.
    public var scopes: [String]
    /// The redirect URIs, matched exactly (no prefix, no normalization).
    public var redirectURIs: [String]
    /// The form of its access tokens (`token_format`, default `jwt`).
    public var tokenFormat: AccessTokenFormat

    /// Creates a client.
    public init(id: String, secret: String?, grantTypes: [GrantType], scopes: [String], redirectURIs: [String] = [],
                tokenFormat: AccessTokenFormat = .jwt) {
        self.id = id
        self.secret = secret
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.redirectURIs = redirectURIs
        self.tokenFormat = tokenFormat
    }

    /// Whether the client has no secret.
    public var isPublic: Bool { secret == nil }

    /// Whether the client may use `grant`.
    func allows(_ grant: GrantType) -> Bool { grantTypes.contains(grant) }

    /// Registration rules: client credentials need a secret, the device grant needs a public
    /// client (RFC 8628 §3.4 polling has no secret), and code flows need an absolute redirect URI
    /// without a fragment (RFC 6749 §3.1.2).
    func validate() throws {
        if isPublic && allows(.clientCredentials) {
            throw DevIssuerConfigurationError(.publicClientCredentials, "public client \(id) cannot use client_credentials")
        }
        if !isPublic && allows(.deviceCode) {
            throw DevIssuerConfigurationError(.confidentialDeviceCode, "device_code is for public clients only (\(id))")
        }
        if allows(.authorizationCode) && redirectURIs.isEmpty {
            throw DevIssuerConfigurationError(.missingRedirectURI, "client \(id) needs a redirect URI")
        }
        for uri in redirectURIs where !uri.contains("://") || uri.contains("#") {
            throw DevIssuerConfigurationError(.invalidRedirectURI, "client \(id) has an invalid redirect URI")
        }
    }
}
