/// The in-process development OAuth 2.0 issuer (`dev_issuer`). For local use only.
public struct DevIssuerSettings: Sendable, Equatable {
    /// Listen address (`listen`, default `127.0.0.1:9000`).
    public var listen: ListenAddress
    /// `iss` of minted tokens (`issuer`, default `http://127.0.0.1:9000`).
    public var issuer: String
    /// `aud` of minted tokens (`audience`, default `portcullis-demo`).
    public var audience: String
    /// Access-token lifetime (`access_token_ttl_seconds`, default 3600).
    public var accessTokenTTLSeconds: Int
    /// Directory where signing keys are loaded/saved (`keys_dir`, absolute; default none = generate at start).
    public var keysDirectory: String?
    /// The development user (`user`).
    public var user: DevUser
    /// Registered clients (`clients`, default none).
    public var clients: [DevClientSettings]

    /// Creates settings with the documented defaults.
    public init(listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 9000),
                issuer: String = "http://127.0.0.1:9000", audience: String = "portcullis-demo",
                accessTokenTTLSeconds: Int = 3600, keysDirectory: String? = nil,
                user: DevUser = DevUser(), clients: [DevClientSettings] = []) {
        self.listen = listen
        self.issuer = issuer
        self.audience = audience
        self.accessTokenTTLSeconds = accessTokenTTLSeconds
        self.keysDirectory = keysDirectory
        self.user = user
        self.clients = clients
    }
}

/// The development user that interactive flows sign in as (`dev_issuer.user`).
public struct DevUser: Sendable, Equatable {
    /// `sub` (default `demo-user`).
    public var sub: String
    /// `name` (default `Demo User`).
    public var name: String
    /// `email` (default `demo@example.com`).
    public var email: String
    /// Creates a user with the documented defaults.
    public init(sub: String = "demo-user", name: String = "Demo User", email: String = "demo@example.com") {
        self.sub = sub
        self.name = name
        self.email = email
    }
}

/// One registered client of the development issuer (`dev_issuer.clients[]`).
public struct DevClientSettings: Sendable, Equatable {
    /// `client_id` (required, unique).
    public var clientID: String
    /// `client_secret`; absent = public client (then `client_credentials` is not allowed).
    public var clientSecret: String?
    /// `grant_types` (required, non-empty), from ``knownGrantTypes``.
    public var grantTypes: [String]
    /// `scopes` the client may request (default `[]`).
    public var scopes: [String]
    /// `redirect_uris` (required with `authorization_code`).
    public var redirectURIs: [String]
    /// `token_format`: `jwt` (default) or `opaque` (checked by introspection).
    public var tokenFormat: String
    /// Creates a client.
    public init(clientID: String, clientSecret: String?, grantTypes: [String], scopes: [String],
                redirectURIs: [String], tokenFormat: String = "jwt") {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.redirectURIs = redirectURIs
        self.tokenFormat = tokenFormat
    }
    /// Access token formats (`token_format`).
    public static let knownTokenFormats = ["jwt", "opaque"]
    /// Grant types the development issuer implements.
    public static let knownGrantTypes: [String] = [
        "authorization_code", "refresh_token", "client_credentials",
        "urn:ietf:params:oauth:grant-type:device_code",
    ]
}
